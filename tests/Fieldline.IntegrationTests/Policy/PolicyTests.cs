using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Policy;

[Collection(SqliteCollection.Name)] public sealed class PolicyTestsOnSqlite(SqliteFixture app) : PolicyTests(app);
[Collection(PostgresCollection.Name)] public sealed class PolicyTestsOnPostgres(PostgresFixture app) : PolicyTests(app);

public abstract class PolicyTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_published_version_applies_to_new_orders_and_older_orders_keep_theirs()
    {
        var before = await _given.NewRepairOrder();
        var published = (await _given.Manager.Put("/api/policy", new
        {
            basedOn = "ccec-water-purifier",
            parameters = new { dispatch = new { repairContactTargetMinutes = 30 } },
        })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(30, published["parameters"]!["dispatch"]!["repairContactTargetMinutes"]!.GetValue<int>());
        Assert.Equal(240, published["parameters"]!["dispatch"]!["repairContactPenaltyThresholdMinutes"]!.GetValue<int>()); // filled from generic
        var after = await _given.NewRepairOrder();
        Assert.Equal(published["version"]!.GetValue<int>(), after["policyVersion"]!.GetValue<int>());
        var reread = (await _given.Manager.Get($"/api/work-orders/{before["id"]}")).Body;
        Assert.Equal(before["policyVersion"]!.GetValue<int>(), reread["policyVersion"]!.GetValue<int>());
        var versions = (await _given.Manager.Get("/api/policy/versions")).Body.AsArray();
        Assert.Contains(versions, v => v!["version"]!.GetValue<int>() == published["version"]!.GetValue<int>());
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_policy_change_with_an_unknown_parameter_or_wrong_type_is_refused()
    {
        var reply = (await _given.Manager.Put("/api/policy", new
        {
            basedOn = "generic", parameters = new { dispatch = new { repairContactTargetMinutes = "soon", teleport = true } },
        })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["parameters.dispatch.repairContactTargetMinutes", "parameters.dispatch.teleport"], reply.ErrorFields.Order().ToArray());
        (await _given.Manager.Put("/api/policy", new { basedOn = "no-such-company" })).Expect(HttpStatusCode.BadRequest);
        (await _given.Dispatcher.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task All_thirteen_presets_are_listed()
    {
        var presets = (await _given.Clerk.Get("/api/policy/presets")).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Equal(13, presets.Count);
        Assert.Contains(presets, p => p!["id"]!.GetValue<string>() == "gree-dealer-changsha-2012");
    }
}
