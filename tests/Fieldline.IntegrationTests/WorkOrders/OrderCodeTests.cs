using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class OrderCodeTestsOnSqlite(SqliteFixture app) : OrderCodeTests(app);
[Collection(PostgresCollection.Name)] public sealed class OrderCodeTestsOnPostgres(PostgresFixture app) : OrderCodeTests(app);

/// <summary>An order's code names one order in the whole company: customers, brands, slips and head office quote it.</summary>
public abstract class OrderCodeTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task Orders_taken_the_same_day_in_two_branches_never_share_a_code()
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"码-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var name = $"c{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = name, displayName = "株洲文员", password = AppFixture.Password, roles = new[] { "infoClerk" }, branchId = branch }))
            .Expect(HttpStatusCode.Created);
        object Body() => new
        {
            type = "repair", channel = "hotline", productLine = "ac", productModel = "KFR-35GW", purchaseDate = "2025-01-01", faultDescription = "不制冷",
            customer = new { name = "两地客户", phone = Given.Phone(), address = "株洲市芦淞区测试路 1 号" },
        };

        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            codes.Add((await _given.Clerk.Post("/api/work-orders", Body())).Expect(HttpStatusCode.Created).Str("code")!);
            codes.Add((await app.Api(name).Post("/api/work-orders", Body())).Expect(HttpStatusCode.Created).Str("code")!);
        }

        Assert.Equal(codes.Count, codes.Distinct().Count());
        var found = (await admin.Get($"/api/work-orders?q={codes[1]}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Single(found);
    }
}
