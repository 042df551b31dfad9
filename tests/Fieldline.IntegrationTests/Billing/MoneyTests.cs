using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Billing;

[Collection(SqliteCollection.Name)] public sealed class MoneyTestsOnSqlite(SqliteFixture app) : MoneyTests(app);
[Collection(PostgresCollection.Name)] public sealed class MoneyTestsOnPostgres(PostgresFixture app) : MoneyTests(app);

/// <summary>
/// Money (SC-23, SC-24, FEE-05, FEE-08, FEE-12, PEN-10, PEN-87): cash on hand per technician, hand-ins confirmed by finance
/// with a receipt number, the customer's QR payment, wrong charges found later, and parts drawn only when their cost is paid.
/// </summary>
public abstract class MoneyTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Finance => app.Api("finance");

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private Task<long> Completed((string User, int TechnicianId, int UserId) tech, bool inWarranty, object[] charges, object[]? parts = null, string? payment = null) =>
        _given.CompletedBy(tech, inWarranty, charges, parts, payment);

    private static object Board(decimal amount) => new { description = "更换主板", priceCode = "P-AC-BOARD", amount };

    private async Task<JsonNode> OnHand(string user, int technicianId) =>
        (await app.Api(user).Get($"/api/cash/on-hand?technicianId={technicianId}")).Expect(HttpStatusCode.OK).Body.AsArray().Single()!;

    private static decimal D(JsonNode node, string name) => node[name]!.GetValue<decimal>();

    private static JsonNode? Clock(JsonNode order, string name) => order["clocks"]!.AsArray().LastOrDefault(c => c!["name"]!.GetValue<string>() == name);

    [Fact]
    public async Task SC24_cash_on_hand_is_collected_minus_handed_in_and_finance_confirms_a_hand_in_with_its_receipt_number_which_stops_the_3_day_clock()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var li = await _given.NewTechnician();
            var first = await Completed(li, false, [Board(300.00m)]);
            var second = await Completed(li, false, [Board(120.00m)]);
            var byQr = await Completed(li, false, [Board(200.00m)], payment: "qr");
            var qrOrder = (await _given.Manager.Get($"/api/work-orders/{byQr}")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("qr", qrOrder["paymentMethod"]!.GetValue<string>());
            Assert.Null(Clock(qrOrder, "moneyHandIn")); // paid to the company: nothing to hand in

            var mine = (await app.Api(li.User).Get("/api/cash/on-hand")).Expect(HttpStatusCode.OK).Body.AsArray().Single()!;
            Assert.Equal((420.00m, 0.00m, 420.00m), (D(mine, "collected"), D(mine, "handedIn"), D(mine, "onHand")));
            Assert.Equal([first, second], mine["orders"]!.AsArray().Select(o => o!["workOrderId"]!.GetValue<long>()).ToArray());

            // The technician declares the first order's 300; it cannot be declared twice.
            var declared = (await app.Api(li.User).Post("/api/cash/hand-ins", new { workOrderIds = new[] { first } })).Expect(HttpStatusCode.Created).Body;
            Assert.Equal(300.00m, D(declared, "amount"));
            Assert.Equal("declared", declared["state"]!.GetValue<string>());
            var twice = (await app.Api(li.User).Post("/api/cash/hand-ins", new { workOrderIds = new[] { first } })).Expect(HttpStatusCode.BadRequest);
            Assert.Equal(["workOrderIds"], twice.ErrorFields);
            (await app.Api(li.User).Post("/api/cash/hand-ins", new { workOrderIds = new[] { byQr } })).Expect(HttpStatusCode.BadRequest);
            Assert.Equal(300.00m, D(await OnHand("finance", li.TechnicianId), "declared"));

            var id = declared["id"]!.GetValue<long>();
            Assert.Contains((await Finance.Get("/api/cash/hand-ins?state=declared")).Expect(HttpStatusCode.OK).Body.AsArray(), h => h!["id"]!.GetValue<long>() == id);
            (await app.Api(li.User).Post($"/api/cash/hand-ins/{id}/confirm", new { receiptNumber = "SK-0001", amount = 300.00m })).Expect(HttpStatusCode.Forbidden);
            Assert.Equal(["receiptNumber"], (await Finance.Post($"/api/cash/hand-ins/{id}/confirm", new { amount = 300.00m })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            Assert.Equal(["amount"], (await Finance.Post($"/api/cash/hand-ins/{id}/confirm", new { receiptNumber = "SK-0001", amount = 299.00m })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            var confirmed = (await Finance.Post($"/api/cash/hand-ins/{id}/confirm", new { receiptNumber = "SK-0001", amount = 300.00m })).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(("confirmed", "SK-0001"), (confirmed["state"]!.GetValue<string>(), confirmed["receiptNumber"]!.GetValue<string>()));
            (await Finance.Post($"/api/cash/hand-ins/{id}/confirm", new { receiptNumber = "SK-0001", amount = 300.00m })).Expect(HttpStatusCode.Conflict);

            var firstOrder = (await _given.Manager.Get($"/api/work-orders/{first}")).Body;
            Assert.Equal("met", Clock(firstOrder, "moneyHandIn")!["state"]!.GetValue<string>());
            Assert.Equal(300.00m, D(firstOrder, "remittedAmount"));
            var after = await OnHand("finance", li.TechnicianId);
            Assert.Equal((420.00m, 300.00m, 120.00m, 0.00m), (D(after, "collected"), D(after, "handedIn"), D(after, "onHand"), D(after, "declared")));
            Assert.Equal(D(after, "collected") - D(after, "handedIn"), after["orders"]!.AsArray().Sum(o => D(o!, "amount")));

            // Past the 3 days the rest is overdue, on the finance page's figures.
            await app.At(app.LocalNow.AddDays(3).AddMinutes(5));
            var late = await OnHand("finance", li.TechnicianId);
            Assert.Equal(120.00m, D(late, "overdue"));
            Assert.True(late["orders"]![0]!["overdue"]!.GetValue<bool>());
            // A technician sees only their own money.
            Assert.DoesNotContain((await app.Api("tech01").Get("/api/cash/on-hand")).Expect(HttpStatusCode.OK).Body.AsArray(), r => r!["technicianId"]!.GetValue<int>() == li.TechnicianId);
            (await app.Api("tech01").Get($"/api/cash/on-hand?technicianId={li.TechnicianId}")).Expect(HttpStatusCode.NotFound);
            (await app.Api("dispatcher").Get("/api/cash/on-hand")).Expect(HttpStatusCode.Forbidden);
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC23_50_collected_on_an_in_warranty_order_found_by_the_return_visit_proposes_a_refund_of_50_and_revokes_the_months_eligibility_PEN87()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var wang = await _given.NewTechnician();
            var order = await Completed(wang, true, []);
            var finding = new { kind = "inWarrantyCharge", collected = 50.00m, source = "returnVisit", note = "回访：客户称收了50元人工费" };
            (await app.Api(wang.User).Post($"/api/work-orders/{order}/charge-findings", finding)).Expect(HttpStatusCode.Forbidden);
            Assert.Equal(["collected"], (await _given.Manager.Post($"/api/work-orders/{order}/charge-findings", new { kind = "inWarrantyCharge" })).Expect(HttpStatusCode.BadRequest).ErrorFields);

            var result = (await _given.Manager.Post($"/api/work-orders/{order}/charge-findings", finding)).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("PEN-87", result["case"]!["ruleId"]!.GetValue<string>());
            Assert.Equal(wang.UserId, result["case"]!["personUserId"]!.GetValue<int>());
            Assert.Equal(50.00m, D(result["refund"]!, "amount"));
            Assert.Equal("proposed", result["refund"]!["state"]!.GetValue<string>());
            Assert.True(result["eligibilityRevoked"]!.GetValue<bool>());
            var month = app.LocalNow.ToString("yyyy-MM");
            Assert.Contains((await _given.Manager.Get($"/api/sla/eligibility?month={month}&personUserId={wang.UserId}")).Body.AsArray(),
                c => c!["ruleId"]?.GetValue<string>() == "PEN-87" && c["revoked"]!.GetValue<bool>());

            // The refund waits for the manager.
            var refund = result["refund"]!["id"]!.GetValue<long>();
            Assert.Contains((await Finance.Get("/api/refunds?state=proposed")).Expect(HttpStatusCode.OK).Body.AsArray(), r => r!["id"]!.GetValue<long>() == refund);
            (await Finance.Post($"/api/refunds/{refund}/decide", new { approve = true })).Expect(HttpStatusCode.Forbidden);
            Assert.Equal(["note"], (await _given.Manager.Post($"/api/refunds/{refund}/decide", new { approve = false })).Expect(HttpStatusCode.BadRequest).ErrorFields);
            Assert.Equal("approved", (await _given.Manager.Post($"/api/refunds/{refund}/decide", new { approve = true })).Expect(HttpStatusCode.OK).Str("state"));
            (await _given.Manager.Post($"/api/refunds/{refund}/decide", new { approve = false, note = "改变主意" })).Expect(HttpStatusCode.Conflict);

            var outOfWarranty = await Completed(wang, false, []);
            Assert.Equal(["kind"], (await _given.Manager.Post($"/api/work-orders/{outOfWarranty}/charge-findings", finding)).Expect(HttpStatusCode.BadRequest).ErrorFields);
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task SC23_260_collected_off_system_against_a_standard_of_120_fines_200_under_PEN10_and_proposes_a_refund_of_140()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var zhao = await _given.NewTechnician();
            var order = await Completed(zhao, false, []);
            var atCap = (await _given.Manager.Post($"/api/work-orders/{order}/charge-findings", new { kind = "overcharge", collected = 240.00m, standardPrice = 120.00m, source = "complaint" }))
                .Expect(HttpStatusCode.BadRequest);
            Assert.Equal(["collected"], atCap.ErrorFields);
            var result = (await _given.Manager.Post($"/api/work-orders/{order}/charge-findings", new { kind = "overcharge", collected = 260.00m, standardPrice = 120.00m, source = "complaint" }))
                .Expect(HttpStatusCode.OK).Body;
            Assert.Equal("PEN-10", result["case"]!["ruleId"]!.GetValue<string>());
            Assert.Equal(200.00m, D(result["case"]!, "amount"));
            Assert.Equal(140.00m, D(result["refund"]!, "amount"));
            Assert.Equal("proposed", result["refund"]!["state"]!.GetValue<string>());
            (await _given.Manager.Post("/api/work-orders/999999999/charge-findings", new { kind = "overcharge", collected = 260.00m, standardPrice = 120.00m })).Expect(HttpStatusCode.NotFound);
        }
        finally { await Policy("generic"); }
    }

    /// <summary>A new branch with a user of <paramref name="role"/> in it: the user name.</summary>
    private async Task<string> UserOfAnotherBranch(string role)
    {
        var admin = app.Api("admin");
        var headOffice = (await admin.Get("/api/branches")).Body.AsArray().Single(b => b!["parentId"] is null)!["id"]!.GetValue<int>();
        var branch = (await admin.Post("/api/branches", new { name = $"湘潭-{Guid.NewGuid():N}"[..12], parentId = headOffice, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var name = $"fn{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = name, displayName = "湘潭财务", password = AppFixture.Password, roles = new[] { role }, branchId = branch }))
            .Expect(HttpStatusCode.Created);
        return name;
    }

    [Fact]
    public async Task A_receipt_number_identifies_one_hand_in_a_second_hand_in_with_it_however_typed_is_refused_409_in_Chinese_and_nothing_changes_even_when_both_are_confirmed_at_once()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var li = await _given.NewTechnician();
            var orders = new List<long>();
            for (var i = 0; i < 4; i++) orders.Add(await Completed(li, false, [Board(100.00m + i)]));
            var handIns = new List<long>();
            foreach (var order in orders)
                handIns.Add((await app.Api(li.User).Post("/api/cash/hand-ins", new { workOrderIds = new[] { order } })).Expect(HttpStatusCode.Created).Id);
            var receipt = $"SK-{Guid.NewGuid():N}"[..14].ToUpperInvariant();
            (await Finance.Post($"/api/cash/hand-ins/{handIns[0]}/confirm", new { receiptNumber = receipt, amount = 100.00m })).Expect(HttpStatusCode.OK);

            // The same number again — as typed, in lower case with spaces, on a Chinese keyboard's full-width characters: 409, in Chinese.
            var fullWidth = string.Concat(receipt.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c));
            foreach (var again in new[] { receipt, $" {receipt.ToLowerInvariant()} ", fullWidth })
            {
                var refused = (await Finance.Post($"/api/cash/hand-ins/{handIns[1]}/confirm", new { receiptNumber = again, amount = 101.00m })).Expect(HttpStatusCode.Conflict);
                Assert.Contains("收据号", refused.Body["detail"]!.GetValue<string>());
                Assert.Contains(receipt, refused.Body["detail"]!.GetValue<string>());
            }
            // Nothing changed: still declared, the order's money not handed in, its clock running.
            var declared = (await Finance.Get("/api/cash/hand-ins?state=declared")).Expect(HttpStatusCode.OK).Body.AsArray();
            Assert.Contains(declared, h => h!["id"]!.GetValue<long>() == handIns[1]);
            var second = (await _given.Manager.Get($"/api/work-orders/{orders[1]}")).Expect(HttpStatusCode.OK).Body;
            Assert.Null(second["remittedAmount"]?.GetValue<decimal?>());
            Assert.NotEqual("met", Clock(second, "moneyHandIn")!["state"]!.GetValue<string>());
            // Its own new number is accepted.
            (await Finance.Post($"/api/cash/hand-ins/{handIns[1]}/confirm", new { receiptNumber = receipt + "-2", amount = 101.00m })).Expect(HttpStatusCode.OK);

            // Two hand-ins confirmed with one new number at the same moment: one is saved, the other is a 409 (the unique index decides).
            var shared = $"SK-{Guid.NewGuid():N}"[..14].ToUpperInvariant();
            var both = await Task.WhenAll(
                Finance.Post($"/api/cash/hand-ins/{handIns[2]}/confirm", new { receiptNumber = shared, amount = 102.00m }),
                Finance.Post($"/api/cash/hand-ins/{handIns[3]}/confirm", new { receiptNumber = shared, amount = 103.00m }));
            Assert.Single(both, r => r.Status == HttpStatusCode.OK);
            Assert.Single(both, r => r.Status == HttpStatusCode.Conflict);
            var receipts = (await Finance.Get("/api/cash/hand-ins?state=confirmed")).Expect(HttpStatusCode.OK).Body.AsArray()
                .Where(h => handIns.Contains(h!["id"]!.GetValue<long>())).Select(h => h!["receiptNumber"]!.GetValue<string>()).ToList();
            Assert.Equal(3, receipts.Count);
            Assert.Single(receipts, r => r == shared);
            var on = await OnHand("finance", li.TechnicianId);
            Assert.Equal(D(on, "collected") - D(on, "handedIn"), D(on, "onHand"));
            Assert.Equal(100.00m + 101.00m + (both[0].Status == HttpStatusCode.OK ? 102.00m : 103.00m), D(on, "handedIn"));
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task Two_declarations_of_the_same_cash_at_once_make_one_hand_in_a_repeated_confirmation_with_one_key_records_the_money_once_and_another_branch_sees_none_of_it()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var li = await _given.NewTechnician();
            var order = await Completed(li, false, [Board(300.00m)]);
            var t = app.Api(li.User);

            // The phone sends the hand-in twice at once: one is saved, the other refused; the order is in one open hand-in.
            var both = await Task.WhenAll(t.Post("/api/cash/hand-ins", new { workOrderIds = new[] { order } }), t.Post("/api/cash/hand-ins", new { workOrderIds = new[] { order } }));
            Assert.Single(both, r => r.Status == HttpStatusCode.Created);
            Assert.Single(both, r => r.Status is HttpStatusCode.Conflict or HttpStatusCode.BadRequest);
            var open = (await Finance.Get("/api/cash/hand-ins?state=declared")).Expect(HttpStatusCode.OK).Body.AsArray()
                .Where(h => h!["workOrderIds"]!.AsArray().Any(o => o!.GetValue<long>() == order)).ToList();
            var handIn = Assert.Single(open)!["id"]!.GetValue<long>();
            Assert.Equal(300.00m, D(await OnHand("finance", li.TechnicianId), "declared"));

            // Another branch's finance neither sees nor confirms it; a technician cannot confirm.
            var stranger = app.Api(await UserOfAnotherBranch("finance"));
            (await stranger.Post($"/api/cash/hand-ins/{handIn}/confirm", new { receiptNumber = "XT-0001", amount = 300.00m })).Expect(HttpStatusCode.NotFound);
            (await stranger.Get($"/api/cash/on-hand?technicianId={li.TechnicianId}")).Expect(HttpStatusCode.NotFound);
            Assert.DoesNotContain((await stranger.Get("/api/cash/hand-ins")).Expect(HttpStatusCode.OK).Body.AsArray(), h => h!["id"]!.GetValue<long>() == handIn);
            (await t.Post($"/api/cash/hand-ins/{handIn}/confirm", new { receiptNumber = "SK-X", amount = 300.00m })).Expect(HttpStatusCode.Forbidden);
            Assert.Equal("declared", (await Finance.Get("/api/cash/hand-ins?state=declared")).Body.AsArray().Single(h => h!["id"]!.GetValue<long>() == handIn)!["state"]!.GetValue<string>());

            // Finance's confirmation sent twice with one Idempotency-Key: the second is the first's answer, the money is counted once.
            var key = Guid.NewGuid().ToString();
            var receipt = $"SK-{Guid.NewGuid():N}"[..12];
            var first = (await Finance.Post($"/api/cash/hand-ins/{handIn}/confirm", new { receiptNumber = receipt, amount = 300.00m }, key)).Expect(HttpStatusCode.OK);
            var again = (await Finance.Post($"/api/cash/hand-ins/{handIn}/confirm", new { receiptNumber = receipt, amount = 300.00m }, key)).Expect(HttpStatusCode.OK);
            Assert.True(again.Raw.Headers.Contains("Idempotent-Replayed"));
            Assert.Equal(first.Body.ToJsonString(), again.Body.ToJsonString());
            (await Finance.Post($"/api/cash/hand-ins/{handIn}/confirm", new { receiptNumber = receipt, amount = 300.00m })).Expect(HttpStatusCode.Conflict);
            var after = await OnHand("finance", li.TechnicianId);
            Assert.Equal((300.00m, 300.00m, 0.00m, 0.00m), (D(after, "collected"), D(after, "handedIn"), D(after, "onHand"), D(after, "declared")));
            var remitted = (await _given.Manager.Get($"/api/work-orders/{order}")).Body;
            Assert.Equal(300.00m, D(remitted, "remittedAmount"));
            Assert.Single(remitted["timeline"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "remitted");
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task FEE12_a_requisition_is_refused_with_a_409_naming_the_parts_cost_owed_until_the_out_of_warranty_repairs_money_is_handed_in()
    {
        var keeper = app.Api("warehouse");
        var number = $"F{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        (await keeper.Post("/api/parts", new { partNumber = number, name = "风机电机", productLine = "ac", unitCost = 45.00m, listPrice = 90.00m })).Expect(HttpStatusCode.Created);
        (await keeper.Post("/api/stock/receipts", new { partNumber = number, quantity = 10 })).Expect(HttpStatusCode.OK);
        var sun = await _given.NewTechnician();
        var t = app.Api(sun.User);
        var first = (await t.Post("/api/requisitions", new { lines = new[] { new { partNumber = number, quantity = 2 } } })).Expect(HttpStatusCode.Created).Id;
        (await keeper.Post($"/api/requisitions/{first}/issue")).Expect(HttpStatusCode.OK);

        var order = await Completed(sun, false, [new { description = "更换风机电机", partNumber = number, quantity = 2 }], [new { partNumber = number, name = "风机电机", quantity = 2 }]);
        Assert.Equal(180.00m, D((await _given.Manager.Get($"/api/work-orders/{order}")).Body["charges"]![0]!, "amount"));
        var refused = (await t.Post("/api/requisitions", new { lines = new[] { new { partNumber = number, quantity = 1 } } })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("90.00", refused.Str("detail"), StringComparison.Ordinal); // 2 × unit cost 45.00

        var handIn = (await t.Post("/api/cash/hand-ins")).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(180.00m, D(handIn, "amount"));
        (await Finance.Post($"/api/cash/hand-ins/{handIn["id"]}/confirm", new { receiptNumber = "SK-0002", amount = 180.00m })).Expect(HttpStatusCode.OK);
        (await t.Post("/api/requisitions", new { lines = new[] { new { partNumber = number, quantity = 1 } } })).Expect(HttpStatusCode.Created);
    }
}
