using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.People;

[Collection(SqliteCollection.Name)] public sealed class ToolCheckTestsOnSqlite(SqliteFixture app) : ToolCheckTests(app);
[Collection(PostgresCollection.Name)] public sealed class ToolCheckTestsOnPostgres(PostgresFixture app) : ToolCheckTests(app);

/// <summary>
/// The monthly kit spot check (TLS-02..04, SC-32): the policy's kit for the person's work, a missing item fined through
/// the one penalty factory and keeping the person out of dispatch and the plan until a re-check finds the kit complete.
/// </summary>
public abstract class ToolCheckTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<string> Codes(JsonNode reasons) => reasons.AsArray().Select(r => r!["code"]!.GetValue<string>());

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private async Task<JsonNode> Eligibility(int technicianId, DateOnly day) =>
        (await _given.Dispatcher.Get($"/api/technicians/{technicianId}/eligibility?date={D(day)}")).Expect(HttpStatusCode.OK).Body;

    [Fact]
    public async Task SC32_a_refrigerant_gauge_missing_at_the_monthly_check_fines_30_and_blocks_dispatch_until_the_recheck_finds_the_kit_complete()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var t0 = app.Next(DayOfWeek.Monday, 10); // the June inspection, 06-15 in the scenario
            await app.At(t0);
            var day = DateOnly.FromDateTime(t0.Date);
            var (_, tech, userId) = await _given.NewTechnician(["ac.repair"]); // 李, a repair technician
            var check = (await app.Api("supervisor").Post("/api/tool-checks", new { technicianId = tech, missing = new[] { "refrigerantGauge" }, note = "六月抽查" }))
                .Expect(HttpStatusCode.Created).Body;
            Assert.False(check["complete"]!.GetValue<bool>());
            Assert.Equal(30m, check["fineAmount"]!.GetValue<decimal>());
            // TLS-03: the repair technician's kit, ten items, the gauge among them and the only one missing.
            var items = check["items"]!.AsArray();
            Assert.Equal(10, items.Count);
            var gauge = Assert.Single(items, i => !i!["present"]!.GetValue<bool>())!;
            Assert.Equal(("refrigerantGauge", "雪种表"), (gauge["code"]!.GetValue<string>(), gauge["name"]!.GetValue<string>()));

            // 30 CNY charged: a confirmed case of PEN-09 and its one deduction in the month of the check.
            var ledger = (await _given.Manager.Get($"/api/pay-ledger?month={t0:yyyy-MM}&personUserId={userId}")).Expect(HttpStatusCode.OK).Body;
            var entry = Assert.Single(ledger["items"]!.AsArray())!;
            Assert.Equal((-30m, "fine", check["penaltyCaseId"]!.GetValue<long>()),
                (entry["amount"]!.GetValue<decimal>(), entry["kind"]!.GetValue<string>(), entry["penaltyCaseId"]!.GetValue<long>()));
            Assert.Contains("PEN-09", entry["ruleId"]!.GetValue<string>());

            // "Suspended – tool kit incomplete": no dispatch, left out of the plan, greyed on the board.
            var reasons = (await Eligibility(tech, day))["reasons"]!;
            Assert.Equal(["kitIncomplete"], Codes(reasons));
            Assert.Contains("雪种表", reasons[0]!["text"]!.GetValue<string>());
            var order = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
            var refused = (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict).Body;
            Assert.Contains("kitIncomplete", Codes(refused["reasons"]!));
            Assert.Contains("工具不全", refused["detail"]!.GetValue<string>());
            var plan = (await _given.Dispatcher.Post("/api/dispatch/plan", new { date = D(day), seconds = 0.2 })).Expect(HttpStatusCode.OK).Body;
            var left = plan["leftOut"]!.AsArray().Single(t => t!["technicianId"]!.GetValue<int>() == tech)!;
            Assert.Contains("kitIncomplete", Codes(left["reasons"]!));
            var board = (await _given.Dispatcher.Get("/api/dispatch/board")).Expect(HttpStatusCode.OK).Body;
            Assert.Contains("kitIncomplete", Codes(board["technicians"]!.AsArray().Single(t => t!["id"]!.GetValue<int>() == tech)!["reasons"]!));

            // 06-16 09:00: the supervisor records the kit complete; 李 may be dispatched again, and nothing more is charged.
            await app.At(t0.AddHours(23));
            var recheck = (await app.Api("supervisor").Post("/api/tool-checks", new { technicianId = tech, missing = Array.Empty<string>() })).Expect(HttpStatusCode.Created).Body;
            Assert.True(recheck["complete"]!.GetValue<bool>());
            Assert.Null(recheck["fineAmount"]);
            Assert.True((await Eligibility(tech, day.AddDays(1)))["eligible"]!.GetValue<bool>());
            (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.OK);
            Assert.Single((await _given.Manager.Get($"/api/pay-ledger?month={t0:yyyy-MM}&personUserId={userId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray());
            var mine = (await _given.Manager.Get($"/api/tool-checks?technicianId={tech}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
            Assert.Equal(2, mine.Count);
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task Only_the_supervisor_and_managers_check_kits_every_item_named_must_be_in_the_kit_and_the_person_sees_their_own_checks()
    {
        var (user, tech, _) = await _given.NewTechnician();
        (await app.Api(user).Post("/api/tool-checks", new { technicianId = tech, missing = Array.Empty<string>() })).Expect(HttpStatusCode.Forbidden);
        (await _given.Dispatcher.Post("/api/tool-checks", new { technicianId = tech, missing = Array.Empty<string>() })).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(["missing", "technicianId"], (await app.Api("supervisor").Post("/api/tool-checks", new { })).Expect(HttpStatusCode.BadRequest).ErrorFields.Order());
        var unknown = (await app.Api("supervisor").Post("/api/tool-checks", new { technicianId = tech, missing = new[] { "hammer" } })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["missing"], unknown.ErrorFields);
        Assert.Equal(["present"], (await app.Api("supervisor").Post("/api/tool-checks", new { technicianId = tech, missing = new[] { "multimeter" }, present = new[] { "multimeter" } }))
            .Expect(HttpStatusCode.BadRequest).ErrorFields);
        // Installs and repairs: both kits, each item once.
        var both = (await app.Api("supervisor").Post("/api/tool-checks", new { technicianId = tech, missing = Array.Empty<string>() })).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(both["items"]!.AsArray().Count, both["items"]!.AsArray().Select(i => i!["code"]!.GetValue<string>()).Distinct().Count());
        Assert.Contains(both["items"]!.AsArray(), i => i!["code"]!.GetValue<string>() == "handDrill");
        Assert.Contains(both["items"]!.AsArray(), i => i!["code"]!.GetValue<string>() == "tubeExpander");
        Assert.True((await Eligibility(tech, DateOnly.FromDateTime(app.LocalNow.Date)))["eligible"]!.GetValue<bool>());
        var mine = (await app.Api(user).Get("/api/tool-checks")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Equal(tech, Assert.Single(mine)!["technicianId"]!.GetValue<int>());
        Assert.Empty((await app.Api("tech02").Get($"/api/tool-checks?technicianId={tech}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray());
    }

    [Fact]
    public async Task The_supervisor_records_a_check_on_the_people_desk_by_unticking_what_is_missing()
    {
        var (_, tech, _) = await _given.NewTechnician(["ac.install"]);
        var console = await ConsoleSession.SignIn(app, "supervisor");
        var page = await console.Get($"/people/tools?technicianId={tech}");
        Assert.Contains("手电钻", page);
        var kit = new[] { "weldingTorch", "multimeter", "pressureGauge", "thermometer", "handDrill", "safetyBelt" };
        var form = kit.Select(k => new KeyValuePair<string, string>("kit", k))
            .Concat(kit.Where(k => k != "safetyBelt").Select(k => new KeyValuePair<string, string>("present", k)))
            .Append(new("technicianId", tech.ToString(CultureInfo.InvariantCulture)));
        var after = await console.Post($"/people/tools?technicianId={tech}&handler=Check", form);
        Assert.Contains("安全带", after);
        Assert.Equal(["kitIncomplete"], Codes((await Eligibility(tech, DateOnly.FromDateTime(app.LocalNow.Date)))["reasons"]!));
    }
}
