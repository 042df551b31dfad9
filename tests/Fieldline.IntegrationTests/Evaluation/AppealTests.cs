using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Evaluation;

[Collection(SqliteCollection.Name)] public sealed class AppealTestsOnSqlite(SqliteFixture app) : AppealTests(app);
[Collection(PostgresCollection.Name)] public sealed class AppealTestsOnPostgres(PostgresFixture app) : AppealTests(app);

/// <summary>
/// 申诉: the person fined appeals a confirmed fine within the policy's window; a manager upholds, reduces or dismisses it,
/// and the pay ledger follows by a reversal line (the fine's own line is never edited).
/// </summary>
public abstract class AppealTests(AppFixture app)
{
    private readonly Given _given = new(app);

    /// <summary>A new installer fined 2 × 50 = 100 (PEN-75, gree) by the supervisor: confirmed at once and deducted.</summary>
    private async Task<(JsonNode Case, string User, int UserId)> Fined()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        var name = $"a{Guid.NewGuid():N}"[..12];
        var branchId = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();
        var id = (await app.Api("admin").Post("/api/users", new { username = name, displayName = "申诉师傅", password = AppFixture.Password, roles = new[] { "technician" }, branchId }))
            .Expect(HttpStatusCode.Created).Id;
        (await _given.Manager.Post("/api/technicians", new { userId = id, skills = new[] { "ac.install" }, onDuty = true, alreadyEmployed = true })).Expect(HttpStatusCode.Created);
        var c = (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-75", personUserId = id, count = 2, evidence = new { text = "未贴服务贴" } }))
            .Expect(HttpStatusCode.OK).Body["cases"]![0]!;
        Assert.Equal((100m, "confirmed"), (c["amount"]!.GetValue<decimal>(), c["state"]!.GetValue<string>()));
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
        return (c, name, (int)id);
    }

