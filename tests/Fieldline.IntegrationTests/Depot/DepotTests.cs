using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Depot;

[Collection(SqliteCollection.Name)] public sealed class DepotTestsOnSqlite(SqliteFixture app) : DepotTests(app);
[Collection(PostgresCollection.Name)] public sealed class DepotTestsOnPostgres(PostgresFixture app) : DepotTests(app);

/// <summary>
/// Depot (carry-in) repair, SC-27: the customer goods collection receipt (SHOP-06), "in transit" until the repair register,
/// the throughput due date (SHOP-01), the return visit 3 days after the customer collects (SHOP-02, RV-01), and returns at
/// the customer's cost without the general manager's approval (SHOP-05).
/// </summary>
public abstract class DepotTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Supervisor => app.Api("supervisor");

    /// <summary>A new branch (an empty depot) with a supervisor; the supervisor's user name and the branch.</summary>
    private async Task<(string User, long Branch)> NewDepot()
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"送修-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var name = $"dp{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = name, displayName = "送修主管", password = AppFixture.Password, roles = new[] { "supervisor" }, branchId = branch }))
            .Expect(HttpStatusCode.Created);
        return (name, branch);
    }

    private static object Units(int n, string kind = "repair") =>
        Enumerable.Range(1, n).Select(i => new { product = "净水器 RO-400", serialNumber = $"SN{i:000}", fault = "不出水", accessories = "电源适配器", kind }).ToArray();

    private static string Day(DateTimeOffset d, int plus) => DateOnly.FromDateTime(d.Date).AddDays(plus).ToString("yyyy-MM-dd");

    [Fact]
    public async Task SC27_25_units_received_on_a_day_are_due_3_days_later_a_batch_of_8_the_next_day_and_20_units_in_2_days()
    {
        var monday = app.Next(DayOfWeek.Monday, 9);
        await app.At(monday);
        foreach (var (units, days) in new[] { (25, 3), (8, 1), (20, 2) })
        {
            var (user, branch) = await NewDepot();
            var receipt = (await app.Api(user).Post("/api/depot/receipts", new { customerName = "王女士", customerPhone = "13800001111", units = Units(units) }))
                .Expect(HttpStatusCode.Created).Body;
            Assert.Equal($"R-{monday.Year}-0001", receipt["number"]!.GetValue<string>());
            var queue = (await app.Api(user).Get($"/api/depot/queue?branchId={branch}")).Expect(HttpStatusCode.OK).Body.AsArray();
            Assert.Equal(units, queue.Count);
            Assert.All(queue, u => Assert.Equal(Day(monday, days), u!["dueOn"]!.GetValue<string>()));
            Assert.All(queue, u => Assert.Equal("registered", u!["status"]!.GetValue<string>()));
        }
    }

    /// <summary>The queue's due dates of one receipt's units (the branch's open units), all alike: the one date.</summary>
    private async Task<string> DueOf(string user, long branch, long receipt)
    {
        var units = (await app.Api(user).Get($"/api/depot/queue?branchId={branch}")).Expect(HttpStatusCode.OK).Body.AsArray()
            .Where(u => u!["receiptId"]!.GetValue<long>() == receipt).ToList();
        Assert.NotEmpty(units);
        return Assert.Single(units.Select(u => u!["dueOn"]!.GetValue<string>()).Distinct());
    }

    [Fact]
    public async Task SHOP01_A15_the_due_date_counts_the_backlog_still_open_from_earlier_days_and_25_units_received_one_by_one_on_a_day_are_all_due_in_3_days()
    {
        var monday = app.Next(DayOfWeek.Monday, 9);
        await app.At(monday);
        var (user, branch) = await NewDepot();
        var api = app.Api(user);
        object Receipt(int n) => new { customerName = "王女士", customerPhone = "13800001111", units = Units(n) };

        // Monday 15 units: backlog 15 → ceil(15 / 10) = 2 days.
        var first = (await api.Post("/api/depot/receipts", Receipt(15))).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(Day(monday, 2), await DueOf(user, branch, first["id"]!.GetValue<long>()));

        // Tuesday 10 more while Monday's 15 are open: backlog 25 → 3 days (Friday); Monday's keep their Wednesday.
        await app.At(monday.AddDays(1));
        var second = (await api.Post("/api/depot/receipts", Receipt(10))).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(Day(monday, 1 + 3), await DueOf(user, branch, second["id"]!.GetValue<long>()));
        Assert.Equal(Day(monday, 2), await DueOf(user, branch, first["id"]!.GetValue<long>()));
        // Five of Monday's are repaired on Tuesday.
        foreach (var unit in first["units"]!.AsArray().Take(5))
            (await api.Post($"/api/depot/units/{unit!["id"]}/repair", new { note = "更换进水电磁阀" })).Expect(HttpStatusCode.OK);

        // Wednesday one more: open are 10 of Monday's + Tuesday's 10 + this 1 = 21 → 3 days (Saturday).
        await app.At(monday.AddDays(2));
        var third = (await api.Post("/api/depot/receipts", Receipt(1))).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(Day(monday, 2 + 3), await DueOf(user, branch, third["id"]!.GetValue<long>()));
        Assert.Equal(Day(monday, 1 + 3), await DueOf(user, branch, second["id"]!.GetValue<long>()));

        // Another depot takes a batch of 25 in one by one at the counter, all on one day: every unit is due in 3 days.
        var (counter, counterBranch) = await NewDepot();
        var receipts = new List<long>();
        for (var i = 0; i < 25; i++)
        {
            await app.At(monday.AddDays(2).AddMinutes(10 * i + 10));
            receipts.Add((await app.Api(counter).Post("/api/depot/receipts", Receipt(1))).Expect(HttpStatusCode.Created).Id);
        }
        var queue = (await app.Api(counter).Get($"/api/depot/queue?branchId={counterBranch}")).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Equal(25, queue.Count);
        Assert.All(queue, u => Assert.Equal(Day(monday, 2 + 3), u!["dueOn"]!.GetValue<string>()));
        Assert.Equal(25, receipts.Distinct().Count());
    }

    [Fact]
    public async Task SC27_a_technician_who_cannot_fix_a_purifier_on_site_gives_a_numbered_receipt_printed_or_sent_by_SMS_and_the_unit_is_in_transit_until_the_office_registers_it()
    {
        var order = await _given.OrderIn("inProgress");
        var tech = app.Api("tech01");
        var receipt = (await tech.Post("/api/depot/receipts", new { workOrderId = order, units = new[] { new { fault = "漏水，现场无法修复", accessories = "滤芯三支" } }, sms = true }))
            .Expect(HttpStatusCode.Created).Body;
        var number = receipt["number"]!.GetValue<string>();
        Assert.Matches(@"^R-\d{4}-\d{4}$", number);
        Assert.True(receipt["smsQueued"]!.GetValue<bool>());
        var unit = receipt["units"]!.AsArray().Single()!;
        Assert.Equal("inTransit", unit["status"]!.GetValue<string>());
        Assert.Equal(order, unit["workOrderId"]!.GetValue<long>());
        var id = receipt["id"]!.GetValue<long>();
        var phone = receipt["customerPhone"]!.GetValue<string>();
        var sms = await app.Db(db => db.Outbox.AsNoTracking().Where(m => m.Kind == "depotReceipt" && m.WorkOrderId == order).ToListAsync());
        Assert.Equal(phone, Assert.Single(sms).ToPhone);

        // Printed: a Chinese PDF with the number.
        using var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await app.Token(client, "tech01"));
        var pdf = await client.GetAsync($"/api/depot/receipts/{id}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var text = await PdfText(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains("客户商品领取收据", text);
        Assert.Contains(number, text);

        // In transit until the office enters it in the repair register; only once.
        var unitId = unit["id"]!.GetValue<long>();
        (await tech.Post($"/api/depot/units/{unitId}/register")).Expect(HttpStatusCode.Forbidden);
        var transit = (await app.Api("clerk").Get("/api/depot/queue?status=inTransit")).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Contains(transit, u => u!["id"]!.GetValue<long>() == unitId);
        Assert.Equal("registered", (await app.Api("clerk").Post($"/api/depot/units/{unitId}/register")).Expect(HttpStatusCode.OK).Str("status"));
        (await app.Api("clerk").Post($"/api/depot/units/{unitId}/register")).Expect(HttpStatusCode.Conflict);
        // Another technician does not see it.
        (await app.Api("tech02").Get($"/api/depot/receipts/{id}")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SC27_a_repaired_unit_reaching_the_customer_puts_its_order_in_the_return_visit_queue_due_3_days_later()
    {
        var order = await _given.OrderIn("completed");
        var receipt = (await Supervisor.Post("/api/depot/receipts", new { workOrderId = order, units = new[] { new { fault = "压缩机异响" } } })).Expect(HttpStatusCode.Created).Body;
        var unitId = receipt["units"]!.AsArray().Single()!["id"]!.GetValue<long>();
        (await Supervisor.Post($"/api/depot/units/{unitId}/hand-back")).Expect(HttpStatusCode.Conflict); // not repaired yet
        (await Supervisor.Post($"/api/depot/units/{unitId}/repair", new { note = "更换压缩机" })).Expect(HttpStatusCode.OK);
        var collected = app.Next(DayOfWeek.Friday, 10);
        await app.At(collected);
        var unit = (await Supervisor.Post($"/api/depot/units/{unitId}/hand-back")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("collected", unit["status"]!.GetValue<string>());
        Assert.Equal(collected.AddDays(3), unit["returnVisitDueAt"]!.GetValue<DateTimeOffset>());
        var due = (await app.Api("visitor").Get("/api/return-visits/due")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
            .Single(v => v!["workOrderId"]?.GetValue<long>() == order)!;
        Assert.Equal(collected.AddDays(3), due["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Day(collected, 3), due["dueAt"]!.GetValue<DateTimeOffset>().ToString("yyyy-MM-dd"));
    }

    [Fact]
    public async Task SHOP02_a_unit_from_an_order_visited_already_is_in_the_return_visit_queue_by_itself_3_days_after_the_customer_collects_it_and_the_order_gets_no_clock()
    {
        var order = await _given.OrderIn("visited");
        var receipt = (await Supervisor.Post("/api/depot/receipts", new { workOrderId = order, units = new[] { new { fault = "滤芯座漏水" } } })).Expect(HttpStatusCode.Created).Body;
        var unitId = receipt["units"]!.AsArray().Single()!["id"]!.GetValue<long>();
        (await Supervisor.Post($"/api/depot/units/{unitId}/repair", new { note = "更换滤芯座" })).Expect(HttpStatusCode.OK);
        var collected = app.Next(DayOfWeek.Wednesday, 11);
        await app.At(collected);
        (await Supervisor.Post($"/api/depot/units/{unitId}/hand-back")).Expect(HttpStatusCode.OK);

        async Task<JsonNode?> Row() => (await app.Api("visitor").Get("/api/return-visits/due")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
            .SingleOrDefault(v => v!["depotUnitId"]?.GetValue<long>() == unitId);
        var row = (await Row())!;
        Assert.NotNull(row);
        Assert.Equal(("depot", receipt["number"]!.GetValue<string>()), (row["purpose"]!.GetValue<string>(), row["code"]!.GetValue<string>()));
        Assert.Equal(collected.AddDays(3), row["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(0, await app.Db(db => db.SlaClocks.CountAsync(c => c.WorkOrderId == order && c.RuleId == "SHOP-02")));

        (await app.Api("visitor").Post("/api/return-visits", new { depotUnitId = unitId, outcome = "reached", satisfaction = 5, remarks = "净水器正常" })).Expect(HttpStatusCode.OK);
        Assert.Null(await Row());
    }

    [Fact]
    public async Task SHOP02_a_unit_carried_in_without_a_work_order_is_in_the_return_visit_queue_3_days_after_the_customer_collects_it_until_the_customer_is_reached()
    {
        var phone = Given.Phone();
        var receipt = (await Supervisor.Post("/api/depot/receipts", new { customerName = "赵先生", customerPhone = phone, units = Units(1) })).Expect(HttpStatusCode.Created).Body;
        var unitId = receipt["units"]!.AsArray().Single()!["id"]!.GetValue<long>();
        var number = receipt["number"]!.GetValue<string>();
        (await Supervisor.Post($"/api/depot/units/{unitId}/repair", new { note = "更换水泵" })).Expect(HttpStatusCode.OK);
        async Task<JsonNode?> Row() => (await app.Api("visitor").Get("/api/return-visits/due")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
            .SingleOrDefault(v => v!["depotUnitId"]?.GetValue<long>() == unitId);
        Assert.Null(await Row()); // not collected yet
        var collected = app.Next(DayOfWeek.Tuesday, 15);
        await app.At(collected);
        (await Supervisor.Post($"/api/depot/units/{unitId}/hand-back")).Expect(HttpStatusCode.OK);

        var row = (await Row())!;
        Assert.NotNull(row);
        Assert.Equal(("depot", number, phone, 0), (row["purpose"]!.GetValue<string>(), row["code"]!.GetValue<string>(), row["contactPhone"]!.GetValue<string>(),
            row["attempts"]!.GetValue<int>()));
        Assert.Null(row["workOrderId"]);
        Assert.Equal(collected.AddDays(3), row["dueAt"]!.GetValue<DateTimeOffset>());
        // A queue filtered by technician or order type is about orders: the unit is not in it.
        Assert.DoesNotContain((await app.Api("visitor").Get("/api/return-visits/due?type=repair")).Body["items"]!.AsArray(), v => v!["depotUnitId"]?.GetValue<long>() == unitId);

        // Bad input names the field and records nothing; only the agent records; the first call goes unanswered, the second reaches the customer.
        Assert.Equal(["depotUnitId"], (await app.Api("visitor").Post("/api/return-visits", new { outcome = "reached", satisfaction = 5 })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["satisfaction"], (await app.Api("visitor").Post("/api/return-visits", new { depotUnitId = unitId, outcome = "reached" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        (await Supervisor.Post("/api/return-visits", new { depotUnitId = unitId, outcome = "reached", satisfaction = 5 })).Expect(HttpStatusCode.Forbidden);
        var first = (await app.Api("visitor").Post("/api/return-visits", new { depotUnitId = unitId, outcome = "unreachable" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("depot", 1, "unreachable"), (first["purpose"]!.GetValue<string>(), first["attempt"]!.GetValue<int>(), first["outcome"]!.GetValue<string>()));
        Assert.Equal(1, (await Row())!["attempts"]!.GetValue<int>());
        // Another unanswered call before the retry interval (returnVisit.retryAfterMinutes) is refused, naming when the next counts.
        Assert.Contains("下一次拨打", (await app.Api("visitor").Post("/api/return-visits", new { depotUnitId = unitId, outcome = "unreachable" }))
            .Expect(HttpStatusCode.Conflict).Body["detail"]!.GetValue<string>());
        var reached = (await app.Api("visitor").Post("/api/return-visits", new { depotUnitId = unitId, outcome = "reached", satisfaction = 4, remarks = "机器正常" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal((2, 4), (reached["attempt"]!.GetValue<int>(), reached["satisfaction"]!.GetValue<int>()));
        Assert.Null(await Row());
        (await app.Api("visitor").Post("/api/return-visits", new { depotUnitId = unitId, outcome = "reached", satisfaction = 4 })).Expect(HttpStatusCode.Conflict);
        Assert.Equal(2, await app.Db(db => db.ReturnVisits.CountAsync(v => v.DepotUnitId == unitId)));
    }

    [Fact]
    public async Task SHOP05_a_return_without_the_general_managers_approval_is_saved_as_customer_bears_all_costs_until_the_manager_approves()
    {
        var receipt = (await Supervisor.Post("/api/depot/receipts", new { customerName = "李先生", customerPhone = "13900002222", units = Units(1, "return") }))
            .Expect(HttpStatusCode.Created).Body;
        var unit = receipt["units"]!.AsArray().Single()!;
        Assert.Equal("return", unit["kind"]!.GetValue<string>());
        Assert.True(unit["customerBearsAllCosts"]!.GetValue<bool>());
        var id = unit["id"]!.GetValue<long>();
        (await Supervisor.Post($"/api/depot/units/{id}/approve-return")).Expect(HttpStatusCode.Forbidden);
        Assert.False((await _given.Manager.Post($"/api/depot/units/{id}/approve-return")).Expect(HttpStatusCode.OK).Body["customerBearsAllCosts"]!.GetValue<bool>());
        (await _given.Manager.Post($"/api/depot/units/{id}/approve-return")).Expect(HttpStatusCode.Conflict);
        var repair = (await Supervisor.Post("/api/depot/receipts", new { customerName = "李先生", customerPhone = "13900002222", units = Units(1) })).Expect(HttpStatusCode.Created).Body;
        Assert.False(repair["units"]!.AsArray().Single()!["customerBearsAllCosts"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_receipt_needs_units_with_their_fault_and_a_phone_the_keeper_may_not_issue_one_and_another_branch_sees_none()
    {
        var before = await app.Db(db => db.Set<Fieldline.Web.Features.Depot.DepotReceipt>().CountAsync());
        Assert.Contains("units", (await Supervisor.Post("/api/depot/receipts", new { customerName = "王女士", customerPhone = "13800001111" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var bad = (await Supervisor.Post("/api/depot/receipts", new { customerName = "王女士", customerPhone = "12", units = new[] { new { product = "净水器" } } })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("units[0].fault", bad.ErrorFields);
        Assert.Contains("customerPhone", bad.ErrorFields);
        (await app.Api("warehouse").Post("/api/depot/receipts", new { customerName = "王女士", customerPhone = "13800001111", units = Units(1) })).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(before, await app.Db(db => db.Set<Fieldline.Web.Features.Depot.DepotReceipt>().CountAsync()));

        var receipt = (await Supervisor.Post("/api/depot/receipts", new { customerName = "王女士", customerPhone = "13800001111", units = Units(1) })).Expect(HttpStatusCode.Created).Body;
        var unitId = receipt["units"]!.AsArray().Single()!["id"]!.GetValue<long>();
        var (stranger, _) = await NewDepot();
        var changsha = receipt["branchId"]!.GetValue<int>();
        (await app.Api(stranger).Get($"/api/depot/queue?branchId={changsha}")).Expect(HttpStatusCode.NotFound);
        (await app.Api(stranger).Get($"/api/depot/receipts/{receipt["id"]}")).Expect(HttpStatusCode.NotFound);
        (await app.Api(stranger).Post($"/api/depot/units/{unitId}/repair", new { note = "换板" })).Expect(HttpStatusCode.NotFound);
        Assert.Contains("note", (await Supervisor.Post($"/api/depot/units/{unitId}/repair", new { })).Expect(HttpStatusCode.BadRequest).ErrorFields);
    }

    [Fact]
    public async Task Issue18_a_new_unit_is_never_hidden_behind_the_oldest_the_queue_pages_by_arrival_finds_a_unit_by_receipt_order_or_serial_and_head_office_sees_every_branch()
    {
        var (user, branch) = await NewDepot();
        var api = app.Api(user);
        // An old backlog first, then the unit that matters: a technician's order's unit, in transit.
        for (var i = 0; i < 3; i++)
            (await api.Post("/api/depot/receipts", new { customerName = "王女士", customerPhone = "13800001111", units = Units(2) })).Expect(HttpStatusCode.Created);
        var serial = $"KF{Guid.NewGuid():N}"[..14].ToUpperInvariant();
        var late = (await api.Post("/api/depot/receipts", new { customerName = "赵先生", customerPhone = "13900002222",
            units = new[] { new { product = "净水器 RO-50", serialNumber = serial, fault = "漏水" } } })).Expect(HttpStatusCode.Created).Body;
        var number = late["number"]!.GetValue<string>();
        var unit = late["units"]![0]!["id"]!.GetValue<long>();

        // Pages of 4, oldest first: the new unit is on the second page, found after the first's largest id.
        var first = (await api.Get($"/api/depot/queue?branchId={branch}&limit=4")).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Equal(4, first.Count);
        Assert.DoesNotContain(first, u => u!["id"]!.GetValue<long>() == unit);
        var after = first.Max(u => u!["id"]!.GetValue<long>());
        var second = (await api.Get($"/api/depot/queue?branchId={branch}&limit=4&after={after}")).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Equal(3, second.Count);
        Assert.Contains(second, u => u!["id"]!.GetValue<long>() == unit);

        // Found by its receipt number (as typed, lower case too), its serial, the customer's phone — and nothing else is.
        foreach (var q in new[] { number, number.ToLowerInvariant(), serial[2..10], "13900002222", "赵先生" })
            Assert.Equal([unit], (await api.Get($"/api/depot/queue?branchId={branch}&q={Uri.EscapeDataString(q)}")).Expect(HttpStatusCode.OK).Body.AsArray()
                .Select(u => u!["id"]!.GetValue<long>()).ToList());
        Assert.Empty((await api.Get($"/api/depot/queue?branchId={branch}&q=R-1999-0001")).Expect(HttpStatusCode.OK).Body.AsArray());

        // An order's unit is found by the order's code.
        var order = await _given.OrderIn("inProgress");
        var code = (await _given.Manager.Get($"/api/work-orders/{order}")).Expect(HttpStatusCode.OK).Str("code")!;
        var taken = (await app.Api("tech01").Post("/api/depot/receipts", new { workOrderId = order, units = new[] { new { fault = "现场无法修复" } } }))
            .Expect(HttpStatusCode.Created).Body["units"]![0]!["id"]!.GetValue<long>();
        var byCode = (await app.Api("clerk").Get($"/api/depot/queue?q={Uri.EscapeDataString(code)}&status=inTransit")).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Equal([taken], byCode.Select(u => u!["id"]!.GetValue<long>()).ToList());

        // Head office without a branch: every branch's units; with one it cannot be (none such): 404.
        var all = (await _given.Manager.Get($"/api/depot/queue?q={Uri.EscapeDataString(number)}")).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Contains(all, u => u!["id"]!.GetValue<long>() == unit);
        (await _given.Manager.Get("/api/depot/queue?branchId=987654")).Expect(HttpStatusCode.NotFound);

        // Hostile filters: 400 naming each, nothing else read.
        Assert.Equal(["limit"], (await api.Get($"/api/depot/queue?branchId={branch}&limit=0")).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["limit"], (await api.Get($"/api/depot/queue?branchId={branch}&limit=2001")).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["after"], (await api.Get($"/api/depot/queue?branchId={branch}&after=abc")).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["branchId"], (await api.Get("/api/depot/queue?branchId=x")).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["q"], (await api.Get($"/api/depot/queue?branchId={branch}&q={new string('滤', 101)}")).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(["status"], (await api.Get($"/api/depot/queue?branchId={branch}&status=lost")).Expect(HttpStatusCode.BadRequest).ErrorFields);
    }

    private static async Task<string> PdfText(byte[] pdf)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, pdf);
            using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", file, "-"]) { RedirectStandardOutput = true })!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return text;
        }
        finally { File.Delete(file); }
    }
}
