using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Billing;

[Collection(SqliteCollection.Name)] public sealed class ChargeFindingTestsOnSqlite(SqliteFixture app) : ChargeFindingTests(app);
[Collection(PostgresCollection.Name)] public sealed class ChargeFindingTestsOnPostgres(PostgresFixture app) : ChargeFindingTests(app);

/// <summary>
/// A charge found wrong (SC-23, FEE-04/PEN-10, FEE-08/PEN-87) is one fact about the order (h5 F2): recorded again — a double
/// click, a browser's retry, a second desk, or twenty at once — it is a 409 naming the first, so the technician is fined
/// once and the customer refunded once; findings on separate orders are separate offences, counted up the ladder.
/// </summary>
public abstract class ChargeFindingTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    private static readonly object Overcharge = new { kind = "overcharge", collected = 100.00m, standardPrice = 30.00m, source = "audit", note = "稽核" };

    private Task<(int Cases, int Refunds, int Fines)> Recorded(long order, int person) => app.Db(async db => (
        await db.PenaltyCases.CountAsync(c => c.WorkOrderId == order && c.PersonUserId == person),
        await db.CustomerRefunds.CountAsync(r => r.WorkOrderId == order),
        await db.PayLedger.CountAsync(l => l.PersonUserId == person && l.PenaltyCaseId != null)));

    private static string Statuses(IEnumerable<Reply> replies) =>
        string.Join(", ", replies.GroupBy(r => (int)r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}×{g.Key} {g.First().Body.ToJsonString()}"));

    [Fact]
    public async Task The_same_overcharge_recorded_again_on_the_order_is_a_409_naming_the_first_and_the_technician_is_fined_once()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var tech = await _given.NewTechnician();
            var order = await _given.CompletedBy(tech, false, []);
            var first = (await _given.Manager.Post($"/api/work-orders/{order}/charge-findings", Overcharge)).Expect(HttpStatusCode.OK).Body;
            var refund = first["refund"]!["id"]!.GetValue<long>();
            var fine = first["case"]!["id"]!.GetValue<long>();

            var again = (await app.Api("supervisor").Post($"/api/work-orders/{order}/charge-findings", Overcharge)).Expect(HttpStatusCode.Conflict);
            var detail = again.Str("detail")!;
            Assert.Contains("PEN-10", detail, StringComparison.Ordinal);
            Assert.Contains($"#{refund}", detail, StringComparison.Ordinal);
            Assert.Contains($"#{fine}", detail, StringComparison.Ordinal);
            Assert.Contains("¥70.00", detail, StringComparison.Ordinal);
            // Other figures are the same finding too: one overcharge per order.
            (await _given.Manager.Post($"/api/work-orders/{order}/charge-findings", new { kind = "overcharge", collected = 90.00m, standardPrice = 30.00m })).Expect(HttpStatusCode.Conflict);
            Assert.Equal((1, 1, 1), await Recorded(order, tech.UserId));
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task Twenty_identical_charge_findings_sent_at_once_record_one_fine_and_one_refund()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var tech = await _given.NewTechnician();
            var order = await _given.CompletedBy(tech, false, []);

            var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _given.Manager.Post($"/api/work-orders/{order}/charge-findings", Overcharge)));

            Assert.True(replies.Count(r => r.Status == HttpStatusCode.OK) == 1, Statuses(replies));
            Assert.True(replies.Count(r => r.Status == HttpStatusCode.Conflict) == 19, Statuses(replies));
            Assert.Equal((1, 1, 1), await Recorded(order, tech.UserId));
        }
        finally { await Policy("generic"); }
    }

    [Fact]
    public async Task Overcharges_found_on_two_orders_of_one_technician_at_once_are_the_first_and_the_second_offence()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var tech = await _given.NewTechnician();
            var (one, two) = (await _given.CompletedBy(tech, false, []), await _given.CompletedBy(tech, false, []));

            var replies = await Task.WhenAll(_given.Manager.Post($"/api/work-orders/{one}/charge-findings", Overcharge),
                _given.Manager.Post($"/api/work-orders/{two}/charge-findings", Overcharge));

            Assert.True(replies.All(r => r.Status == HttpStatusCode.OK), Statuses(replies));
            Assert.Equal([1, 2], replies.Select(r => r.Body["case"]!["offence"]!.GetValue<int>()).Order().ToArray());
            var third = await _given.CompletedBy(tech, false, []);
            Assert.Equal(3, (await _given.Manager.Post($"/api/work-orders/{third}/charge-findings", Overcharge)).Expect(HttpStatusCode.OK).Body["case"]!["offence"]!.GetValue<int>());
        }
        finally { await Policy("generic"); }
    }
    [Fact]
    public async Task Twenty_decisions_of_one_refund_sent_at_once_decide_it_once_and_the_others_are_409_naming_its_state()
    {
        await Policy("gree-dealer-changsha-2012");
        try
        {
            var tech = await _given.NewTechnician();
            var order = await _given.CompletedBy(tech, false, []);
            var refund = (await _given.Manager.Post($"/api/work-orders/{order}/charge-findings", Overcharge)).Expect(HttpStatusCode.OK).Body["refund"]!["id"]!.GetValue<long>();

            var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _given.Manager.Post($"/api/refunds/{refund}/decide", new { approve = true })));

            Assert.True(replies.Count(r => r.Status == HttpStatusCode.OK) == 1, Statuses(replies));
            var refused = replies.Where(r => r.Status != HttpStatusCode.OK).ToList();
            Assert.True(refused.All(r => r.Status == HttpStatusCode.Conflict && r.Str("detail")!.Contains("已批准", StringComparison.Ordinal)), Statuses(replies));
            Assert.DoesNotContain(refused, r => r.Str("title") == "版本已过期");
        }
        finally { await Policy("generic"); }
    }
}
