using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Evaluation;

[Collection(SqliteCollection.Name)] public sealed class PayStatementTestsOnSqlite(SqliteFixture app) : PayStatementTests(app);
[Collection(PostgresCollection.Name)] public sealed class PayStatementTestsOnPostgres(PostgresFixture app) : PayStatementTests(app);

/// <summary>
/// Pay statements and the month close: the volume bonuses from the orders (SC-33, RWD-01/RWD-02), fines and appeal
/// reversals from the ledger, totals by kind that add up; closing posts the computed lines, twice is 409, and what is
/// decided afterwards lands in the next open month.
/// </summary>
public abstract class PayStatementTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<JsonNode> Statement(string user, string month, int person)
    {
        var page = (await app.Api(user).Get($"/api/pay-statements?month={month}&personUserId={person}")).Expect(HttpStatusCode.OK).Body;
        return Assert.Single(page["items"]!.AsArray())!;
    }

    private static List<(string Kind, string? RuleId, decimal Amount)> Lines(JsonNode s, params string[] kinds) => s["lines"]!.AsArray()
        .Select(l => (l!["kind"]!.GetValue<string>(), l["ruleId"]?.GetValue<string>(), l["amount"]!.GetValue<decimal>()))
        .Where(l => kinds.Length == 0 || kinds.Contains(l.Item1)).OrderBy(l => l.Item2).ThenBy(l => l.Item3).ToList();

    /// <summary>Orders for one customer's unit, dispatched to the technician now; each walked as far as <paramref name="complete"/> says.</summary>
    private async Task<List<long>> Orders(int technicianId, string tech, long customer, string serial, int count, bool complete)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var id = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial))).Expect(HttpStatusCode.Created).Id;
            (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId })).Expect(HttpStatusCode.OK);
            var t = app.Api(tech);
            (await t.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
            if (complete)
            {
                var now = app.LocalNow;
                (await t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = now, end = now.AddHours(2) } })).Expect(HttpStatusCode.OK);
                (await t.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
                app.Clock.Advance(TimeSpan.FromMinutes(30));
                (await t.Post($"/api/work-orders/{id}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
            }
            ids.Add(id);
        }
        return ids;
    }

    /// <summary>A new repair technician of the manager's branch: login, user id, technician id, branch.</summary>
    private async Task<(string Name, int UserId, int TechnicianId, int BranchId)> RepairTechnician(string displayName)
    {
        var name = $"p{Guid.NewGuid():N}"[..12];
        var branchId = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();
        var user = (int)(await app.Api("admin").Post("/api/users", new { username = name, displayName, password = AppFixture.Password, roles = new[] { "technician" }, branchId }))
            .Expect(HttpStatusCode.Created).Id;
        var techId = (int)(await _given.Manager.Post("/api/technicians", new { userId = user, skills = new[] { "ac.repair" }, onDuty = true, alreadyEmployed = true })).Expect(HttpStatusCode.Created).Id;
        return (name, user, techId, branchId);
    }

    private async Task<long> Complaint(long workOrderId, string description) =>
        (await app.Api("complaints").Post("/api/complaints", new { type = "staffAttitudeOrNegligence", level = "company", channel = "hotline", description, workOrderId }))
            .Expect(HttpStatusCode.Created).Id;

    private static List<long> Ids(JsonNode line) => line["workOrderIds"]!.AsArray().Select(x => x!.GetValue<long>()).Order().ToList();

    [Fact]
    public async Task RWD03_each_empty_trip_of_the_month_pays_the_repair_technician_30_and_names_its_orders()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        var ahead = app.LocalNow.AddDays(50);
        await app.At(new DateTimeOffset(ahead.Year, ahead.Month, 5, 9, 0, 0, TimeSpan.FromHours(8)));
        var month = ahead.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var tech = await _given.NewTechnician();
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var trips = new List<long>();
        foreach (var i in Enumerable.Range(0, 3))
        {
            var id = (await Orders(tech.TechnicianId, tech.User, customer, serial, 1, complete: false))[0];
            var now = app.LocalNow;
            var t = app.Api(tech.User);
            (await t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = now, end = now.AddHours(2) } })).Expect(HttpStatusCode.OK);
            (await t.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
            if (i < 2)
            {
                (await t.Post($"/api/work-orders/{id}/empty-trip", new { reason = "空调运行正常" })).Expect(HttpStatusCode.OK);
                trips.Add(id);
            }
            else
            {
                app.Clock.Advance(TimeSpan.FromMinutes(30));
                (await t.Post($"/api/work-orders/{id}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);
            }
        }
        var s = await Statement("finance", month, tech.UserId);
        var line = s["lines"]!.AsArray().Single(l => l!["ruleId"]?.GetValue<string>() == "RWD-03")!;
        Assert.Equal(("subsidy", 60m), (line["kind"]!.GetValue<string>(), line["amount"]!.GetValue<decimal>()));
        Assert.Equal(trips.Order(), line["workOrderIds"]!.AsArray().Select(x => x!.GetValue<long>()).Order());
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SC33_daily_and_monthly_volume_bonuses_a_late_complaint_and_the_month_close()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        var ahead = app.LocalNow.AddDays(45);
        DateTimeOffset Day(int d, int h) => new(ahead.Year, ahead.Month, d, h, 0, 0, TimeSpan.FromHours(8));
        var month = Day(1, 0).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await app.At(Day(9, 18));
        var (name, li, techId, branchId) = await RepairTechnician("李师傅");
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);

        await app.At(Day(10, 9)); // 8 orders, all completed, no complaint → (8 − 6) × 20 = 40
        var tenth = await Orders(techId, name, customer, serial, 8, complete: true);
        await app.At(Day(11, 9)); // 9 orders, all completed, 1 complaint → 0
        var eleventh = await Orders(techId, name, customer, serial, 9, complete: true);
        (await app.Api("complaints").Post("/api/complaints", new { type = "staffAttitudeOrNegligence", level = "company", channel = "hotline", description = "态度不好", workOrderId = eleventh[0] }))
            .Expect(HttpStatusCode.Created);
        await app.At(Day(12, 9)); // 7 orders, one postponed → 0
        await Orders(techId, name, customer, serial, 6, complete: true);
        await Orders(techId, name, customer, serial, 1, complete: false);
        await app.At(Day(13, 9)); // 6 orders → 0 (the bonus starts at the 7th)
        await Orders(techId, name, customer, serial, 6, complete: true);

        var s = await Statement("finance", month, li);
        Assert.Equal([("bonus", "RWD-01", 40m)], Lines(s, "bonus"));
        Assert.False(s["closed"]!.GetValue<bool>());

        await app.At(Day(14, 9)); // 30 repair orders so far; 120 more make exactly 150 → nothing; 5 more → 200
        await Orders(techId, name, customer, serial, 120, complete: false);
        Assert.DoesNotContain(Lines(await Statement("finance", month, li), "bonus"), l => l.RuleId == "RWD-02");
        await Orders(techId, name, customer, serial, 5, complete: false);
        s = await Statement("finance", month, li);
        Assert.Equal([("bonus", "RWD-01", 40m), ("bonus", "RWD-02", 200m)], Lines(s, "bonus"));
        Assert.Equal(s["lines"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()), s["total"]!.GetValue<decimal>());
        Assert.Equal(240m, s["totals"]!["bonus"]!.GetValue<decimal>());
        Assert.Contains(tenth[0], s["lines"]!.AsArray().First(l => l!["ruleId"]?.GetValue<string>() == "RWD-01")!["workOrderIds"]!.AsArray().Select(x => x!.GetValue<long>()));

        // A fine this month, appealed; the statement holds it as a deduction.
        var fine = (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-01", personUserId = li, evidence = new { text = "不服从调度" } })).Expect(HttpStatusCode.OK).Body["cases"]![0]!;
        Assert.Equal(("PEN-79", 100m), (fine["ruleId"]!.GetValue<string>(), fine["amount"]!.GetValue<decimal>()));
        (await app.Api(name).Post($"/api/penalty-cases/{fine["id"]}/appeal", new { reason = "当时在处理紧急工单" })).Expect(HttpStatusCode.OK);

        // Edge: a complaint about 06-10 received on 06-20 takes that day's bonus back while the month is open.
        await app.At(Day(20, 10));
        (await app.Api("complaints").Post("/api/complaints", new { type = "staffAttitudeOrNegligence", level = "company", channel = "hotline", description = "上次维修后又坏了", workOrderId = tenth[3] }))
            .Expect(HttpStatusCode.Created);
        s = await Statement("finance", month, li);
        Assert.Equal([("bonus", "RWD-02", 200m)], Lines(s, "bonus"));
        Assert.Contains(("deduction", "PEN-79", -100m), Lines(s, "deduction"));
        Assert.Equal(s["lines"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()), s["total"]!.GetValue<decimal>());
        Assert.Single((await app.Api(name).Get($"/api/pay-statements?month={month}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()); // their own
        Assert.Empty((await app.Api("tech02").Get($"/api/pay-statements?month={month}&personUserId={li}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray());
        (await app.Api("dispatcher").Get($"/api/pay-statements?month={month}")).Expect(HttpStatusCode.Forbidden);

        // Finance closes the month: the computed lines are posted; closing twice is 409.
        await app.At(Day(1, 9).AddMonths(1).AddDays(2));
        (await app.Api("finance").Post("/api/pay-ledger/periods/close", new { branchId, month })).Expect(HttpStatusCode.OK);
        (await app.Api("finance").Post("/api/pay-ledger/periods/close", new { branchId, month })).Expect(HttpStatusCode.Conflict);
        var closed = await Statement("finance", month, li);
        Assert.True(closed["closed"]!.GetValue<bool>());
        Assert.All(closed["lines"]!.AsArray(), l => Assert.True(l!["posted"]!.GetValue<bool>()));
        Assert.Equal([("bonus", "RWD-02", 200m)], Lines(closed, "bonus"));
        Assert.Equal(closed["lines"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()), closed["total"]!.GetValue<decimal>());

        // The appeal decided after the close: the reversal lands in the next open month, saying so.
        (await _given.Manager.Post($"/api/penalty-cases/{fine["id"]}/appeal-decision", new { outcome = "dismissed", reason = "调度安排有误" })).Expect(HttpStatusCode.OK);
        Assert.Equal(closed["total"]!.GetValue<decimal>(), (await Statement("finance", month, li))["total"]!.GetValue<decimal>()); // a closed month never changes
        var next = Day(1, 0).AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var reversal = (await Statement("finance", next, li))["lines"]!.AsArray().Single(l => l!["kind"]!.GetValue<string>() == "reversal")!;
        Assert.Equal(100m, reversal["amount"]!.GetValue<decimal>());
        Assert.Contains($"{month} 已结账", reversal["description"]!.GetValue<string>());

        // The PDF statement, in Chinese with the company's name; the branch's workbook.
        var pdf = await app.Api("finance").Get($"/api/pay-statements/{li}/{month}.pdf");
        pdf.Expect(HttpStatusCode.OK);
        var bytes = await pdf.Raw.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        var text = await PdfText.Of(bytes);
        var company = (await app.Api("admin").Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["name"]!.GetValue<string>();
        Assert.Contains("工资条", text);
        Assert.Contains(company, text);
        Assert.Contains("李师傅", text);
        var book = await app.Api("finance").Get($"/api/pay-statements/workbook.xlsx?month={month}&branchId={branchId}");
        book.Expect(HttpStatusCode.OK);
        Assert.Equal("PK", System.Text.Encoding.ASCII.GetString(await book.Raw.Content.ReadAsByteArrayAsync(), 0, 2));
        (await app.Api("tech02").Get($"/api/pay-statements/{li}/{month}.pdf")).Expect(HttpStatusCode.NotFound);
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SC33_after_the_close_a_complaint_takes_the_days_40_back_once_its_rejection_pays_the_40_back_once_and_a_day_left_out_for_a_complaint_later_rejected_is_paid_late()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        var ahead = app.LocalNow.AddDays(45);
        DateTimeOffset Day(int d, int h) => new(ahead.Year, ahead.Month, d, h, 0, 0, TimeSpan.FromHours(8));
        var month = Day(1, 0).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var next = Day(1, 0).AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await app.At(Day(9, 18));
        var (name, wang, techId, branchId) = await RepairTechnician("王师傅");
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        await app.At(Day(10, 9)); // 8 orders, all done, no complaint → (8 − 6) × 20 = 40
        var tenth = await Orders(techId, name, customer, serial, 8, complete: true);
        await app.At(Day(11, 9)); // 7 orders, all done → 20, but a complaint about one still stands at the close → 0
        var eleventh = await Orders(techId, name, customer, serial, 7, complete: true);
        var standing = await Complaint(eleventh[2], "师傅迟到");

        await app.At(Day(1, 9).AddMonths(1).AddDays(2));
        (await app.Api("finance").Post("/api/pay-ledger/periods/close", new { branchId, month })).Expect(HttpStatusCode.OK);
        var closed = await Statement("finance", month, wang);
        var bonus = closed["lines"]!.AsArray().Single(l => l!["ruleId"]?.GetValue<string>() == "RWD-01")!;
        Assert.Equal(40m, bonus["amount"]!.GetValue<decimal>());
        // The posted line keeps the day's orders: the statement names them by number, and the console links them.
        Assert.Equal(tenth.Order(), Ids(bonus));
        var codes = bonus["orders"]!.AsArray().ToDictionary(o => o!["id"]!.GetValue<long>(), o => o!["code"]!.GetValue<string>());
        Assert.Equal(tenth.Order(), codes.Keys.Order());
        Assert.All(codes.Values, c => Assert.False(string.IsNullOrEmpty(c)));
        var page = await (await ConsoleSession.SignIn(app, "finance")).Get($"/manage/pay-ledger?month={month}&branch={branchId}");
        Assert.Contains($"<a href=\"/orders/{tenth[0]}\" class=\"order-link\">{codes[tenth[0]]}</a>", page);
        var closedTotal = closed["total"]!.GetValue<decimal>();

        // Two complaints about the 10th after the close: the 40 is taken back once, in the next month, with the day's orders.
        var first = await Complaint(tenth[3], "上次维修后又坏了");
        var second = await Complaint(tenth[5], "态度不好");
        static List<JsonNode> Reversals(JsonNode s) =>
            s["lines"]!.AsArray().Where(l => l!["kind"]!.GetValue<string>() == "reversal" && l["ruleId"]?.GetValue<string>() == "RWD-01").Select(l => l!).ToList();
        static List<decimal> Amounts(List<JsonNode> lines) => lines.Select(l => l["amount"]!.GetValue<decimal>()).ToList();
        var s = await Statement("finance", next, wang);
        Assert.Equal([-40m], Amounts(Reversals(s)));
        Assert.Equal(tenth.Order(), Ids(Reversals(s)[0]));

        // One complaint rejected while the other stands: the day is still complained of, nothing is paid back.
        (await _given.Manager.Post($"/api/complaints/{first}/reject", new { reason = "客户记错了工单" })).Expect(HttpStatusCode.OK);
        Assert.Equal([-40m], Amounts(Reversals(await Statement("finance", next, wang))));
        // The last one rejected: the 40 is paid back by a new line, once, saying why in Chinese.
        (await _given.Manager.Post($"/api/complaints/{second}/reject", new { reason = "监控显示师傅态度良好" })).Expect(HttpStatusCode.OK);
        (await _given.Manager.Post($"/api/complaints/{second}/reject", new { reason = "再次驳回" })).Expect(HttpStatusCode.Conflict);
        s = await Statement("finance", next, wang);
        Assert.Equal([-40m, 40m], Amounts(Reversals(s)));
        var paidBack = Reversals(s)[1]["description"]!.GetValue<string>();
        Assert.Contains($"投诉 {second}", paidBack);
        Assert.Contains("不成立", paidBack);

        // The 11th, left out at the close for a complaint now rejected: its 20 is paid in the next open month, saying so.
        (await _given.Manager.Post($"/api/complaints/{standing}/reject", new { reason = "师傅按时到达" })).Expect(HttpStatusCode.OK);
        s = await Statement("finance", next, wang);
        var late = s["lines"]!.AsArray().Single(l => l!["kind"]!.GetValue<string>() == "bonus" && l["ruleId"]?.GetValue<string>() == "RWD-01")!;
        Assert.Equal(20m, late["amount"]!.GetValue<decimal>());
        Assert.Equal(eleventh.Order(), Ids(late));
        Assert.Contains($"{month} 已结账", late["description"]!.GetValue<string>());
        Assert.Equal(closedTotal, (await Statement("finance", month, wang))["total"]!.GetValue<decimal>()); // a closed month never changes

        // A new complaint about the 10th takes the 40 back again: a new line, linked to the pay-back.
        await Complaint(tenth[0], "噪音大");
        s = await Statement("finance", next, wang);
        Assert.Equal([-40m, 40m, -40m], Amounts(Reversals(s)));
        Assert.Equal(s["lines"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()), s["total"]!.GetValue<decimal>());
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RWD01_a_complaint_rejected_while_the_month_is_open_leaves_the_days_bonus_standing_also_after_the_customer_is_answered()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        var ahead = app.LocalNow.AddDays(45);
        DateTimeOffset Day(int d, int h) => new(ahead.Year, ahead.Month, d, h, 0, 0, TimeSpan.FromHours(8));
        var month = Day(1, 0).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await app.At(Day(9, 18));
        var (name, zhao, techId, _) = await RepairTechnician("赵师傅");
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        await app.At(Day(10, 9)); // 7 orders, all done → (7 − 6) × 20 = 20
        var day = await Orders(techId, name, customer, serial, 7, complete: true);
        Assert.Equal([("bonus", "RWD-01", 20m)], Lines(await Statement("finance", month, zhao), "bonus"));

        var complaint = await Complaint(day[1], "师傅没穿鞋套");
        Assert.Empty(Lines(await Statement("finance", month, zhao), "bonus"));
        (await _given.Manager.Post($"/api/complaints/{complaint}/reject", new { reason = "照片显示穿了鞋套" })).Expect(HttpStatusCode.OK);
        Assert.Equal([("bonus", "RWD-01", 20m)], Lines(await Statement("finance", month, zhao), "bonus"));
        // Answered afterwards (rejected → resolved): still not upheld, so the bonus stays; nothing is posted while the month is open.
        (await _given.Manager.Post($"/api/complaints/{complaint}/resolve", new { outcome = "已向客户说明", customerNotified = true })).Expect(HttpStatusCode.OK);
        var s = await Statement("finance", month, zhao);
        Assert.Equal([("bonus", "RWD-01", 20m)], Lines(s, "bonus"));
        Assert.Empty(Lines(s, "reversal"));
        Assert.Equal(day.Order(), Ids(s["lines"]!.AsArray().Single(l => l!["ruleId"]?.GetValue<string>() == "RWD-01")!));
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Closing_the_same_month_four_times_at_once_closes_it_once_posts_its_lines_once_and_answers_the_others_409_never_500()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        var ahead = app.LocalNow.AddDays(45);
        await app.At(new DateTimeOffset(ahead.Year, ahead.Month, 3, 9, 0, 0, TimeSpan.FromHours(8)));
        var month = ahead.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var (_, sun, _, branchId) = await RepairTechnician("孙师傅");
        Assert.Equal([("subsidy", "RWD-07", 600m)], Lines(await Statement("finance", month, sun), "subsidy")); // Gree's monthly repair subsidy
        await app.At(new DateTimeOffset(ahead.Year, ahead.Month, 1, 9, 0, 0, TimeSpan.FromHours(8)).AddMonths(1).AddDays(1));

        var finance = app.Api("finance");
        (await finance.Get($"/api/pay-ledger/periods?branchId={branchId}")).Expect(HttpStatusCode.OK); // signed in before the race
        var replies = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => finance.Post("/api/pay-ledger/periods/close", new { branchId, month })));
        var won = Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.All(replies.Where(r => !ReferenceEquals(r, won)), r => r.Expect(HttpStatusCode.Conflict));

        var closed = await Statement("finance", month, sun);
        Assert.True(closed["closed"]!.GetValue<bool>());
        Assert.Equal([("subsidy", "RWD-07", 600m)], Lines(closed, "subsidy"));
        var ledger = (await finance.Get($"/api/pay-ledger?month={month}&personUserId={sun}")).Expect(HttpStatusCode.OK).Body;
        Assert.Single(ledger["items"]!.AsArray(), l => l!["ruleId"]?.GetValue<string>() == "RWD-07");
        Assert.Single((await finance.Get($"/api/pay-ledger/periods?branchId={branchId}")).Body.AsArray(), p => p!["month"]!.GetValue<string>() == month);
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_branch_with_more_people_than_one_read_takes_gets_every_statement_once_in_name_order_each_with_its_own_lines_before_and_after_the_close()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        var ahead = app.LocalNow.AddDays(45);
        await app.At(new DateTimeOffset(ahead.Year, ahead.Month, 3, 9, 0, 0, TimeSpan.FromHours(8)));
        var month = ahead.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branchId = (int)(await admin.Post("/api/branches", new { name = $"株洲-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" }))
            .Expect(HttpStatusCode.Created).Id;
        // More people than the statements read at a time (a group), created in the reverse of their names' order.
        var count = Fieldline.Web.Features.Evaluation.FindPayStatements.PeoplePerRead + 10;
        var people = new List<(string Name, int UserId)>();
        foreach (var n in Enumerable.Range(0, count).Reverse())
        {
            var displayName = $"组员{n:D3}";
            var user = (int)(await admin.Post("/api/users", new { username = $"g{Guid.NewGuid():N}"[..12], displayName, password = AppFixture.Password, roles = new[] { "technician" }, branchId }))
                .Expect(HttpStatusCode.Created).Id;
            // The last by name also installs, so that an installer's rule (PEN-74 in Gree's policy) can fine them.
            var skills = n == count - 1 ? new[] { "ac.install", "ac.repair" } : ["ac.repair"];
            (await admin.Post("/api/technicians", new { userId = user, skills, onDuty = true, alreadyEmployed = true })).Expect(HttpStatusCode.Created);
            people.Add((displayName, user));
        }
        var last = people.MaxBy(p => p.Name);
        var fine = (await admin.Post("/api/violations", new { ruleId = "PEN-74", personUserId = last.UserId, evidence = new { text = "在客户家中说公司坏话" } }))
            .Expect(HttpStatusCode.OK).Body["cases"]![0]!["amount"]!.GetValue<decimal>();
        Assert.True(fine > 0);

        async Task<JsonArray> Branch()
        {
            var page = (await admin.Get($"/api/pay-statements?month={month}&branchId={branchId}")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(count, page["total"]!.GetValue<int>());
            var items = page["items"]!.AsArray();
            Assert.Equal(people.Select(p => p.Name).Order(StringComparer.Ordinal), items.Select(s => s!["personName"]!.GetValue<string>()));
            Assert.All(items, s => Assert.Equal(s!["lines"]!.AsArray().Sum(l => l!["amount"]!.GetValue<decimal>()), s["total"]!.GetValue<decimal>()));
            return items;
        }

        var open = await Branch();
        Assert.All(open, s => Assert.Equal([("subsidy", "RWD-07", 600m)], Lines(s!, "subsidy"))); // Gree's monthly repair subsidy, computed per person
        Assert.Equal([("deduction", "PEN-74", -fine)], Lines(open[^1]!, "deduction")); // the last group reads its own ledger lines
        Assert.All(open.SkipLast(1), s => Assert.Empty(Lines(s!, "deduction")));

        // A page of the people: only its own statements, each the same as in the whole list; the total counts everyone.
        var second = (await admin.Get($"/api/pay-statements?month={month}&branchId={branchId}&page=2&pageSize=50")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(count, second["total"]!.GetValue<int>());
        Assert.Equal(open.Skip(50).Select(s => s!.ToJsonString()), second["items"]!.AsArray().Select(s => s!.ToJsonString()));
        var found = (await admin.Get($"/api/pay-statements?month={month}&branchId={branchId}&q={Uri.EscapeDataString(last.Name)}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(last.UserId, Assert.Single(found["items"]!.AsArray())!["personUserId"]!.GetValue<int>());
        (await admin.Get($"/api/pay-statements?month={month}&branchId={branchId}&page=0")).Expect(HttpStatusCode.BadRequest);
        (await admin.Get($"/api/pay-statements?month={month}&branchId={branchId}&pageSize=201")).Expect(HttpStatusCode.BadRequest);

        // The console's month-close preview is paged the same way: 50 people a page, the last page with the rest.
        var console = await ConsoleSession.SignIn(app, "admin");
        string[] Shown(string html) => [.. System.Text.RegularExpressions.Regex.Matches(html, "id=\"statement-(\\d+)\"").Select(m => m.Groups[1].Value)];
        var page1 = await console.Get($"/manage/pay-ledger?month={month}&branch={branchId}");
        Assert.Equal(open.Take(50).Select(s => s!["personUserId"]!.ToString()), Shown(page1));
        Assert.Contains("rel=\"next\"", page1);
        var page2 = await console.Get($"/manage/pay-ledger?month={month}&branch={branchId}&p=2");
        Assert.Equal(open.Skip(50).Select(s => s!["personUserId"]!.ToString()), Shown(page2));
        Assert.Contains("PEN-74", page2);
        Assert.Equal([last.UserId.ToString(CultureInfo.InvariantCulture)], Shown(await console.Get($"/manage/pay-ledger?month={month}&branch={branchId}&who={Uri.EscapeDataString(last.Name)}")));
        // The branch's workbook streams every person's lines and total, whatever the page.
        var book = await admin.Get($"/api/pay-statements/workbook.xlsx?month={month}&branchId={branchId}");
        book.Expect(HttpStatusCode.OK);
        Assert.Contains($"pay-statements-{month}.xlsx", book.Raw.Content.Headers.ContentDisposition!.ToString());
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await book.Raw.Content.ReadAsByteArrayAsync())))
        {
            using var sheet = zip.GetEntry("xl/worksheets/sheet1.xml")!.Open();
            System.Xml.Linq.XNamespace x = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
            var rows = System.Xml.Linq.XDocument.Load(sheet).Descendants(x + "row").Skip(1)
                .Select(r => r.Elements(x + "c").Select(c => c.Value).ToList()).ToList();
            Assert.Equal(count * 2 + 1, rows.Count); // each person's RWD-07 line and total row, and the last one's fine
            decimal Amount(List<string> row) => decimal.Parse(row[5], CultureInfo.InvariantCulture);
            Assert.Equal(count * 600m - fine, rows.Where(r => r[2] != "合计").Sum(Amount));
            Assert.Equal(count * 600m - fine, rows.Where(r => r[2] == "合计").Sum(Amount));
        }

        await app.At(new DateTimeOffset(ahead.Year, ahead.Month, 1, 9, 0, 0, TimeSpan.FromHours(8)).AddMonths(1).AddDays(1));
        (await admin.Post("/api/pay-ledger/periods/close", new { branchId, month })).Expect(HttpStatusCode.OK);
        var closed = await Branch();
        Assert.All(closed, s => Assert.True(s!["closed"]!.GetValue<bool>()));
        Assert.All(closed, s => Assert.Single(s!["lines"]!.AsArray(), l => l!["ruleId"]?.GetValue<string>() == "RWD-07" && l["posted"]!.GetValue<bool>()));
        Assert.Equal([("deduction", "PEN-74", -fine)], Lines(closed[^1]!, "deduction"));
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SC33_a_complaint_registered_while_the_days_last_complaint_is_rejected_keeps_the_closed_days_bonus_taken_back()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        var ahead = app.LocalNow.AddDays(45);
        DateTimeOffset Day(int d, int h) => new(ahead.Year, ahead.Month, d, h, 0, 0, TimeSpan.FromHours(8));
        var month = Day(1, 0).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var next = Day(1, 0).AddMonths(1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await app.At(Day(9, 18));
        var (name, person, techId, branchId) = await RepairTechnician("赵师傅");
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        await app.At(Day(10, 9)); // 8 orders, all done, no complaint → (8 − 6) × 20 = 40, posted at the close
        var day = await Orders(techId, name, customer, serial, 8, complete: true);
        await app.At(Day(1, 9).AddMonths(1).AddDays(2));
        (await app.Api("finance").Post("/api/pay-ledger/periods/close", new { branchId, month })).Expect(HttpStatusCode.OK);
        var standing = await Complaint(day[0], "第一次投诉"); // the 40 is taken back

        async Task<decimal> Net() => (await Statement("finance", next, person))["lines"]!.AsArray()
            .Where(l => l!["kind"]!.GetValue<string>() == "reversal" && l["ruleId"]?.GetValue<string>() == "RWD-01").Sum(l => l!["amount"]!.GetValue<decimal>());
        Assert.Equal(-40m, await Net());
        // Each time, the standing complaint is rejected at the same moment as a new one about the same day arrives: one
        // complaint still stands afterwards, so the bonus stays taken back — whichever of the two is written first.
        for (var i = 1; i < day.Count; i++)
        {
            var reject = _given.Manager.Post($"/api/complaints/{standing}/reject", new { reason = "客户记错了" });
            var register = Complaint(day[i], $"又一次投诉 {i}");
            await Task.WhenAll(reject, register);
            (await reject).Expect(HttpStatusCode.OK);
            standing = await register;
            Assert.Equal(-40m, await Net());
        }
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }
}
