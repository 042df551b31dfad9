using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Reports.Kpis;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Reports;

[Collection(SqliteCollection.Name)] public sealed class ClockHourTestsOnSqlite(SqliteFixture app) : ClockHourTests(app);
[Collection(PostgresCollection.Name)] public sealed class ClockHourTestsOnPostgres(PostgresFixture app) : ClockHourTests(app);

/// <summary>
/// KPI-13 over a long period reads the hourly clock counts the database keeps (<see cref="ClockHour"/>, triggers on the
/// clocks) instead of the clocks: they must equal a count of the clocks after every kind of change a clock goes through, on
/// both providers, and a branch whose zone is not whole hours (read from the clocks) must get the same figures.
/// </summary>
public abstract class ClockHourTests(AppFixture app)
{
    private static readonly DateTimeOffset T0 = new(2024, 3, 5, 2, 0, 0, TimeSpan.Zero);

    private async Task<int> Branch(string zone)
    {
        var admin = app.Api("admin");
        var hq = (await admin.Get("/api/me")).Body["branchId"]!.GetValue<int>();
        return (int)(await admin.Post("/api/branches", new { name = $"时钟{Guid.NewGuid():N}"[..10], parentId = hq, timeZone = zone }))
            .Expect(HttpStatusCode.Created).Id;
    }

    /// <summary>One order of the branch, and clocks of it as given: (name, start, state, overdue).</summary>
    private Task<List<long>> Clocks(int branch, params (string Name, DateTimeOffset Start, ClockState State, bool Overdue)[] clocks) => app.Db(async db =>
    {
        var customer = new Fieldline.Web.Features.Customers.Customer
        {
            BranchId = branch, Name = "时钟客户", Phone = Given.Phone(), Address = "长沙市时钟路1号", CreatedAt = T0,
        };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        var order = new WorkOrder
        {
            Code = $"WO-CLK-{Guid.NewGuid():N}"[..20], BranchId = branch, Type = WorkOrderType.Repair, Channel = Channel.Hotline,
            PolicyVersionId = await db.PolicyVersions.OrderBy(v => v.Number).Select(v => v.Id).FirstAsync(),
            CustomerId = customer.Id, ProductLine = "ac", ContactPerson = "时钟客户", ContactPhone = customer.Phone, Address = customer.Address, CreatedAt = T0,
        };
        db.WorkOrders.Add(order);
        await db.SaveChangesAsync();
        var made = clocks.Select(c => new SlaClock
        {
            WorkOrderId = order.Id, BranchId = branch, Name = c.Name, RuleId = "DSP-05", StartedAt = c.Start, TargetMinutes = 30,
            State = c.State, OverdueAt = c.Overdue ? c.Start.AddMinutes(31) : null, ResponsibleRole = "dispatcher",
        }).ToList();
        db.SlaClocks.AddRange(made);
        await db.SaveChangesAsync();
        return made.Select(c => c.Id).ToList();
    });

    /// <summary>The branch's clocks counted the plain way, per UTC hour and clock: (hour, name) → (decided, met).</summary>
    private Task<Dictionary<(long, string), (int, int)>> Counted(int branch) => app.Db(async db =>
        (await db.SlaClocks.AsNoTracking().Where(c => c.BranchId == branch).ToListAsync())
            .Where(c => c.State is ClockState.Met or ClockState.Breached || c.OverdueAt != null)
            .GroupBy(c => (c.StartedAt.ToUnixTimeMilliseconds() / ClockHour.HourMs, c.Name))
            .ToDictionary(g => g.Key, g => (g.Count(), g.Count(c => c.State == ClockState.Met))));

    private Task<Dictionary<(long, string), (int, int)>> Kept(int branch) => app.Db(async db =>
        (await db.Set<ClockHour>().AsNoTracking().Where(h => h.BranchId == branch).ToListAsync())
            .Where(h => h.Decided != 0 || h.Met != 0)
            .ToDictionary(h => (h.Hour, h.Name), h => (h.Decided, h.Met)));

    private async Task AssertKeptEqualsCounted(int branch)
    {
        var counted = await Counted(branch);
        var kept = await Kept(branch);
        Assert.Equal(counted.OrderBy(k => k.Key).ToList(), kept.OrderBy(k => k.Key).ToList());
    }

