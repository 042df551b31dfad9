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
        var name = $"p{Guid.NewGuid():N}"[..12];
        var branchId = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();
        var li = (int)(await app.Api("admin").Post("/api/users", new { username = name, displayName = "李师傅", password = AppFixture.Password, roles = new[] { "technician" }, branchId }))
            .Expect(HttpStatusCode.Created).Id;
        var techId = (int)(await _given.Manager.Post("/api/technicians", new { userId = li, skills = new[] { "ac.repair" }, onDuty = true, alreadyEmployed = true })).Expect(HttpStatusCode.Created).Id;
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
}
