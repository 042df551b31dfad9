using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Evaluation;

[Collection(SqliteCollection.Name)] public sealed class ViolationTestsOnSqlite(SqliteFixture app) : ViolationTests(app);
[Collection(PostgresCollection.Name)] public sealed class ViolationTestsOnPostgres(PostgresFixture app) : ViolationTests(app);

/// <summary>
/// POST /api/violations: a fine of the policy recorded against a person through the one penalty-case factory — the
/// staff-specific rule, per-unit amounts (SC-15), offence ladders (SC-34), the fine split among those present (SC-36).
/// </summary>
public abstract class ViolationTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    /// <summary>A new technician of the Changsha branch who only installs (installer) or only repairs (repair technician).</summary>
    private async Task<(string User, int UserId)> Staff(string kind)
    {
        var name = $"v{Guid.NewGuid():N}"[..12];
        var branchId = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();
        var user = (await app.Api("admin").Post("/api/users", new { username = name, displayName = "违规师傅", password = AppFixture.Password, roles = new[] { "technician" }, branchId }))
            .Expect(HttpStatusCode.Created).Body;
        var id = user["id"]!.GetValue<int>();
        var skills = kind == "installer" ? new[] { "ac.install", "purifier.install" } : ["ac.repair", "purifier.repair"];
        (await _given.Manager.Post("/api/technicians", new { userId = id, skills, onDuty = true, alreadyEmployed = true })).Expect(HttpStatusCode.Created);
        return (name, id);
    }

    private async Task<JsonArray> Record(string by, object body) =>
        (await app.Api(by).Post("/api/violations", body)).Expect(HttpStatusCode.OK).Body["cases"]!.AsArray();

    private async Task<JsonNode> One(string by, object body) => Assert.Single(await Record(by, body))!;

    private static (string RuleId, decimal Amount, string State) Fine(JsonNode c) =>
        (c["ruleId"]!.GetValue<string>(), c["amount"]!.GetValue<decimal>(), c["state"]!.GetValue<string>());

    private async Task<decimal> LedgerTotal(int person, JsonNode c)
    {
        var month = c["createdAt"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var totals = (await _given.Manager.Get($"/api/pay-ledger?month={month}&personUserId={person}")).Expect(HttpStatusCode.OK).Body["totals"]!.AsArray();
        return totals.Count == 0 ? 0m : totals[0]!["total"]!.GetValue<decimal>();
    }

    [Fact]
    public async Task SC15_a_missing_sticker_found_afterwards_is_fined_per_sticker_by_the_installers_own_rule()
    {
        await Policy("gree-dealer-changsha-2012");
        await app.At(app.Next(DayOfWeek.Monday, 9));
        var installer = await Staff("installer");
        var repairer = await Staff("repair");

        // Gree, Aug 2012: the installer's PEN-75, 2 × 50; the general PEN-32 (Feb 2012) for anyone else, 2 × 100.
        var sticker = await One("supervisor", new { ruleId = "PEN-32", personUserId = installer.UserId, count = 2, evidence = new { text = "回访发现2台未贴售后服务贴" } });
        Assert.Equal(("PEN-75", 100m, "confirmed"), Fine(sticker));
        Assert.Equal(2, sticker["count"]!.GetValue<int>());
        Assert.Equal(-100m, await LedgerTotal(installer.UserId, sticker));
        Assert.Equal(("PEN-32", 200m, "confirmed"), Fine(await One("supervisor", new { ruleId = "PEN-32", personUserId = repairer.UserId, count = 2 })));

        // PEN-33, condition verified: 80 per unit; the supervisor's finding waits for a manager, a manager's own is verified.
        Assert.Equal(("PEN-33", 160m, "proposed"), Fine(await One("supervisor", new { ruleId = "PEN-33", personUserId = installer.UserId, count = 2, evidence = new { text = "纸质安装单无客户签字" } })));
        Assert.Equal(("PEN-33", 80m, "confirmed"), Fine(await One("manager", new { ruleId = "customerSignatureMissing", personUserId = installer.UserId })));

        // Binchun: offence #1 is 2 × 50; the next missing-sticker event (each event one offence) opens a dismissal review.
        await Policy("binchun-water-purifier-2015");
        var binchun = await Staff("installer");
        var first = await One("supervisor", new { ruleId = "PEN-32", personUserId = binchun.UserId, count = 2 });
        Assert.Equal(("PEN-75", 100m, "confirmed", 1), (Fine(first).RuleId, Fine(first).Amount, Fine(first).State, first["offence"]!.GetValue<int>()));
        var second = await One("supervisor", new { ruleId = "PEN-75", personUserId = binchun.UserId, count = 1 });
        Assert.Equal(("proposed", 2, first["id"]!.GetValue<long>()), (second["state"]!.GetValue<string>(), second["offence"]!.GetValue<int>(), second["previousCaseId"]!.GetValue<long>()));
        var review = (await _given.Manager.Get("/api/dismissal-reviews?state=open")).Expect(HttpStatusCode.OK).Body.AsArray()
            .Single(r => r!["penaltyCaseId"]?.GetValue<long>() == second["id"]!.GetValue<long>())!;
        Assert.Equal(binchun.UserId, review["personUserId"]!.GetValue<int>());
        await Policy("generic");
    }

    [Fact]
    public async Task SC34_refusing_an_assignment_and_disobeying_the_dispatcher_climb_their_ladders_counted_per_person()
    {
        await Policy("gree-dealer-changsha-2012");
        var day = app.Next(DayOfWeek.Tuesday, 9);
        await app.At(day);
        var zhang = await Staff("installer");
        var li = await Staff("repair");

        // Installer 张 refuses an assignment (PEN-48 → the installer's PEN-61): suspension + 100, then eligibility, then a review.
        var first = await One("supervisor", new { ruleId = "PEN-48", personUserId = zhang.UserId, evidence = new { text = "拒绝派工" } });
        Assert.Equal(("PEN-61", 100m, "confirmed", "1"), (Fine(first).RuleId, Fine(first).Amount, Fine(first).State, first["step"]!.GetValue<string>()));
        Assert.Equal(-100m, await LedgerTotal(zhang.UserId, first));
        await app.At(day.AddDays(1));
        var second = await One("supervisor", new { ruleId = "PEN-48", personUserId = zhang.UserId });
        Assert.Equal(("2", first["id"]!.GetValue<long>(), 0m), (second["step"]!.GetValue<string>(), second["previousCaseId"]!.GetValue<long>(), second["amount"]!.GetValue<decimal>()));
        var month = second["createdAt"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var eligibility = (await _given.Manager.Get($"/api/sla/eligibility?month={month}&personUserId={zhang.UserId}")).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Contains(eligibility, e => e!["revoked"]!.GetValue<bool>() && e["ruleId"]!.GetValue<string>() == "PEN-61");
        await app.At(day.AddDays(2));
        var third = await One("supervisor", new { ruleId = "refuseWorkAssignment", personUserId = zhang.UserId });
        Assert.Equal(("3", "proposed", second["id"]!.GetValue<long>()), (third["step"]!.GetValue<string>(), third["state"]!.GetValue<string>(), third["previousCaseId"]!.GetValue<long>()));

        // Repair technician 李 disobeys the dispatcher (PEN-01 → PEN-79): 100, then eligibility, then a review proposing 500.
        Assert.Equal(("PEN-79", 100m, "confirmed"), Fine(await One("manager", new { ruleId = "PEN-01", personUserId = li.UserId })));
        var again = await One("manager", new { ruleId = "PEN-01", personUserId = li.UserId });
        Assert.Equal((2, 0m), (again["offence"]!.GetValue<int>(), again["amount"]!.GetValue<decimal>()));
        var third79 = await One("manager", new { ruleId = "PEN-79", personUserId = li.UserId });
        Assert.Equal(("PEN-79", 500m, "proposed", "repeat"), (Fine(third79).RuleId, Fine(third79).Amount, Fine(third79).State, third79["step"]!.GetValue<string>()));
        Assert.Contains((await _given.Manager.Get("/api/dismissal-reviews?state=open")).Body.AsArray(), r => r!["penaltyCaseId"]?.GetValue<long>() == third79["id"]!.GetValue<long>());

        // Another person's ladder starts at the first step.
        var other = await Staff("repair");
        Assert.Equal(1, (await One("manager", new { ruleId = "PEN-01", personUserId = other.UserId }))["offence"]!.GetValue<int>());
        await Policy("generic");
    }

    [Fact]
    public async Task SC36_a_littered_waiting_area_with_nobody_responsible_is_split_among_those_present_and_untidiness_warns_first()
    {
        await Policy("binchun-water-purifier-2015");
        await app.At(app.Next(DayOfWeek.Wednesday, 11));
        var present = new[] { await Staff("installer"), await Staff("installer"), await Staff("installer") };

        var split = await Record("supervisor", new { ruleId = "PEN-46", presentUserIds = present.Select(p => p.UserId).ToArray(), evidence = new { text = "候工区乱扔杂物,无人承认" } });
        Assert.Equal(3, split.Count);
        Assert.All(split, c => Assert.Equal(("PEN-46", 10m, "confirmed"), Fine(c!)));
        Assert.Equal(present.Select(p => p.UserId).Order(), split.Select(c => c!["personUserId"]!.GetValue<int>()).Order());
        Assert.Equal(-10m, await LedgerTotal(present[0].UserId, split[0]!));

        var asleep = await One("supervisor", new { ruleId = "PEN-47", personUserId = present[1].UserId, evidence = new { text = "15:00 在沙发上睡觉" } });
        Assert.Equal(("PEN-47", 30m, "confirmed"), Fine(asleep));

        var warned = await One("supervisor", new { ruleId = "PEN-37", personUserId = present[2].UserId });
        Assert.Equal((0m, "1"), (warned["amount"]!.GetValue<decimal>(), warned["step"]!.GetValue<string>()));
        var fined = await One("supervisor", new { ruleId = "PEN-37", personUserId = present[2].UserId });
        Assert.Equal((30m, "subsequent"), (fined["amount"]!.GetValue<decimal>(), fined["step"]!.GetValue<string>()));
        await Policy("generic");
    }

    [Fact]
    public async Task A_violation_names_what_is_wrong_and_only_the_roles_that_find_that_kind_may_record_it()
    {
        await Policy("gree-dealer-changsha-2012");
        var installer = await Staff("installer");
        var bad = (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-999", personUserId = installer.UserId })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("ruleId", bad.ErrorFields);
        Assert.Contains("personUserId", (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-75" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("count", (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-75", personUserId = installer.UserId, count = 0 })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("evidence.photos[0]", (await app.Api("supervisor").Post("/api/violations",
            new { ruleId = "PEN-75", personUserId = installer.UserId, evidence = new { photos = new[] { "data:image/png;base64,AAAA" } } })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        (await app.Api(installer.User).Post("/api/violations", new { ruleId = "PEN-75", personUserId = installer.UserId })).Expect(HttpStatusCode.Forbidden);
        (await app.Api("warehouse").Post("/api/violations", new { ruleId = "PEN-75", personUserId = installer.UserId })).Expect(HttpStatusCode.Forbidden);
        (await app.Api("dispatcher").Post("/api/violations", new { ruleId = "PEN-75", personUserId = installer.UserId })).Expect(HttpStatusCode.Forbidden);

        // With a photo, stored in the blob store: the case keeps its address.
        var withPhoto = await One("supervisor", new { ruleId = "PEN-75", personUserId = installer.UserId,
            evidence = new { text = "未贴服务贴", photos = new[] { "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng) } } });
        Assert.Matches("^[0-9a-f]{64}$", withPhoto["evidence"]!["photos"]![0]!.GetValue<string>());
        await Policy("generic");
    }
}
