using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Reports;

[Collection(SqliteCollection.Name)] public sealed class KpiLocalDayTestsOnSqlite(SqliteFixture app) : KpiLocalDayTests(app);
[Collection(PostgresCollection.Name)] public sealed class KpiLocalDayTestsOnPostgres(PostgresFixture app) : KpiLocalDayTests(app);

/// <summary>
/// The database counts the KPIs per bucket of the branch's local day (issue 19's benchmark): orders a minute either side of
/// midnight must land in the same day, month and previous period as the branch's calendar says — in Changsha (UTC+8, no
/// summer time) and in a zone whose offset changes inside the period (Berlin) — and durations and charges summed in SQL
/// must be exact. Two branches of their own, built once per fixture, every time written as the branch's wall clock.
/// </summary>
public abstract class KpiLocalDayTests(AppFixture app)
{
    private sealed record Branches(int Changsha, int Berlin, string ChangshaManager, string BerlinManager, int TechX, int TechY, string TechXName);

    private static readonly Dictionary<string, Branches> Built = [];
    private static readonly SemaphoreSlim Gate = new(1, 1);

    private static DateTimeOffset Cs(int month, int day, int hour, int minute = 0) => new(2025, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static DateTimeOffset Be(int month, int day, int hour, int minute, int offsetHours) => new(2025, month, day, hour, minute, 0, TimeSpan.FromHours(offsetHours));

    private async Task<Branches> Data()
    {
        await Gate.WaitAsync();
        try
        {
            if (Built.TryGetValue(app.ConnectionString, out var done)) return done;
            return Built[app.ConnectionString] = await Build();
        }
        finally { Gate.Release(); }
    }

    private async Task<Branches> Build()
    {
        var admin = app.Api("admin");
        var hq = (await admin.Get("/api/me")).Body["branchId"]!.GetValue<int>();
        async Task<int> Branch(string zone) => (int)(await admin.Post("/api/branches", new { name = $"日界{Guid.NewGuid():N}"[..10], parentId = hq, timeZone = zone }))
            .Expect(HttpStatusCode.Created).Id;
        var changsha = await Branch("Asia/Shanghai");
        var berlin = await Branch("Europe/Berlin");
        async Task<(string Name, int Id)> User(int branch, string role, string display)
        {
            var name = $"d{Guid.NewGuid():N}"[..12];
            var id = (await admin.Post("/api/users", new { username = name, displayName = display, password = AppFixture.Password, roles = new[] { role }, branchId = branch }))
                .Expect(HttpStatusCode.Created).Body["id"]!.GetValue<int>();
            return (name, id);
        }
        var changshaManager = (await User(changsha, Roles.Manager, "日界经理")).Name;
        var berlinManager = (await User(berlin, Roles.Manager, "柏林经理")).Name;
        var userX = (await User(changsha, Roles.Technician, "日界甲")).Id;
        var userY = (await User(changsha, Roles.Technician, "日界乙")).Id;
        var userZ = (await User(berlin, Roles.Technician, "柏林丙")).Id;

        return await app.Db(async db =>
        {
            var x = new Technician { UserId = userX, BranchId = changsha, Skills = ["ac.repair"] };
            var y = new Technician { UserId = userY, BranchId = changsha, Skills = ["ac.repair"] };
            var z = new Technician { UserId = userZ, BranchId = berlin, Skills = ["ac.repair"] };
            db.Technicians.AddRange(x, y, z);
            var customers = new[] { changsha, berlin }.ToDictionary(b => b, b => new Fieldline.Web.Features.Customers.Customer
            {
                BranchId = b, Name = "日界客户", Phone = Given.Phone(), Address = "长沙市日界路1号", CreatedAt = Cs(1, 1, 9).ToUniversalTime(),
            });
            db.Customers.AddRange(customers.Values);
            await db.SaveChangesAsync();
            var policy = await db.PolicyVersions.OrderBy(v => v.Number).Select(v => v.Id).FirstAsync();
            var actor = new Actor(null, "test", "dispatcher");
            var n = 0;
            WorkOrder New(int branch, DateTimeOffset created)
            {
                var c = customers[branch];
                var o = new WorkOrder
                {
                    Code = $"WO-DAY-{branch}-{++n:0000}", BranchId = branch, Type = WorkOrderType.Repair, Channel = Channel.Hotline, PolicyVersionId = policy,
                    CustomerId = c.Id, ProductLine = "ac", ContactPerson = "日界客户", ContactPhone = c.Phone, Address = c.Address, CreatedAt = created.ToUniversalTime(),
                };
                o.Receive(actor, created.ToUniversalTime(), new { });
                db.WorkOrders.Add(o);
                return o;
            }
            void Work(WorkOrder o, Technician t, DateTimeOffset checkIn, DateTimeOffset done, decimal charge)
            {
                o.Dispatch(t.Id, actor, o.CreatedAt.AddMinutes(1));
                o.Accept(actor, o.CreatedAt.AddMinutes(1));
                o.Contact(true, checkIn.ToUniversalTime(), checkIn.ToUniversalTime().AddHours(2), null, actor, o.CreatedAt.AddMinutes(1));
                o.CheckIn(28.2, 112.9, actor, checkIn.ToUniversalTime());
                o.Complete(new Completion("修好", null, null, null, null, null, [], [new WorkOrderCharge { Description = "上门费", Amount = charge }]),
                    actor, done.ToUniversalTime());
            }

            // Changsha (UTC+8): a minute either side of midnight at the ends of May.
            var a = New(changsha, Cs(4, 30, 23, 59)); Work(a, x, Cs(5, 1, 1, 29), Cs(5, 1, 2, 29), 1234.55m); // April's, done in May: wait 1.5 h, repair 1 h
            New(changsha, Cs(5, 1, 0, 1)); // May's, open
            var b = New(changsha, Cs(5, 31, 20, 0)); Work(b, x, Cs(5, 31, 22, 30), Cs(5, 31, 23, 59), 0.45m); // wait 2.5 h, repair 89 min
            var c = New(changsha, Cs(5, 31, 21, 0)); Work(c, y, Cs(5, 31, 23, 0), Cs(6, 1, 0, 1), 99.99m); // done on 1 June
            New(changsha, Cs(6, 1, 0, 1)); // June's

            // Berlin: summer time starts 30 March 2025 at 02:00 (+1 → +2) and ends 26 October at 03:00 (+2 → +1).
            New(berlin, Be(3, 29, 23, 59, 1));
            var s = New(berlin, Be(3, 30, 0, 1, 1)); Work(s, z, Be(3, 30, 3, 31, 2), Be(3, 30, 4, 1, 2), 10m); // 23:01 → 01:31 → 02:01 UTC: 2.5 h and 0.5 h
            New(berlin, Be(3, 30, 23, 59, 2));
            New(berlin, Be(3, 31, 0, 1, 2));
            New(berlin, Be(10, 25, 23, 59, 2));
            New(berlin, Be(10, 26, 0, 1, 2));
            New(berlin, Be(10, 26, 23, 59, 1));
            New(berlin, Be(10, 27, 0, 1, 1));
            await db.SaveChangesAsync();
            return new Branches(changsha, berlin, changshaManager, berlinManager, x.Id, y.Id, "日界甲");
        });
    }

    private async Task<JsonNode> Kpis(string query, string user = "admin") =>
        (await app.Api(user).Get($"/api/reports/kpis?{query}")).Expect(HttpStatusCode.OK).Body;

    private static JsonNode Kpi(JsonNode report, string key) => report["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == key)!;

    private static decimal? Value(JsonNode report, string key) => Kpi(report, key)["value"]?.GetValue<decimal>();

    private static decimal? Of(JsonNode group, string key) => group["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == key)!["value"]?.GetValue<decimal>();

    private static Dictionary<string, JsonNode> Groups(JsonNode report) => report["groups"]!.AsArray().ToDictionary(g => g!["key"]!.GetValue<string>(), g => g!);

    [Fact]
    public async Task KPI11_orders_at_23_59_and_00_01_Changsha_time_count_in_their_own_month_day_and_previous_period()
    {
        var d = await Data();
        var may = await Kpis($"from=2025-05-01&to=2025-06-01&branchId={d.Changsha}");
        // Received in May: 00:01 on the 1st, 20:00 and 21:00 on the 31st — not 23:59 on 30 April, not 00:01 on 1 June.
        Assert.Equal(3, Value(may, "received"));
        // Completed in May: 02:29 on the 1st and 23:59 on the 31st — not 00:01 on 1 June.
        Assert.Equal(2, Value(may, "completed"));
        // The previous period, April, received the 23:59 order and completed nothing.
        Assert.Equal(1, Kpi(may, "received")["previous"]!.GetValue<decimal>());
        Assert.Equal(0, Kpi(may, "completed")["previous"]!.GetValue<decimal>());

        var days = Groups(await Kpis($"from=2025-05-01&to=2025-06-01&branchId={d.Changsha}&groupBy=day"));
        Assert.Equal(["2025-05-01", "2025-05-31"], days.Keys.Order().ToArray());
        Assert.Equal(1, Of(days["2025-05-01"], "received"));
        Assert.Equal(1, Of(days["2025-05-01"], "completed"));
        Assert.Equal(2, Of(days["2025-05-31"], "received"));
        Assert.Equal(1, Of(days["2025-05-31"], "completed"));

        var june1 = await Kpis($"from=2025-06-01&to=2025-06-02&branchId={d.Changsha}");
        Assert.Equal(1, Value(june1, "received"));
        Assert.Equal(1, Value(june1, "completed"));
        Assert.Equal(99.99m, Value(june1, "revenue"));
        var april30 = await Kpis($"from=2025-04-30&to=2025-05-01&branchId={d.Changsha}");
        Assert.Equal(1, Value(april30, "received"));
        Assert.Equal(0, Value(april30, "completed"));
    }

    [Fact]
    public async Task KPI08_KPI09_durations_and_charges_summed_by_the_database_are_exact_per_period_and_per_technician()
    {
        var d = await Data();
        var may = await Kpis($"from=2025-05-01&to=2025-06-01&branchId={d.Changsha}");
        // Call → arrival 1.5 h and 2.5 h; arrival → done 1 h and 89 min: (60 + 89) / 2 = 74.5 min = 1.2417 h.
        Assert.Equal(2.00m, Value(may, "waitingHours"));
        Assert.Equal(1.24m, Value(may, "repairHours"));
        Assert.Equal(2, Kpi(may, "waitingHours")["denominator"]!.GetValue<decimal>());
        Assert.Equal(1235.00m, Value(may, "revenue")); // 1234.55 + 0.45, decimals summed exactly

        var technicians = Groups(await Kpis($"from=2025-05-01&to=2025-06-01&branchId={d.Changsha}&groupBy=technician"));
        var x = technicians[d.TechX.ToString()];
        Assert.Equal(d.TechXName, x["label"]!.GetValue<string>());
        Assert.Equal(2, Of(x, "completed"));
        Assert.Equal(1235.00m, Of(x, "revenue"));
        // Y's order was received in May and assigned to Y, but completed on 1 June.
        Assert.Equal(0, Of(technicians[d.TechY.ToString()], "completed"));
        Assert.Equal(1, Of(technicians[d.TechY.ToString()], "received"));
    }

    [Fact]
    public async Task Days_of_a_branch_in_a_summer_time_zone_are_its_local_days_on_both_sides_of_each_change()
    {
        var d = await Data();
        // 30 March: 00:01 (+1) and 23:59 (+2) are that day; 23:59 on the 29th (+1) and 00:01 on the 31st (+2) are not.
        var spring = Groups(await Kpis($"from=2025-03-29&to=2025-04-01&branchId={d.Berlin}&groupBy=day"));
        Assert.Equal(["2025-03-29", "2025-03-30", "2025-03-31"], spring.Keys.Order().ToArray());
        Assert.Equal(1, Of(spring["2025-03-29"], "received"));
        Assert.Equal(2, Of(spring["2025-03-30"], "received"));
        Assert.Equal(1, Of(spring["2025-03-31"], "received"));
        var march30 = await Kpis($"from=2025-03-30&to=2025-03-31&branchId={d.Berlin}");
        Assert.Equal(2, Value(march30, "received"));
        Assert.Equal(1, Value(march30, "completed"));
        // Real hours, not the wall clock's: 00:01 (+1) → 03:31 (+2) is 2.5 h, 03:31 → 04:01 half an hour.
        Assert.Equal(2.50m, Value(march30, "waitingHours"));
        Assert.Equal(0.50m, Value(march30, "repairHours"));

        var autumn = Groups(await Kpis($"from=2025-10-25&to=2025-10-28&branchId={d.Berlin}&groupBy=day"));
        Assert.Equal(1, Of(autumn["2025-10-25"], "received"));
        Assert.Equal(2, Of(autumn["2025-10-26"], "received"));
        Assert.Equal(1, Of(autumn["2025-10-27"], "received"));
        Assert.Equal(2, Value(await Kpis($"from=2025-10-26&to=2025-10-27&branchId={d.Berlin}"), "received"));
    }

    [Fact]
    public async Task Two_branches_each_see_only_their_own_counts_and_head_office_both()
    {
        var d = await Data();
        const string period = "from=2025-03-01&to=2025-11-01";
        var changsha = await Kpis(period, d.ChangshaManager);
        Assert.Equal(d.Changsha, changsha["branchId"]!.GetValue<int>());
        Assert.Equal(5, Value(changsha, "received"));
        var berlin = await Kpis(period, d.BerlinManager);
        Assert.Equal(d.Berlin, berlin["branchId"]!.GetValue<int>());
        Assert.Equal(8, Value(berlin, "received"));
        (await app.Api(d.ChangshaManager).Get($"/api/reports/kpis?{period}&branchId={d.Berlin}")).Expect(HttpStatusCode.NotFound);
        (await app.Api(d.BerlinManager).Get($"/api/reports/kpis?{period}&branchId={d.Changsha}&groupBy=technician")).Expect(HttpStatusCode.NotFound);
        // Another branch's technicians never appear in a branch's ranking.
        var ranking = Groups(await Kpis($"{period}&groupBy=technician", d.BerlinManager));
        Assert.DoesNotContain(d.TechX.ToString(), ranking.Keys);
        // Head office: the company holds both branches' orders of the period.
        var company = await Kpis(period);
        Assert.True(Value(company, "received") >= 13);
    }

    [Fact]
    public async Task The_dashboard_page_draws_the_months_days_and_technicians_from_the_database_counts()
    {
        var d = await Data();
        var page = await (await ConsoleSession.SignIn(app, d.ChangshaManager)).Get("/reports?from=2025-05-01&to=2025-05-31");
        Assert.Contains(d.TechXName, page);
        Assert.Contains("2025-05-31", page);
        // The sparkline's day links lead to the technician's orders completed that day.
        Assert.Contains($"technicianId={d.TechX}", page);
    }
}
