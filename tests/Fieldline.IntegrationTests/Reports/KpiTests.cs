using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fieldline.IntegrationTests.Reports;

[Collection(SqliteCollection.Name)] public sealed class KpiTestsOnSqlite(SqliteFixture app) : KpiTests(app);
[Collection(PostgresCollection.Name)] public sealed class KpiTestsOnPostgres(PostgresFixture app) : KpiTests(app);

/// <summary>Each KPI of GET /api/reports/kpis on the crafted March 2025 (<see cref="CraftedBranch"/>), the expected numbers worked out by hand.</summary>
public abstract class KpiTests(AppFixture app)
{
    private async Task<(CraftedBranch Branch, JsonNode Report)> March(string? groupBy = null)
    {
        var b = await CraftedBranch.Of(app);
        var report = (await app.Api("admin").Get($"/api/reports/kpis?from=2025-03-01&to=2025-04-01&branchId={b.BranchId}{(groupBy is null ? "" : $"&groupBy={groupBy}")}"))
            .Expect(HttpStatusCode.OK).Body;
        return (b, report);
    }

    private static JsonNode Kpi(JsonNode report, string key) => report["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == key)!;

    private static decimal? Value(JsonNode report, string key) => Kpi(report, key)["value"]?.GetValue<decimal>();

    [Fact]
    public async Task Orders_received_and_completed_count_the_branchs_local_days_by_type_and_product_line()
    {
        var (_, r) = await March();
        // o1–o6 were received in March, Changsha time (o6 at 23:30 on the 31st); o7 at 00:30 on 1 April is April's, though UTC says March.
        Assert.Equal(6, Value(r, "received"));
        Assert.Equal("KPI-11", Kpi(r, "received")["ruleId"]!.GetValue<string>());
        Assert.Equal(5, Value(r, "completed")); // o1–o5, the empty trip o5 included
        Assert.Equal(5, Value(r, "received.type.repair"));
        Assert.Equal(1, Value(r, "received.type.install"));
        Assert.Equal(4, Value(r, "received.line.ac"));
        Assert.Equal(2, Value(r, "received.line.purifier"));
        // The previous period (as long: 29 Jan – 1 Mar) had o8 only.
        Assert.Equal("2025-01-29", r["previousFrom"]!.GetValue<string>());
        Assert.Equal(1, Kpi(r, "received")["previous"]!.GetValue<decimal>());
        Assert.Equal(1, Kpi(r, "completed")["previous"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task The_complaint_rate_is_complaints_over_completed_orders_against_the_policys_one_percent()
    {
        var (_, r) = await March();
        var rate = Kpi(r, "complaintRate");
        Assert.Equal("KPI-01", rate["ruleId"]!.GetValue<string>());
        // One complaint (the rejected one does not count) over 5 completed orders.
        Assert.Equal(1, rate["numerator"]!.GetValue<decimal>());
        Assert.Equal(5, rate["denominator"]!.GetValue<decimal>());
        Assert.Equal(20m, rate["value"]!.GetValue<decimal>());
        Assert.Equal(1m, rate["target"]!.GetValue<decimal>());
        Assert.False(rate["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task First_time_fix_counts_the_repairs_no_later_repair_repeats()
    {
        var (_, r) = await March();
        var ftf = Kpi(r, "firstTimeFix");
        Assert.Equal("KPI-02", ftf["ruleId"]!.GetValue<string>());
        // Repairs completed in March, not empty trips: o1, o2, o4; o4 repeats o2, so 2 of 3 held.
        Assert.Equal(2, ftf["numerator"]!.GetValue<decimal>());
        Assert.Equal(3, ftf["denominator"]!.GetValue<decimal>());
        Assert.Equal(66.67m, ftf["value"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Waiting_and_repair_times_average_the_completed_orders_in_hours()
    {
        var (_, r) = await March();
        // Call → arrival: 2, 4, 2, 1, 1 hours; arrival → done: 2, 1, 3, 1, 0.5 hours.
        Assert.Equal(2.00m, Value(r, "waitingHours"));
        Assert.Equal(1.50m, Value(r, "repairHours"));
        Assert.Equal("KPI-08", Kpi(r, "repairHours")["ruleId"]!.GetValue<string>());
    }

    [Fact]
    public async Task SLA_compliance_is_per_clock_over_the_decided_deadlines_started_in_the_period()
    {
        var (_, r) = await March();
        // Dispatch: o1 met, o2 breached, o3 met (o6 still running, o8 February's) → 2 of 3. Contact: o4 met → 1 of 1.
        var dispatch = Kpi(r, "slaCompliance.dispatch");
        Assert.Equal("KPI-13", dispatch["ruleId"]!.GetValue<string>());
        Assert.Equal(66.67m, dispatch["value"]!.GetValue<decimal>());
        Assert.Equal(3, dispatch["denominator"]!.GetValue<decimal>());
        Assert.Equal(100m, Value(r, "slaCompliance.contact"));
        Assert.Equal(0m, Kpi(r, "slaCompliance.dispatch")["previous"]!.GetValue<decimal>()); // February: o8 breached
    }

    [Fact]
    public async Task Satisfaction_empty_trips_revenue_leaks_fines_and_bonuses_come_from_their_own_records()
    {
        var (_, r) = await March();
        Assert.Equal(4.00m, Value(r, "satisfaction")); // return visits: 5 and 3
        Assert.Equal(1, Value(r, "emptyTrips"));
        Assert.Equal(150.50m, Value(r, "revenue"));
        Assert.Equal(1, Value(r, "leaks")); // the leak found on o5, of B's installation o3
        Assert.Equal(150m, Value(r, "fines")); // 100 + 50 deducted
        Assert.Equal(30m, Value(r, "bonuses")); // the empty-trip subsidy
    }

    [Fact]
    public async Task Per_technician_figures_are_the_same_definitions_over_each_technicians_orders()
    {
        var (b, r) = await March("technician");
        var a = r["groups"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == b.TechA.ToString())!;
        Assert.Equal(b.TechAName, a["label"]!.GetValue<string>());
        decimal? Of(JsonNode g, string key) => g["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == key)!["value"]?.GetValue<decimal>();
        Assert.Equal(2, Of(a, "completed")); // o1, o2
        Assert.Equal(50m, Of(a, "firstTimeFix")); // o2 came back
        Assert.Equal(50m, Of(a, "fines"));
        var tb = r["groups"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == b.TechB.ToString())!;
        Assert.Equal(3, Of(tb, "completed")); // o3, o4, o5
        Assert.Equal(1, Of(tb, "leaks"));
        Assert.Equal(33.33m, Of(tb, "complaintRate"));

        var days = (await March("day")).Report["groups"]!.AsArray();
        Assert.Contains(days, d => d!["key"]!.GetValue<string>() == "2025-03-31");
        Assert.DoesNotContain(days, d => d!["key"]!.GetValue<string>() == "2025-04-01");
        var lines = (await March("productLine")).Report["groups"]!.AsArray();
        Assert.Equal(["ac", "purifier"], lines.Select(l => l!["key"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task The_figures_agree_with_a_plain_SQL_count()
    {
        var (b, r) = await March();
        var zone = AppFixture.Shanghai;
        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();
        var end = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();
        _ = zone;
        var sqlite = app.Provider == "Sqlite";
        var converter = new DateTimeOffsetToBinaryConverter();
        object P(DateTimeOffset t) => sqlite ? converter.ConvertToProvider(t)! : t;
        async Task<int> Count(string sql) => await app.Db(db => db.Database.SqlQueryRaw<int>(sql, b.BranchId, P(start), P(end)).SingleAsync());

        Assert.Equal(Value(r, "received"), await Count("""SELECT COUNT(*) AS "Value" FROM "WorkOrders" WHERE "BranchId" = {0} AND "CreatedAt" >= {1} AND "CreatedAt" < {2}"""));
        Assert.Equal(Value(r, "completed"), await Count("""SELECT COUNT(*) AS "Value" FROM "WorkOrders" WHERE "BranchId" = {0} AND "CompletedAt" >= {1} AND "CompletedAt" < {2}"""));
        Assert.Equal(Kpi(r, "complaintRate")["numerator"]!.GetValue<decimal>(),
            await Count("""SELECT COUNT(*) AS "Value" FROM "Complaints" WHERE "BranchId" = {0} AND "CreatedAt" >= {1} AND "CreatedAt" < {2} AND "Status" <> 'Rejected'"""));
        Assert.Equal(Kpi(r, "slaCompliance.dispatch")["numerator"]!.GetValue<decimal>(),
            await Count("""SELECT COUNT(*) AS "Value" FROM "SlaClocks" WHERE "BranchId" = {0} AND "StartedAt" >= {1} AND "StartedAt" < {2} AND "Name" = 'dispatch' AND "State" = 'Met'"""));
    }

    [Fact]
    public async Task A_branch_manager_sees_only_their_branch_and_a_technician_nothing()
    {
        var b = await CraftedBranch.Of(app);
        var own = (await app.Api(b.ManagerUser).Get("/api/reports/kpis?from=2025-03-01&to=2025-04-01")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(b.BranchId, own["branchId"]!.GetValue<int>());
        Assert.Equal(6, Value(own, "received"));
        var changsha = (await app.Api("supervisor").Get("/api/me")).Body["branchId"]!.GetValue<int>();
        (await app.Api(b.ManagerUser).Get($"/api/reports/kpis?branchId={changsha}")).Expect(HttpStatusCode.NotFound);
        (await app.Api("supervisor").Get($"/api/reports/kpis?branchId={b.BranchId}")).Expect(HttpStatusCode.NotFound);
        (await app.Api("tech01").Get("/api/reports/kpis")).Expect(HttpStatusCode.Forbidden);
        (await app.Api("clerk").Get("/api/reports/kpis")).Expect(HttpStatusCode.Forbidden);
        // Head office without a branch: the company, this branch's March included.
        var company = (await app.Api("admin").Get("/api/reports/kpis?from=2025-03-01&to=2025-04-01")).Expect(HttpStatusCode.OK).Body;
        Assert.True(Value(company, "received") >= 6);
    }

    [Fact]
    public async Task A_period_that_ends_before_it_starts_or_an_unknown_grouping_names_the_field()
    {
        var bad = (await app.Api("admin").Get("/api/reports/kpis?from=2025-03-01&to=2025-02-01")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("to", bad.ErrorFields);
        bad = (await app.Api("admin").Get("/api/reports/kpis?groupBy=week")).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("groupBy", bad.ErrorFields);
    }
}
