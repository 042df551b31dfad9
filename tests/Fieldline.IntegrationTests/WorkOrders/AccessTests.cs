using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class AccessTestsOnSqlite(SqliteFixture app) : AccessTests(app);
[Collection(PostgresCollection.Name)] public sealed class AccessTestsOnPostgres(PostgresFixture app) : AccessTests(app);

public abstract class AccessTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_technician_cannot_read_or_act_on_another_technicians_order()
    {
        var id = await _given.OrderIn("dispatched", tech: "tech01");
        var other = app.Api("tech02");
        (await other.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.NotFound);
        (await other.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.NotFound);
        (await other.Post($"/api/work-orders/{id}/reject", new { reason = "不是我的" })).Expect(HttpStatusCode.NotFound);
        var order = (await _given.Manager.Get($"/api/work-orders/{id}")).Body;
        Assert.Equal("dispatched", order["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_technician_lists_only_their_own_orders()
    {
        await _given.OrderIn("dispatched", tech: "tech02");
        var page = (await app.Api("tech01").Get("/api/work-orders?pageSize=200")).Expect(HttpStatusCode.OK).Body;
        var tech01 = await _given.TechnicianId("tech01");
        Assert.NotEmpty(page["items"]!.AsArray());
        Assert.All(page["items"]!.AsArray(), o => Assert.Equal(tech01, o!["technicianId"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_technician_cannot_read_customers_or_unassigned_orders()
    {
        var id = await _given.OrderIn("new");
        (await app.Api("tech01").Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.NotFound);
        (await app.Api("tech01").Get("/api/customers")).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Branch_staff_see_only_their_branch_and_head_office_sees_all()
    {
        var headOffice = (await app.Api("admin").Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await app.Api("admin").Post("/api/branches", new { name = $"株洲分公司-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var clerk2 = $"zzclerk{Guid.NewGuid():N}"[..14];
        (await app.Api("admin").Post("/api/users", new { username = clerk2, displayName = "株洲信息员", password = AppFixture.Password, roles = new[] { "infoClerk" }, branchId = branch })).Expect(HttpStatusCode.Created);
        var other = app.Api(clerk2);

        var changsha = await _given.OrderIn("new");
        var changshaOrder = (await _given.Manager.Get($"/api/work-orders/{changsha}")).Body;
        (await other.Get($"/api/work-orders/{changsha}")).Expect(HttpStatusCode.NotFound);
        (await other.Get($"/api/customers/{changshaOrder["customer"]!["id"]}")).Expect(HttpStatusCode.NotFound);
        Assert.Equal(0, (await other.Get("/api/work-orders")).Body["total"]!.GetValue<int>());
        (await other.Post("/api/work-orders", Given.RepairBody(changshaOrder["customer"]!["id"]!.GetValue<int>(), "X"))).Expect(HttpStatusCode.BadRequest);

        var own = (await other.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", productLine = "ac", productModel = "KFR-26GW", purchaseDate = "2025-05-01", faultDescription = "不制热",
            customer = new { name = "株洲客户", phone = Given.Phone(), address = "株洲市天元区" },
        })).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(branch, own["branchId"]!.GetValue<long>());
        (await _given.Clerk.Get($"/api/work-orders/{own["id"]}")).Expect(HttpStatusCode.NotFound);
        (await _given.Manager.Get($"/api/work-orders/{own["id"]}")).Expect(HttpStatusCode.OK);

        // Asking the list for a branch one may not see (or that does not exist) is "not found", never an empty page.
        var changshaBranch = changshaOrder["branchId"]!.GetValue<int>();
        (await other.Get($"/api/work-orders?branchId={changshaBranch}")).Expect(HttpStatusCode.NotFound);
        (await _given.Clerk.Get($"/api/work-orders?branchId={branch}")).Expect(HttpStatusCode.NotFound);
        (await _given.Clerk.Get("/api/work-orders?branchId=99999999")).Expect(HttpStatusCode.NotFound);
        Assert.Equal(1, (await other.Get($"/api/work-orders?branchId={branch}")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>());
        Assert.True((await _given.Manager.Get($"/api/work-orders?branchId={branch}")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>() >= 1);
    }

    [Fact]
    public async Task Requests_without_a_valid_token_answer_401()
    {
        var anonymous = app.Api();
        (await anonymous.Get("/api/work-orders")).Expect(HttpStatusCode.Unauthorized);
        (await anonymous.Post("/api/auth/token", new { username = "dispatcher", password = "wrong" })).Expect(HttpStatusCode.Unauthorized);
        var forged = new Api(app.Factory.CreateClient(), app, null);
        var reply = await forged.Send(HttpMethod.Get, "/api/work-orders", null, content: null);
        reply.Expect(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_carries_the_users_roles()
    {
        var reply = (await app.Api().Post("/api/auth/token", new { username = "dispatcher", password = AppFixture.Password })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("dispatcher", reply["roles"]![0]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(reply["accessToken"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_manager_may_add_branch_staff_but_not_grant_the_admin_role()
    {
        (await _given.Dispatcher.Post("/api/users", new { username = "nope01", displayName = "x", password = "longenough1", roles = new[] { "technician" } })).Expect(HttpStatusCode.Forbidden);
        (await _given.Manager.Post("/api/users", new { username = $"adm{Guid.NewGuid():N}"[..10], displayName = "x", password = "longenough1", roles = new[] { "admin" } })).Expect(HttpStatusCode.Forbidden);
    }
}
