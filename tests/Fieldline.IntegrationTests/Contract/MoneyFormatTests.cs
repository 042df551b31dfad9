using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Contract;

[Collection(SqliteCollection.Name)] public sealed class MoneyFormatTestsOnSqlite(SqliteFixture app) : MoneyFormatTests(app);
[Collection(PostgresCollection.Name)] public sealed class MoneyFormatTestsOnPostgres(PostgresFixture app) : MoneyFormatTests(app);

/// <summary>api.md: money is "a decimal number of CNY with two places (30.00)", whatever scale the database kept.</summary>
public abstract class MoneyFormatTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task Money_is_answered_with_two_decimal_places()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        try
        {
            var tech = await _given.NewTechnician();
            var reply = (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-75", personUserId = tech.UserId, count = 2, evidence = new { text = "未贴服务贴" } }))
                .Expect(HttpStatusCode.OK);
            Assert.Contains("\"amount\":100.00", await reply.Raw.Content.ReadAsStringAsync());
            var listed = await (await _given.Manager.Get($"/api/penalty-cases?personUserId={tech.UserId}")).Expect(HttpStatusCode.OK).Raw.Content.ReadAsStringAsync();
            Assert.Contains("\"amount\":100.00", listed);
        }
        finally { (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); }
    }
}