    private async Task<JsonArray> Lines(int person, JsonNode c)
    {
        var month = c["createdAt"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return (await _given.Manager.Get($"/api/pay-ledger?month={month}&personUserId={person}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
    }

    private async Task<JsonNode> Appeal(string user, JsonNode c) =>
        (await app.Api(user).Post($"/api/penalty-cases/{c["id"]}/appeal", new { reason = "客户当时不让贴服务贴,有聊天记录", photos = new[] { "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng) } }))
            .Expect(HttpStatusCode.OK).Body;

    [Fact]
    public async Task An_upheld_appeal_leaves_the_fine_and_the_ledger_as_they_were()
    {
        await app.At(app.Next(DayOfWeek.Monday, 10));
        var (c, user, person) = await Fined();
        Assert.NotNull(c["appealUntil"]);
        var appealed = await Appeal(user, c);
        Assert.Equal("pending", appealed["appeal"]!["state"]!.GetValue<string>());
        Assert.Contains((await _given.Manager.Get("/api/penalty-cases?appeal=pending")).Body["items"]!.AsArray(), x => x!["id"]!.GetValue<long>() == c["id"]!.GetValue<long>());

        var decided = (await _given.Manager.Post($"/api/penalty-cases/{c["id"]}/appeal-decision", new { outcome = "upheld", reason = "照片显示未贴" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("upheld", 100m), (decided["appeal"]!["state"]!.GetValue<string>(), decided["appeal"]!["amountAfter"]!.GetValue<decimal>()));
        Assert.Equal(-100m, Assert.Single(await Lines(person, c))!["amount"]!.GetValue<decimal>());
        (await _given.Manager.Post($"/api/penalty-cases/{c["id"]}/appeal-decision", new { outcome = "dismissed", reason = "再次" })).Expect(HttpStatusCode.Conflict);
        (await app.Api(user).Post($"/api/penalty-cases/{c["id"]}/appeal", new { reason = "再申诉" })).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_appeal_decision_offers_the_three_outcomes_a_manager_may_choose_by_code_and_name_never_pending()
    {
        await app.At(app.Next(DayOfWeek.Wednesday, 10));
        var (c, user, _) = await Fined();
        await Appeal(user, c);
        foreach (var outcome in new[] { "reduce", "pending" })
        {
            var refused = (await _given.Manager.Post($"/api/penalty-cases/{c["id"]}/appeal-decision", new { outcome, reason = "x" })).Expect(HttpStatusCode.BadRequest);
            Assert.Equal($"处理结果的取值“{outcome}”无效，可选：upheld（维持原罚）、reduced（减轻处罚）、dismissed（撤销罚款）。", refused.Body["errors"]!["outcome"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_reduced_appeal_gives_back_the_difference_as_a_reversal_line()
    {
        await app.At(app.Next(DayOfWeek.Tuesday, 10));
        var (c, user, person) = await Fined();
        await Appeal(user, c);
        (await app.Api(user).Post($"/api/penalty-cases/{c["id"]}/appeal-decision", new { outcome = "reduced", amount = 40m, reason = "自己决定" })).Expect(HttpStatusCode.Forbidden);
        Assert.Contains("amount", (await _given.Manager.Post($"/api/penalty-cases/{c["id"]}/appeal-decision", new { outcome = "reduced", reason = "酌情减轻" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("amount", (await _given.Manager.Post($"/api/penalty-cases/{c["id"]}/appeal-decision", new { outcome = "reduced", amount = 100m, reason = "酌情减轻" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("outcome", (await _given.Manager.Post($"/api/penalty-cases/{c["id"]}/appeal-decision", new { outcome = "maybe", reason = "x" })).Expect(HttpStatusCode.BadRequest).ErrorFields);

        (await _given.Manager.Post($"/api/penalty-cases/{c["id"]}/appeal-decision", new { outcome = "reduced", amount = 40m, reason = "客户确有拒绝,酌情减轻" })).Expect(HttpStatusCode.OK);
        var lines = await Lines(person, c);
        Assert.Equal([(-100m, "fine"), (60m, "reversal")], lines.Select(l => (l!["amount"]!.GetValue<decimal>(), l["kind"]!.GetValue<string>())).OrderBy(x => x.Item1).ToList());
        Assert.All(lines, l => Assert.Equal("PEN-75", l!["ruleId"]!.GetValue<string>()));
        Assert.Equal(-40m, lines.Sum(l => l!["amount"]!.GetValue<decimal>()));
        Assert.Equal("reduced", (await app.Api(user).Get("/api/mobile/my-month")).Expect(HttpStatusCode.OK).Body["fines"]!.AsArray()
            .Single(f => f!["id"]!.GetValue<long>() == c["id"]!.GetValue<long>())!["appeal"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_dismissed_appeal_gives_the_whole_fine_back()
    {
        await app.At(app.Next(DayOfWeek.Wednesday, 10));
        var (c, user, person) = await Fined();
        var phone = (await app.Api(user).Get("/api/mobile/my-month")).Expect(HttpStatusCode.OK).Body["fines"]!.AsArray().Single(f => f!["id"]!.GetValue<long>() == c["id"]!.GetValue<long>())!;
        Assert.NotNull(phone["appealUntil"]);
        await Appeal(user, c);
        (await _given.Manager.Post($"/api/penalty-cases/{c["id"]}/appeal-decision", new { outcome = "dismissed", reason = "核实为客户原因" })).Expect(HttpStatusCode.OK);
        var lines = await Lines(person, c);
        Assert.Equal(0m, lines.Sum(l => l!["amount"]!.GetValue<decimal>()));
        Assert.Contains(lines, l => l!["kind"]!.GetValue<string>() == "reversal" && l["amount"]!.GetValue<decimal>() == 100m);
    }

    [Fact]
    public async Task Only_the_person_fined_appeals_and_only_within_the_policys_window()
    {
        var day = app.Next(DayOfWeek.Thursday, 10);
        await app.At(day);
        var (c, user, _) = await Fined();
        (await app.Api("tech02").Post($"/api/penalty-cases/{c["id"]}/appeal", new { reason = "不是我的" })).Expect(HttpStatusCode.NotFound);
        (await _given.Manager.Post($"/api/penalty-cases/{c["id"]}/appeal", new { reason = "代为申诉" })).Expect(HttpStatusCode.Forbidden);
        Assert.Contains("reason", (await app.Api(user).Post($"/api/penalty-cases/{c["id"]}/appeal", new { reason = "" })).Expect(HttpStatusCode.BadRequest).ErrorFields);

        await app.At(day.AddDays(8)); // the window is 7 days from the confirmation
        (await app.Api(user).Post($"/api/penalty-cases/{c["id"]}/appeal", new { reason = "迟到的申诉" })).Expect(HttpStatusCode.Conflict);
    }
}
