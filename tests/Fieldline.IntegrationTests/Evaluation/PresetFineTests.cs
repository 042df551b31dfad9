using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Evaluation;

[Collection(SqliteCollection.Name)] public sealed class PresetFineTestsOnSqlite(SqliteFixture app) : PresetFineTests(app);
[Collection(PostgresCollection.Name)] public sealed class PresetFineTestsOnPostgres(PostgresFixture app) : PresetFineTests(app);

/// <summary>
/// A rule a preset does not have is not applied (regulations.md A12): a preset whose document states no fines (Jinlong:
/// "No fines in this document") fines nothing — no SLA fine, no violation to record, nothing on the statement — and a
/// dismissal-review trigger a preset lacks opens no review (DSM-17 under Gree). Upholding a review settles the fine that
/// opened it; keeping the person leaves it to the normal path. The evidence names who recorded it by name.
/// </summary>
public abstract class PresetFineTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private async Task<(string User, int UserId, int TechnicianId)> Staff(params string[] skills)
    {
        var name = $"f{Guid.NewGuid():N}"[..12];
        var branchId = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();
        var userId = (int)(await app.Api("admin").Post("/api/users", new { username = name, displayName = "制度师傅", password = AppFixture.Password, roles = new[] { "technician" }, branchId }))
            .Expect(HttpStatusCode.Created).Id;
        var techId = (int)(await _given.Manager.Post("/api/technicians", new { userId, skills, onDuty = true, alreadyEmployed = true })).Expect(HttpStatusCode.Created).Id;
        return (name, userId, techId);
    }

    private async Task<JsonNode> Violation(object body, string by = "supervisor") =>
        Assert.Single((await app.Api(by).Post("/api/violations", body)).Expect(HttpStatusCode.OK).Body["cases"]!.AsArray())!;

    private async Task<JsonNode?> ReviewOf(JsonNode penalty, string state = "open") =>
        (await _given.Manager.Get($"/api/dismissal-reviews?state={state}")).Expect(HttpStatusCode.OK).Body.AsArray()
            .SingleOrDefault(r => r!["penaltyCaseId"]?.GetValue<long>() == penalty["id"]!.GetValue<long>());

    private async Task<JsonArray> Ledger(int person, string month) =>
        (await _given.Manager.Get($"/api/pay-ledger?month={month}&personUserId={person}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    [Fact]
    public async Task Jinlong_states_no_fines_so_an_overdue_order_is_a_breach_without_a_case_no_violation_can_be_recorded_and_the_statement_has_no_deduction()
    {
        await Policy("jinlong-ac-install");
        var start = app.Next(DayOfWeek.Monday, 9);
        await app.At(start);
        var month = start.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var tech = await Staff("ac.install", "ac.repair");
        var customer = await _given.Customer();
        var id = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, await _given.Product(customer)))).Expect(HttpStatusCode.Created).Id;
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
        (await app.Api(tech.User).Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);

        // Days later the order is still not done: the deadlines are breached and recorded, but Jinlong has no fine for them.
        await app.At(start.AddDays(4));
        Assert.NotEmpty((await _given.Manager.Get($"/api/sla/breaches?workOrderId={id}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray());
        Assert.Empty((await _given.Manager.Get($"/api/penalty-cases?workOrderId={id}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray());

        // No rule to record: the API names the field, the console says so in Chinese instead of offering a list.
        foreach (var rule in new[] { "PEN-04", "PEN-89", "uniformBadgeMissingOrShabby" })
        {
            var refused = (await app.Api("supervisor").Post("/api/violations", new { ruleId = rule, personUserId = tech.UserId })).Expect(HttpStatusCode.BadRequest);
            Assert.Contains("ruleId", refused.ErrorFields);
        }
        var page = await (await ConsoleSession.SignIn(app, "supervisor")).Get("/manage/violations");
        Assert.Contains("本制度无罚款条款", page);
        Assert.DoesNotContain("id=\"violation\"", page);

        var statement = Assert.Single((await app.Api("finance").Get($"/api/pay-statements?month={month}&personUserId={tech.UserId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray())!;
        Assert.DoesNotContain(statement["lines"]!.AsArray(), l => l!["kind"]!.GetValue<string>() == "deduction");
        Assert.Equal(0m, statement["totals"]!["deduction"]!.GetValue<decimal>());
        Assert.Empty(await Ledger(tech.UserId, month));
        await Policy("generic");
    }

    [Fact]
    public async Task DSM17_under_Gree_which_has_no_such_trigger_a_verified_attitude_complaint_opens_no_review_and_the_field_says_why()
    {
        await Policy("gree-dealer-changsha-2012");
        await app.At(app.Next(DayOfWeek.Tuesday, 10));
        var tech = await Staff("ac.repair");
        var customer = await _given.Customer();
        var order = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, await _given.Product(customer)))).Expect(HttpStatusCode.Created).Id;
        (await _given.Dispatcher.Post($"/api/work-orders/{order}/dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
        var complaint = (await app.Api("complaints").Post("/api/complaints", new { type = "staffAttitudeOrNegligence", level = "company", channel = "hotline", workOrderId = order, description = "师傅辱骂客户" }))
            .Expect(HttpStatusCode.Created).Body;
        Assert.Equal(tech.UserId, complaint["personUserId"]!.GetValue<int>());

        var refused = (await app.Api("complaints").Post($"/api/complaints/{complaint["id"]}/verify", new { harmedCompanyImage = true, note = "邻居证实" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("harmedCompanyImage", refused.ErrorFields);
        Assert.Equal("open", (await app.Api("complaints").Get($"/api/complaints/{complaint["id"]}")).Expect(HttpStatusCode.OK).Body["status"]!.GetValue<string>());
        (await app.Api("complaints").Post($"/api/complaints/{complaint["id"]}/verify", new { note = "邻居证实" })).Expect(HttpStatusCode.OK);
        Assert.DoesNotContain((await _given.Manager.Get("/api/dismissal-reviews")).Expect(HttpStatusCode.OK).Body.AsArray(),
            r => r!["evidence"]?["complaintId"]?.GetValue<long>() == complaint["id"]!.GetValue<long>());
        await Policy("generic");
    }

    [Fact]
    public async Task Upholding_a_dismissal_review_confirms_the_500_fine_that_opened_it_and_posts_it_in_the_same_save_keeping_the_person_leaves_it_proposed()
    {
        await Policy("gree-dealer-changsha-2012");
        var start = app.Next(DayOfWeek.Wednesday, 10);
        await app.At(start);
        var month = start.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        async Task<JsonNode> ThirdDisobedience(int person)
        {
            await Violation(new { ruleId = "PEN-01", personUserId = person });
            await Violation(new { ruleId = "PEN-01", personUserId = person });
            var third = await Violation(new { ruleId = "PEN-01", personUserId = person, evidence = new { text = "屡教不改,第三次不服从调度" } });
            Assert.Equal(("PEN-79", 500m, "proposed"), (third["ruleId"]!.GetValue<string>(), third["amount"]!.GetValue<decimal>(), third["state"]!.GetValue<string>()));
            return third;
        }

        var dismissed = await Staff("ac.repair");
        var fine = await ThirdDisobedience(dismissed.UserId);
        var review = (await ReviewOf(fine))!;
        (await _given.Manager.Post($"/api/dismissal-reviews/{review["id"]}/decide", new { uphold = true, note = "同意辞退" })).Expect(HttpStatusCode.OK);
        var settled = (await _given.Manager.Get($"/api/penalty-cases?personUserId={dismissed.UserId}&state=confirmed")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
            .Single(c => c!["id"]!.GetValue<long>() == fine["id"]!.GetValue<long>())!;
        Assert.Equal("manager", settled["decidedBy"]!.GetValue<string>());
        Assert.Contains(await Ledger(dismissed.UserId, month), l => l!["penaltyCaseId"]?.GetValue<long>() == fine["id"]!.GetValue<long>() && l["amount"]!.GetValue<decimal>() == -500m);

        var kept = await Staff("ac.repair");
        var keptFine = await ThirdDisobedience(kept.UserId);
        var keptReview = (await ReviewOf(keptFine))!;
        (await _given.Manager.Post($"/api/dismissal-reviews/{keptReview["id"]}/decide", new { uphold = false, note = "留用察看" })).Expect(HttpStatusCode.OK);
        Assert.Contains((await _given.Manager.Get($"/api/penalty-cases?personUserId={kept.UserId}&state=proposed")).Body["items"]!.AsArray(),
            c => c!["id"]!.GetValue<long>() == keptFine["id"]!.GetValue<long>());
        Assert.DoesNotContain(await Ledger(kept.UserId, month), l => l!["penaltyCaseId"]?.GetValue<long>() == keptFine["id"]!.GetValue<long>());
        // The fine then takes the normal path: the manager dismisses it with a reason.
        (await _given.Manager.Post($"/api/penalty-cases/{keptFine["id"]}/dismiss", new { reason = "留用,免于罚款" })).Expect(HttpStatusCode.OK);
        await Policy("generic");
    }

    [Fact]
    public async Task The_violation_page_takes_a_named_step_and_an_assessed_amount_serious_overcharging_opens_a_review_and_a_damaged_wall_is_charged_as_assessed()
    {
        await Policy("gree-dealer-changsha-2012");
        var tech = await Staff("ac.install");
        var page = await ConsoleSession.SignIn(app, "supervisor");
        var form = await page.Get("/manage/violations");
        Assert.Contains("情节严重", form);
        Assert.Contains("核定金额", form);
        await page.Post("/manage/violations", new Dictionary<string, string>
        {
            ["RuleId"] = "overQuoteAboveTwiceStandard", ["PersonUserId"] = tech.UserId.ToString(CultureInfo.InvariantCulture), ["Qualifier"] = "serious", ["Count"] = "1", ["Note"] = "报价超过标准价三倍",
        });
        await page.Post("/manage/violations", new Dictionary<string, string>
        {
            ["RuleId"] = "customerPropertyDamageInstaller", ["PersonUserId"] = tech.UserId.ToString(CultureInfo.InvariantCulture), ["Amount"] = "350.50", ["Count"] = "1", ["Note"] = "打孔弄脏客户墙面",
        });
        var refused = await page.Post("/manage/violations", new Dictionary<string, string>
        {
            ["RuleId"] = "uniformBadgeMissingOrShabby", ["PersonUserId"] = tech.UserId.ToString(CultureInfo.InvariantCulture), ["Amount"] = "99", ["Count"] = "1",
        });
        Assert.Contains("field-error", refused); // the amount comes from the policy for this rule

        var cases = (await _given.Manager.Get($"/api/penalty-cases?personUserId={tech.UserId}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Equal(2, cases.Count);
        var serious = cases.Single(c => c!["ruleId"]!.GetValue<string>() == "PEN-10")!;
        Assert.Equal(("serious", "proposed"), (serious["step"]!.GetValue<string>(), serious["state"]!.GetValue<string>()));
        Assert.NotNull(await ReviewOf(serious));
        var wall = cases.Single(c => c!["ruleId"]!.GetValue<string>() == "PEN-67")!;
        Assert.Equal((350.50m, "confirmed"), (wall["amount"]!.GetValue<decimal>(), wall["state"]!.GetValue<string>()));
        await Policy("generic");
    }

    [Fact]
    public async Task The_penalty_page_names_who_recorded_the_evidence_by_their_name_not_their_login()
    {
        await Policy("gree-dealer-changsha-2012");
        var tech = await Staff("ac.install");
        var proposed = await Violation(new { ruleId = "PEN-62", personUserId = tech.UserId, evidence = new { text = "未带上岗证" } });
        Assert.Equal("proposed", proposed["state"]!.GetValue<string>());
        var supervisor = (await app.Api("supervisor").Get("/api/me")).Expect(HttpStatusCode.OK).Body["displayName"]!.GetValue<string>();
        var page = await (await ConsoleSession.SignIn(app, "manager")).Get("/manage/penalties");
        Assert.Contains($"id=\"case-{proposed["id"]}\"", page);
        Assert.Contains($"登记人：<span translate=\"no\">{System.Net.WebUtility.HtmlEncode(supervisor)}</span>", page);
        Assert.DoesNotContain("登记人：<span translate=\"no\">supervisor</span>", page);
        await Policy("generic");
    }
}
