using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Reports;

[Collection(SqliteCollection.Name)] public sealed class LedgerKpiTestsOnSqlite(SqliteFixture app) : LedgerKpiTests(app);
[Collection(PostgresCollection.Name)] public sealed class LedgerKpiTestsOnPostgres(PostgresFixture app) : LedgerKpiTests(app);

/// <summary>
/// README /reports, "fines and bonuses (pay ledger)": a month's figures are that month's pay ledger, by the line's pay
/// month — not by when the line was posted (the close posts November's bonuses on 1 December; a fine confirmed after the
/// close goes to December). A branch of its own, its ledger written by hand.
/// </summary>
public abstract class LedgerKpiTests(AppFixture app)
{
    private static DateTimeOffset L(int month, int day, int hour, int minute = 0) => new(2025, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task A_months_fines_and_bonuses_are_its_pay_ledgers_by_pay_month_not_by_posting_time()
    {
        var admin = app.Api("admin");
        var hq = (await admin.Get("/api/me")).Body["branchId"]!.GetValue<int>();
        var branch = (int)(await admin.Post("/api/branches", new { name = $"账{Guid.NewGuid():N}"[..10], parentId = hq, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var person = (int)(await admin.Post("/api/users", new { username = $"k{Guid.NewGuid():N}"[..12], displayName = "账师傅", password = AppFixture.Password, roles = new[] { "technician" }, branchId = branch }))
            .Expect(HttpStatusCode.Created).Id;
        var (nov, dec) = (new DateOnly(2025, 11, 1), new DateOnly(2025, 12, 1));
        await app.Db(async db =>
        {
            var policy = await db.PolicyVersions.Select(v => v.Id).FirstAsync();
            PenaltyCase Case(decimal amount, DateTimeOffset at) => new()
            {
                BranchId = branch, PersonUserId = person, PenaltyKey = "absenteeism", RuleIds = "PEN-49,ATT-10", Condition = "none", Amount = amount,
                CreatedAt = at.ToUniversalTime(), PolicyVersionId = policy, OccurredOn = DateOnly.FromDateTime(at.DateTime),
            };
            var fine = Case(100m, L(11, 10, 10));
            var late = Case(30m, L(12, 2, 10)); // offence in November, confirmed after its close: deducted in December
            db.PenaltyCases.AddRange(fine, late);
            await db.SaveChangesAsync();
            fine.Confirm("test", null, L(11, 10, 11).ToUniversalTime(), new PayPeriod(nov, nov));
            late.Confirm("test", null, L(12, 2, 11).ToUniversalTime(), new PayPeriod(nov, dec));
            // The close of November on 1 December posts November's bonus and subsidy into November.
            var bonus = PayLedgerEntry.Pay(branch, person, PayLedgerKind.Bonus, 40m, "RWD-01", Msg.Of("Daily bonus"), [], nov, "finance", L(12, 1, 9, 30).ToUniversalTime());
            db.PayLedger.AddRange(bonus, PayLedgerEntry.Pay(branch, person, PayLedgerKind.Subsidy, 600m, "RWD-07", Msg.Of("Subsidy"), [], nov, "finance", L(12, 1, 9, 30).ToUniversalTime()));
            await db.SaveChangesAsync();
            // An appeal gives 20 of the November fine back in November; the bonus is taken back in December and paid back again.
            db.PayLedger.Add(PayLedgerEntry.Reversal(fine, fine.Posting!, 20m, new PayPeriod(nov, nov), "manager", L(11, 20, 10).ToUniversalTime()));
            var takeBack = PayLedgerEntry.TakeBack(bonus, Msg.Of("Taken back"), new PayPeriod(nov, dec), "system", L(12, 3, 10).ToUniversalTime());
            db.PayLedger.Add(takeBack);
            await db.SaveChangesAsync();
            db.PayLedger.Add(PayLedgerEntry.PayBack(takeBack, Msg.Of("Paid back"), new PayPeriod(dec, dec), "system", L(12, 5, 10).ToUniversalTime()));
            await db.SaveChangesAsync();
            return 0;
        });

        async Task<(decimal Fines, decimal Bonuses)> Kpis(string from, string to)
        {
            var r = (await admin.Get($"/api/reports/kpis?from={from}&to={to}&branchId={branch}")).Expect(HttpStatusCode.OK).Body;
            decimal V(string key) => r["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == key)!["value"]!.GetValue<decimal>();
            return (V("fines"), V("bonuses"));
        }
        async Task<(decimal Fines, decimal Bonuses)> Ledger(string month)
        {
            var items = (await admin.Get($"/api/pay-ledger?month={month}&branchId={branch}&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
            decimal Sum(Func<JsonNode, bool> keep) => items.Where(i => keep(i!)).Sum(i => i!["amount"]!.GetValue<decimal>());
            return (-Sum(i => i["kind"]!.GetValue<string>() == "fine" || (i["kind"]!.GetValue<string>() == "reversal" && i["ruleId"]!.GetValue<string>() == "PEN-49")),
                Sum(i => i["kind"]!.GetValue<string>() is "bonus" or "subsidy" || (i["kind"]!.GetValue<string>() == "reversal" && i["ruleId"]!.GetValue<string>() == "RWD-01")));
        }

        Assert.Equal((80m, 640m), await Kpis("2025-11-01", "2025-12-01")); // 100 − 20 given back; 40 + 600 posted on 1 December
        Assert.Equal(await Ledger("2025-11"), await Kpis("2025-11-01", "2025-12-01"));
        Assert.Equal((30m, 0m), await Kpis("2025-12-01", "2026-01-01")); // the late fine; the bonus taken back and paid back
        Assert.Equal(await Ledger("2025-12"), await Kpis("2025-12-01", "2026-01-01"));
        Assert.Equal((110m, 640m), await Kpis("2025-11-01", "2026-01-01"));
        // Shorter than a month: the pay months that begin within the period (month to date holds the month's ledger so far).
        Assert.Equal((80m, 640m), await Kpis("2025-11-01", "2025-11-16"));
        Assert.Equal((0m, 0m), await Kpis("2025-11-16", "2025-12-01"));
    }
}
