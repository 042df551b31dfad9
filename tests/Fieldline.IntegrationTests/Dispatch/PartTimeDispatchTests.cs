using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.Dispatch;

[Collection(SqliteCollection.Name)] public sealed class PartTimeDispatchTestsOnSqlite(SqliteFixture app) : PartTimeDispatchTests(app);
[Collection(PostgresCollection.Name)] public sealed class PartTimeDispatchTestsOnPostgres(PostgresFixture app) : PartTimeDispatchTests(app);

/// <summary>
/// DSP-21: part-time staff (兼职) are sent on an order only with the after-sales manager's approval — the manager
/// dispatching them, or approving the dispatcher's request by doing so — and never by the plan, the pool or a
/// dispatcher alone; where the policy does not ask for approval they are dispatched like anyone.
/// </summary>
public abstract partial class PartTimeDispatchTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd");

    private async Task<long> NewRepair()
    {
        var customer = await _given.Customer();
        return (await _given.Clerk.Post("/api/work-orders", new { type = "repair", channel = "hotline", customerId = customer, productLine = "ac",
            productModel = "KFR-35GW", purchaseDate = "2026-11-20", faultDescription = "不制冷", priority = "urgent" })).Expect(HttpStatusCode.Created).Id;
    }

    /// <summary>A new technician made part-time by the manager; the test sets them back to full-time when done.</summary>
    private async Task<(string User, int TechnicianId)> PartTimer()
    {
        var (user, tech, _) = await _given.NewTechnician();
        await SetPartTime(tech, true);
        return (user, tech);
    }

    private async Task SetPartTime(int tech, bool partTime)
    {
        var version = (await _given.Manager.Get($"/api/technicians/{tech}")).Expect(HttpStatusCode.OK).Body["version"]!.GetValue<int>();
        var saved = (await _given.Manager.Patch($"/api/technicians/{tech}", new { version, partTime })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(partTime, saved["partTime"]!.GetValue<bool>());
    }

    private static JsonNode Last(JsonNode order) => order["timeline"]!.AsArray().Last()!;

    private async Task<IEnumerable<JsonNode>> Notices(Api who, string kind)
    {
        await app.Tick(); // the outbox delivers
        return (await who.Get("/api/notifications?pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
            .Where(n => n!["kind"]!.GetValue<string>() == kind).Select(n => n!);
    }

    [Fact]
    public async Task A_dispatcher_cannot_send_part_time_staff_alone_the_refusal_names_the_managers_approval_and_the_plan_leaves_them_out()
    {
        var (user, tech) = await PartTimer();
        try
        {
            // A dispatcher may not change the profile: part-time is the manager's decision.
            var profile = (await _given.Manager.Get($"/api/technicians/{tech}")).Body;
            (await _given.Dispatcher.Patch($"/api/technicians/{tech}", new { version = profile["version"]!.GetValue<int>(), partTime = false })).Expect(HttpStatusCode.Forbidden);

            var id = await NewRepair();
            var refused = (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict).Body;
            Assert.Contains(refused["reasons"]!.AsArray(), r => r!["code"]!.GetValue<string>() == "partTime");
            Assert.Contains("主管经理同意", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("new", (await _given.Dispatcher.Get($"/api/work-orders/{id}")).Body["status"]!.GetValue<string>());

            // The plan and the eligibility answer leave them out for the same reason; the pool does not offer them the order.
            var today = DateOnly.FromDateTime(app.LocalNow.Date);
            var plan = (await _given.Dispatcher.Post("/api/dispatch/plan", new { date = D(today), seconds = 0.2 })).Expect(HttpStatusCode.OK).Body;
            var left = plan["leftOut"]!.AsArray().Single(t => t!["technicianId"]!.GetValue<int>() == tech)!;
            Assert.Contains(left["reasons"]!.AsArray(), r => r!["code"]!.GetValue<string>() == "partTime");
            Assert.DoesNotContain(plan["routes"]!.AsArray(), r => r!["technicianId"]!.GetValue<int>() == tech);
            (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK);
            var taken = (await app.Api(user).Post($"/api/work-orders/{id}/take")).Expect(HttpStatusCode.Conflict).Body;
            Assert.Contains(taken["reasons"]!.AsArray(), r => r!["code"]!.GetValue<string>() == "partTime");

            // Nor may the dispatcher move someone's order to them.
            var other = await NewRepair();
            var (_, fullTime, _) = await _given.NewTechnician();
            (await _given.Dispatcher.Post($"/api/work-orders/{other}/dispatch", new { technicianId = fullTime })).Expect(HttpStatusCode.OK);
            (await _given.Dispatcher.Post($"/api/work-orders/{other}/transfer", new { technicianId = tech, reason = "人手不够" })).Expect(HttpStatusCode.Conflict);
        }
        finally { await SetPartTime(tech, false); }
    }

    [Fact]
    public async Task The_manager_approves_the_dispatchers_request_by_dispatching_the_part_time_technician_who_gets_the_order()
    {
        var (user, tech) = await PartTimer();
        try
        {
            var id = await NewRepair();
            var (_, fullTime, _) = await _given.NewTechnician();
            var noReason = (await _given.Dispatcher.Post($"/api/work-orders/{id}/part-time-request", new { technicianId = tech, reason = "" })).Expect(HttpStatusCode.BadRequest);
            Assert.NotNull(noReason.Body["errors"]!["reason"]);
            var notPartTime = (await _given.Dispatcher.Post($"/api/work-orders/{id}/part-time-request", new { technicianId = fullTime, reason = "急单" })).Expect(HttpStatusCode.BadRequest);
            Assert.NotNull(notPartTime.Body["errors"]!["technicianId"]);
            (await app.Api(user).Post($"/api/work-orders/{id}/part-time-request", new { technicianId = tech, reason = "我来" })).Expect(HttpStatusCode.Forbidden);

            var asked = (await _given.Dispatcher.Post($"/api/work-orders/{id}/part-time-request", new { technicianId = tech, reason = "急修,技师都在外面" })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(("partTimeRequested", "new"), (Last(asked)["action"]!.GetValue<string>(), asked["status"]!.GetValue<string>()));
            Assert.Contains(await Notices(_given.Manager, "partTimeRequested"), n => n["body"]!.GetValue<string>().Contains("急修,技师都在外面", StringComparison.Ordinal));

            // The request alone moves nothing: the dispatcher still may not send them.
            (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.Conflict);

            var sent = (await _given.Manager.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal((tech, "dispatched"), (sent["technicianId"]!.GetValue<int>(), sent["status"]!.GetValue<string>()));
            var data = Last(sent)["data"]!;
            Assert.Equal(("manager", "dispatcher"), (data["partTimeApprovedBy"]!.GetValue<string>(), data["approvedRequestBy"]!.GetValue<string>()));
            (await app.Api(user).Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);

            // Answered: nothing is pending to decline any more.
            (await _given.Manager.Post($"/api/work-orders/{id}/part-time-request/decline", new { reason = "晚了" })).Expect(HttpStatusCode.Conflict);
        }
        finally { await SetPartTime(tech, false); }
    }

    [Fact]
    public async Task The_manager_declines_with_a_reason_the_dispatcher_is_told_and_a_second_decline_is_a_conflict()
    {
        var (_, tech) = await PartTimer();
        try
        {
            var id = await NewRepair();
            (await _given.Dispatcher.Post($"/api/work-orders/{id}/part-time-request/decline", new { reason = "没有申请" })).Expect(HttpStatusCode.Forbidden);
            (await _given.Manager.Post($"/api/work-orders/{id}/part-time-request/decline", new { reason = "没有申请" })).Expect(HttpStatusCode.Conflict);
            (await _given.Dispatcher.Post($"/api/work-orders/{id}/part-time-request", new { technicianId = tech, reason = "急修" })).Expect(HttpStatusCode.OK);

            var blank = (await _given.Manager.Post($"/api/work-orders/{id}/part-time-request/decline", new { reason = " " })).Expect(HttpStatusCode.BadRequest);
            Assert.NotNull(blank.Body["errors"]!["reason"]);
            var declined = (await _given.Manager.Post($"/api/work-orders/{id}/part-time-request/decline", new { reason = "兼职人员不熟悉该机型" })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(("partTimeDeclined", "new"), (Last(declined)["action"]!.GetValue<string>(), declined["status"]!.GetValue<string>()));
            Assert.Contains(await Notices(_given.Dispatcher, "partTimeDeclined"), n => n["body"]!.GetValue<string>().Contains("兼职人员不熟悉该机型", StringComparison.Ordinal));
            (await _given.Manager.Post($"/api/work-orders/{id}/part-time-request/decline", new { reason = "再拒" })).Expect(HttpStatusCode.Conflict);
        }
        finally { await SetPartTime(tech, false); }
    }

    [Fact]
    public async Task Where_the_policy_does_not_ask_for_approval_part_time_staff_are_dispatched_like_anyone()
    {
        var (_, tech) = await PartTimer();
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic", parameters = new { dispatch = new { partTimeDispatchRequiresManagerApproval = false } } })).Expect(HttpStatusCode.OK);
        try
        {
            var id = await NewRepair();
            (await _given.Dispatcher.Post($"/api/work-orders/{id}/part-time-request", new { technicianId = tech, reason = "急修" })).Expect(HttpStatusCode.Conflict);
            var sent = (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.OK).Body;
            Assert.Null(Last(sent)["data"]!["partTimeApprovedBy"]);
        }
        finally
        {
            (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
            await SetPartTime(tech, false);
        }
    }

    [Fact]
    public async Task The_dispatcher_asks_on_the_order_page_and_the_manager_approves_there_while_the_board_offers_part_time_staff_to_the_manager_only()
    {
        var (_, tech) = await PartTimer();
        try
        {
            var id = await NewRepair();
            var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
            var board = await dispatcher.Get("/board");
            Assert.Matches($"<option value=\"{tech}\" disabled[^>]*>[^<]*兼职,须经理派工</option>", board);
            NoEnglish(board, "board with part-time staff");

            var page = await dispatcher.Get($"/orders/{id}");
            Assert.Contains("id=\"part-time-form\"", page, StringComparison.Ordinal);
            NoEnglish(page, "order page with the part-time request form");
            var version = Version(page, "part-time-form");
            var blank = await dispatcher.Post($"/orders/{id}?handler=RequestPartTime", new Dictionary<string, string> { ["version"] = version, ["technicianId"] = $"{tech}", ["reason"] = "" });
            Assert.Contains("field-error", blank, StringComparison.Ordinal);
            var asked = await dispatcher.Post($"/orders/{id}?handler=RequestPartTime", new Dictionary<string, string> { ["version"] = version, ["technicianId"] = $"{tech}", ["reason"] = "急修,无人可派" });
            Assert.Contains("已提交主管经理审批", asked, StringComparison.Ordinal);
            Assert.Contains("等待主管经理同意", asked, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"approve-part-time\"", asked, StringComparison.Ordinal);

            var manager = await ConsoleSession.SignIn(app, "manager");
            var branch = (await _given.Dispatcher.Get($"/api/work-orders/{id}")).Body["branchId"]!.GetValue<int>();
            Assert.Matches($"<option value=\"{tech}\" translate=\"no\">[^<]*兼职</option>", await manager.Get($"/board?branchId={branch}"));
            var managerPage = await manager.Get($"/orders/{id}");
            Assert.Contains("急修,无人可派", managerPage, StringComparison.Ordinal);
            NoEnglish(managerPage, "order page with the part-time request for the manager");
            var approved = await manager.Post($"/orders/{id}?handler=ApprovePartTime", new Dictionary<string, string> { ["version"] = Version(managerPage, "approve-part-time") });
            Assert.Contains("已同意:兼职人员已派工", approved, StringComparison.Ordinal);
            var order = (await _given.Dispatcher.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal((tech, "dispatched"), (order["technicianId"]!.GetValue<int>(), order["status"]!.GetValue<string>()));
        }
        finally { await SetPartTime(tech, false); }
    }

    private static void NoEnglish(string page, string where)
    {
        var english = LanguageCrawl.EnglishIn(page).Select(f => $"{f.Where}: {f.Text}").Distinct().ToList();
        Assert.True(english.Count == 0, $"English on the Chinese {where}:\n" + string.Join("\n", english.Take(40)));
    }

    private static string Version(string page, string formId) =>
        VersionField().Match(page[page.IndexOf($"id=\"{formId}\"", StringComparison.Ordinal)..]).Groups[1].Value;

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();
}