    [Fact]
    public async Task The_hourly_clock_counts_equal_a_count_of_the_clocks_after_every_kind_of_change_a_clock_goes_through()
    {
        var branch = await Branch("Asia/Shanghai");
        var ids = await Clocks(branch,
            ("dispatch", T0.AddMinutes(5), ClockState.Running, false),      // 0: met later
            ("dispatch", T0.AddMinutes(50), ClockState.Running, false),     // 1: overdue later, then breached
            ("contact", T0.AddMinutes(59), ClockState.Met, false),          // 2: met at once, later cancelled (the order cancelled)
            ("contact", T0.AddHours(1), ClockState.Breached, false),        // 3: breached, exempted by the manager
            ("completion", T0.AddHours(3), ClockState.Running, true),       // 4: running past its deadline, deleted
            ("visit", T0.AddHours(3).AddMinutes(1), ClockState.Exempt, false), // 5: never counted
            ("visit", T0.AddHours(4), ClockState.Paused, false));           // 6: paused, then met
        await AssertKeptEqualsCounted(branch);
        Assert.Equal((1, 1), (await Kept(branch))[(T0.AddMinutes(59).ToUnixTimeMilliseconds() / ClockHour.HourMs, "contact")]);

        await app.Db(async db =>
        {
            var c = await db.SlaClocks.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
            c[ids[0]].State = ClockState.Met;
            c[ids[1]].OverdueAt = T0.AddMinutes(81);
            c[ids[2]].State = ClockState.Cancelled;
            c[ids[3]].State = ClockState.Exempt;
            c[ids[6]].State = ClockState.Met;
            c[ids[6]].Warned = true; // a change no count depends on
            await db.SaveChangesAsync();
            return 0;
        });
        await AssertKeptEqualsCounted(branch);

        await app.Db(async db =>
        {
            var c = await db.SlaClocks.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id);
            c[ids[1]].State = ClockState.Breached; // stopped late: still one decided, not met
            db.SlaClocks.Remove(c[ids[4]]);
            await db.SaveChangesAsync();
            return 0;
        });
        await AssertKeptEqualsCounted(branch);
        var kept = await Kept(branch);
        long H(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / ClockHour.HourMs;
        Assert.Equal((2, 1), kept[(H(T0), "dispatch")]);
        Assert.False(kept.ContainsKey((H(T0.AddHours(1)), "contact")));
        Assert.False(kept.ContainsKey((H(T0.AddHours(3)), "completion")));
        Assert.Equal((1, 1), kept[(H(T0.AddHours(4)), "visit")]);
    }

    [Fact]
    public async Task KPI13_of_a_year_is_the_same_read_from_the_hourly_counts_as_from_the_clocks_of_a_zone_that_is_not_whole_hours()
    {
        // Changsha (UTC+8) reads the hourly counts; Kolkata (UTC+5:30) cannot (its days start at half past an hour) and
        // counts the clocks. The same clocks in both, none near either branch's midnight, must give the same KPI-13.
        var changsha = await Branch("Asia/Shanghai");
        var kolkata = await Branch("Asia/Kolkata");
        var clocks = new[]
        {
            ("dispatch", T0.AddHours(4), ClockState.Met, false), ("dispatch", T0.AddHours(4).AddMinutes(10), ClockState.Breached, false),
            ("dispatch", T0.AddDays(40), ClockState.Met, false), ("contact", T0.AddDays(41), ClockState.Running, true),
            ("contact", T0.AddDays(42), ClockState.Met, false), ("contact", T0.AddDays(43), ClockState.Running, false),
            ("completion", T0.AddDays(200), ClockState.Exempt, false), ("completion", T0.AddDays(201), ClockState.Met, false),
        };
        await Clocks(changsha, clocks);
        await Clocks(kolkata, clocks);

        async Task<Dictionary<string, (decimal?, decimal?)>> Sla(int branch)
        {
            var r = (await app.Api("admin").Get($"/api/reports/kpis?from=2024-01-01&to=2024-12-31&branchId={branch}")).Expect(HttpStatusCode.OK).Body;
            return r["kpis"]!.AsArray().Where(k => k!["ruleId"]!.GetValue<string>() == "KPI-13")
                .ToDictionary(k => k!["key"]!.GetValue<string>(), k => (k!["numerator"]?.GetValue<decimal>(), k!["denominator"]?.GetValue<decimal>()));
        }
        var fromHours = await Sla(changsha);
        Assert.Equal(new Dictionary<string, (decimal?, decimal?)>
        {
            ["slaCompliance.dispatch"] = (2, 3), ["slaCompliance.contact"] = (1, 2), ["slaCompliance.completion"] = (1, 1),
        }, fromHours);
        Assert.Equal(fromHours, await Sla(kolkata));
    }

    [Fact]
    public async Task The_triggers_that_keep_the_hourly_clock_counts_exist_so_a_table_rebuild_cannot_drop_them_unnoticed()
    {
        // EF Core rebuilds a SQLite table for some column changes, and a rebuilt table has no triggers: a later migration
        // that rebuilds SlaClocks must create them again, or the counts silently stop.
        var triggers = await app.Db(async db =>
        {
            var sql = app.Provider == "Sqlite"
                ? """SELECT name AS "Value" FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'SlaClocks'"""
                : """SELECT tgname::text AS "Value" FROM pg_trigger WHERE tgrelid = '"SlaClocks"'::regclass AND NOT tgisinternal""";
            return await db.Database.SqlQueryRaw<string>(sql).ToListAsync();
        });
        var expected = app.Provider == "Sqlite"
            ? new[] { "SlaClockHours_Delete", "SlaClockHours_Insert", "SlaClockHours_Update" }
            : ["SlaClockHours_InsertDelete", "SlaClockHours_Update"];
        Assert.Equal(expected, triggers.Order(StringComparer.Ordinal).ToArray());
    }
}
