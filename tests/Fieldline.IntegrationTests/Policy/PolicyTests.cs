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
    public async Task A_company_strikes_a_fine_of_its_preset_changes_an_amount_and_adopts_a_fine_from_another_preset()
    {
        var published = (await _given.Manager.Put("/api/policy", new
        {
            basedOn = "binchun-water-purifier-2015",
            penalties = new Dictionary<string, object?>
            {
                ["phoneOffOrCallRefused"] = null,
                ["slipNotSubmitted"] = new { amountCNY = 50 },
                ["orderOverdue"] = new { from = "gree-dealer-changsha-2012" },
            },
        })).Expect(HttpStatusCode.OK).Body;
        var fines = published["penalties"]!.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!);
        Assert.Equal(61, fines.Count); // Binchun's 61 fines, one struck, one adopted
        Assert.False(fines.ContainsKey("phoneOffOrCallRefused"));
        Assert.Equal(50m, fines["slipNotSubmitted"]["amountCNY"]!.GetValue<decimal>());
        Assert.Equal((30m, "PEN-89"), (fines["orderOverdue"]["amountCNY"]!.GetValue<decimal>(), fines["orderOverdue"]["ruleIds"]![0]!.GetValue<string>()));
        var inForce = (await _given.Clerk.Get("/api/policy")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(published["version"]!.GetValue<int>(), inForce["version"]!.GetValue<int>());
        Assert.DoesNotContain(inForce["penalties"]!.AsArray(), p => p!["key"]!.GetValue<string>() == "phoneOffOrCallRefused");

        // A later publish of the same preset that changes only a parameter (as the policy editor does) keeps the
        // fine changes; another change adds to them; a change of preset starts from that preset's own list.
        var next = (await _given.Manager.Put("/api/policy", new
        {
            basedOn = "binchun-water-purifier-2015",
            parameters = new { dispatch = new { repairContactTargetMinutes = 25 } },
            penalties = new Dictionary<string, object?> { ["prankCalls"] = null },
        })).Expect(HttpStatusCode.OK).Body;
        var kept = next["penalties"]!.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!);
        Assert.Equal(60, kept.Count);
        Assert.True(kept.ContainsKey("orderOverdue") && !kept.ContainsKey("prankCalls") && !kept.ContainsKey("phoneOffOrCallRefused"));
        Assert.Equal(50m, kept["slipNotSubmitted"]["amountCNY"]!.GetValue<decimal>());
        var gree = (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(89, gree["penalties"]!.AsArray().Count);
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_fine_change_naming_no_such_rule_an_unknown_preset_or_a_negative_amount_is_refused_and_publishes_nothing()
    {
        var before = (await _given.Manager.Get("/api/policy/versions")).Body.AsArray().Count;
        var reply = (await _given.Manager.Put("/api/policy", new
        {
            basedOn = "binchun-water-purifier-2015",
            penalties = new Dictionary<string, object?>
            {
                ["noSuchRule"] = null,
                ["orderOverdue"] = new { amountCNY = 40 },
                ["brandImposedFine"] = new { from = "no-such-company" },
                ["slipNotSubmitted"] = new { amountCNY = -5 },
            },
        })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(
            ["penalties.brandImposedFine.from", "penalties.noSuchRule", "penalties.orderOverdue", "penalties.slipNotSubmitted.amountCNY"],
            reply.ErrorFields.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(before, (await _given.Manager.Get("/api/policy/versions")).Body.AsArray().Count);
    }

    [Fact]
    public async Task All_thirteen_presets_are_listed()
    {
        var presets = (await _given.Clerk.Get("/api/policy/presets")).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Equal(13, presets.Count);
        Assert.Contains(presets, p => p!["id"]!.GetValue<string>() == "gree-dealer-changsha-2012");
    }
}
