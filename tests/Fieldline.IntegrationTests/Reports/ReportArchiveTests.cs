using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Reports.Archive;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.Reports;

[Collection(SqliteCollection.Name)] public sealed class ReportArchiveTestsOnSqlite(SqliteFixture app) : ReportArchiveTests(app);
[Collection(PostgresCollection.Name)] public sealed class ReportArchiveTestsOnPostgres(PostgresFixture app) : ReportArchiveTests(app);

/// <summary>
/// The regulation's reports on their cadence (issue 19): built into the archive from the KPI definitions over the crafted
/// March 2025 (<see cref="CraftedBranch"/>), once per kind, branch and period, frozen as built, listed per branch, as PDF
/// and Excel in Chinese; the scheduler builds the last ended period in the branch's zone and tells the addressees.
/// </summary>
public abstract class ReportArchiveTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<ReportDocument> Build(ReportKind kind, int branch, DateOnly from)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BuildReport>().Build(kind, branch, from, null, default);
    }

    private async Task RunScheduler(int branch)
    {
        await app.Tick();
        await app.Factory.Services.GetRequiredService<BuildDueReports>().Run([branch], default);
    }

    private async Task<(HttpResponseMessage Response, byte[] Bytes)> Download(string user, string path)
    {
        using var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await app.Token(client, user));
        var response = await client.GetAsync(path);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The first sheet's rows as column → text.</summary>
    private static List<SortedDictionary<int, string>> Sheet(byte[] xlsx) => Fieldline.Web.Features.Parts.XlsxSheet.Read(new MemoryStream(xlsx))!.Values.ToList();

    private static SortedDictionary<int, string> Rule(List<SortedDictionary<int, string>> rows, string rule, Func<SortedDictionary<int, string>, bool>? and = null) =>
        rows.Single(r => r.GetValueOrDefault(1) == rule && (and?.Invoke(r) ?? true));

    private async Task<int> NewBranch(params (string Role, string Name)[] users)
    {
        var admin = app.Api("admin");
        var hq = (await admin.Get("/api/me")).Body["branchId"]!.GetValue<int>();
        var branch = (int)(await admin.Post("/api/branches", new { name = $"归档{Guid.NewGuid():N}"[..10], parentId = hq, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        foreach (var (role, name) in users)
        {
            var id = (await admin.Post("/api/users", new { username = name, displayName = name, password = AppFixture.Password, roles = new[] { role }, branchId = branch }))
                .Expect(HttpStatusCode.Created).Body["id"]!.GetValue<int>();
            if (role == Fieldline.Web.Features.Identity.Roles.Technician) // field staff: the branch has daily work to report
                await app.Db(db =>
                {
                    db.Technicians.Add(new Fieldline.Web.Features.Technicians.Technician { UserId = id, BranchId = branch, Skills = ["ac.repair"] });
                    return db.SaveChangesAsync();
                });
        }
        return branch;
    }

    [Fact]
    public async Task RPT03_the_monthly_report_to_the_GM_office_holds_the_months_KPIs_from_their_definitions_beside_the_previous_month_in_Chinese_PDF_and_Excel()
    {
        var b = await CraftedBranch.Of(app);
        var doc = await Build(ReportKind.Monthly, b.BranchId, new DateOnly(2025, 3, 1));
        Assert.Equal(new DateOnly(2025, 4, 1), doc.To);

        var archive = (await app.Api(b.ManagerUser).Get($"/api/reports/archive?kind=monthly&branchId={b.BranchId}")).Expect(HttpStatusCode.OK).Body;
        var item = archive["items"]!.AsArray().Single(i => i!["id"]!.GetValue<long>() == doc.Id)!;
        Assert.Equal(("monthly", "2025-03-01", "2025-04-01"), (item["kind"]!.GetValue<string>(), item["from"]!.GetValue<string>(), item["to"]!.GetValue<string>()));
        Assert.Equal("月度报告（报总经理办公室）2025-03", item["title"]!.GetValue<string>());
        Assert.Null(item["builtBy"]); // the scheduler's

        var (xlsx, bytes) = await Download(b.ManagerUser, item["xlsx"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var rows = Sheet(bytes);
        Assert.Contains(rows, r => r.ContainsValue("分子"));
        // The same numbers as GET /api/reports/kpis (KpiTests): March 6 received (February 1), 5 completed, first-time fix 2 of 3,
        // complaint rate 1 of 5 = 20 %, revenue 150.50.
        var received = Rule(rows, "KPI-11", r => r.GetValueOrDefault(2) == "受理工单");
        Assert.Equal(("6", "1"), (received[3], received[4]));
        var ftf = Rule(rows, "KPI-02");
        Assert.Equal(("66.67", "2", "3"), (ftf[3], ftf[5], ftf[6]));
        var complaints = Rule(rows, "KPI-01");
        Assert.Equal(("20", "1", "5"), (complaints[3], complaints[5], complaints[6]));
        Assert.Equal("150.5", Rule(rows, "KPI-09")[3]);
        // The period as real dates (Excel serial numbers): 1 and 31 March 2025.
        var period = rows.Single(r => r.GetValueOrDefault(1) == "期间");
        Assert.Equal((new DateTime(2025, 3, 1) - new DateTime(1899, 12, 30)).TotalDays.ToString(CultureInfo.InvariantCulture), period[2]);
        Assert.Equal((new DateTime(2025, 3, 31) - new DateTime(1899, 12, 30)).TotalDays.ToString(CultureInfo.InvariantCulture), period[3]);

        var (pdf, pdfBytes) = await Download(b.ManagerUser, item["pdf"]!.GetValue<string>());
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.True(pdfBytes.Length > 1000);

        // Building the same month again keeps the one document.
        Assert.Equal(doc.Id, (await Build(ReportKind.Monthly, b.BranchId, new DateOnly(2025, 3, 1))).Id);
        Assert.Equal(1, await app.Db(db => db.Set<ReportDocument>().CountAsync(d => d.BranchId == b.BranchId && d.Kind == ReportKind.Monthly && d.From == new DateOnly(2025, 3, 1))));
    }

    [Fact]
    public async Task RPT10_RPT15_the_daily_report_gives_each_technicians_day_and_the_customers_feedback_and_the_unfinished_report_the_orders_open_when_the_day_ended()
    {
        var b = await CraftedBranch.Of(app);
        // 3 March: A completed o1 (¥100); B nothing. 4 March: o1's return visit, satisfaction 5.
        var third = (await Build(ReportKind.Daily, b.BranchId, new DateOnly(2025, 3, 3))).Body;
        var techs = third.Section("Each technician")!;
        var a = techs.Rows.Single(r => r[0].Text == b.TechAName);
        Assert.Equal((1m, 0m, 100m), (a[1].Number, a[2].Number, a[4].Number));
        var other = techs.Rows.Single(r => r[0].Text == "乙师傅");
        Assert.Equal(0m, other[1].Number);
        var fourth = (await Build(ReportKind.Daily, b.BranchId, new DateOnly(2025, 3, 4))).Body.Section("Customer feedback")!;
        Assert.Equal((1m, 5m, 0m), (fourth.Rows[0][1].Number, fourth.Rows[1][1].Number, fourth.Rows[2][1].Number));

        // At the end of 31 March (Changsha) only o6 (received 23:30, never completed) is open; o7 came on 1 April.
        var open = (await Build(ReportKind.Unfinished, b.BranchId, new DateOnly(2025, 3, 31))).Body.Section("Unfinished orders")!;
        var code = await app.Db(db => db.WorkOrders.Where(o => o.Id == b.Orders["o6"]).Select(o => o.Code).SingleAsync());
        Assert.Equal([code], open.Rows.Select(r => r[0].Text ?? "").ToArray());
        // At the end of 2 March: none yet (o1 came on the 3rd).
        Assert.Empty((await Build(ReportKind.Unfinished, b.BranchId, new DateOnly(2025, 3, 2))).Body.Section("Unfinished orders")!.Rows);
    }

    [Fact]
    public async Task RPT04_RPT19_the_weekly_summary_and_the_operating_statistics_use_the_KPI_definitions_first_time_fix_parts_supply_and_claim_approval()
    {
        var b = await CraftedBranch.Of(app);
        // The week of Monday 3 March: o1, o2 received and completed (both by A); the week before: nothing.
        var week = (await Build(ReportKind.Weekly, b.BranchId, new DateOnly(2025, 3, 3))).Body;
        var figures = week.Section("Figures")!.Rows;
        decimal? Value(IReadOnlyList<IReadOnlyList<ReportCell>> rows, string label, int column = 2) =>
            rows.Single(r => r[1].Label?.Key == label)[column].Number;
        Assert.Equal(2m, Value(figures, "Orders received"));
        Assert.Equal(2m, Value(figures, "Orders completed"));
        Assert.Equal(0m, Value(figures, "Orders completed", 3));
        Assert.NotNull(week.Section("Faults by product model"));

        var ops = (await Build(ReportKind.OpsMonth, b.BranchId, new DateOnly(2025, 3, 1))).Body.Section("Figures")!.Rows;
        Assert.Equal(["KPI-11", "KPI-11", "KPI-02", "KPI-03", "KPI-04", "KPI-01", "KPI-07", "KPI-09"], ops.Select(r => r[0].Text ?? "").ToArray());
        Assert.Equal(66.67m, Value(ops, "First-time fix rate"));
        Assert.Null(Value(ops, "Parts supply rate")); // no parts request in March
        var quarter = await Build(ReportKind.OpsQuarter, b.BranchId, new DateOnly(2025, 1, 1));
        Assert.Equal(new DateOnly(2025, 4, 1), quarter.To);
        // The quarter holds February's o8 too: 7 received, 6 completed; first-time fix 3 of 4 repairs (o2 came back).
        var q = quarter.Body.Section("Figures")!.Rows;
        Assert.Equal((7m, 6m, 75m), (Value(q, "Orders received"), Value(q, "Orders completed"), Value(q, "First-time fix rate")));
    }

    [Fact]
    public async Task KPI03_KPI04_parts_supply_is_requests_issued_over_requests_made_and_claim_approval_is_approved_over_submitted()
    {
        var branch = await NewBranch();
        var day = new DateTimeOffset(2025, 5, 10, 10, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();
        await app.Db(async db =>
        {
            var tech = await db.Technicians.Select(t => t.Id).FirstAsync();
            var policy = await db.PolicyVersions.OrderBy(v => v.Number).Select(v => v.Id).FirstAsync();
            var customer = new Fieldline.Web.Features.Customers.Customer { BranchId = branch, Name = "索赔客户", Phone = Given.Phone(), Address = "长沙市索赔路1号", CreatedAt = day };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            var order = new Fieldline.Web.Features.WorkOrders.WorkOrder
            {
                Code = $"WO-K34-{branch}", BranchId = branch, Type = Fieldline.Web.Features.WorkOrders.WorkOrderType.Repair, Channel = Fieldline.Web.Features.WorkOrders.Channel.Hotline,
                PolicyVersionId = policy, CustomerId = customer.Id, ProductLine = "ac", ContactPerson = "索赔客户", ContactPhone = customer.Phone, Address = customer.Address, CreatedAt = day,
            };
            db.WorkOrders.Add(order);
            await db.SaveChangesAsync();
            // 4 requests in May: 3 issued. 5 claims: 2 approved, 1 rejected, 2 awaiting the brand.
            for (var i = 0; i < 4; i++)
            {
                var r = new Fieldline.Web.Features.Parts.Requisition { BranchId = branch, TechnicianId = tech, RequestedAt = day.AddHours(i) };
                db.Requisitions.Add(r);
                if (i < 3) r.Issue(1, day.AddHours(i + 1));
            }
            for (var i = 0; i < 5; i++)
            {
                var c = new Fieldline.Web.Features.Claims.WarrantyClaim
                {
                    BranchId = branch, WorkOrderId = order.Id, PartsSummary = "压缩机", Description = "索赔", SubmittedByUserId = 1, SubmittedAt = day.AddHours(i),
                };
                db.Add(c);
                if (i < 3) c.Decide(i < 2, i < 2 ? null : "人为损坏", 1, day.AddDays(1));
            }
            await db.SaveChangesAsync();
            return 0;
        });
        var kpis = (await app.Api("admin").Get($"/api/reports/kpis?from=2025-05-01&to=2025-06-01&branchId={branch}")).Expect(HttpStatusCode.OK).Body["kpis"]!.AsArray();
        JsonNode Kpi(string key) => kpis.Single(k => k!["key"]!.GetValue<string>() == key)!;
        Assert.Equal(("KPI-03", 75m, 3m, 4m), (Kpi("partsSupply")["ruleId"]!.GetValue<string>(), Kpi("partsSupply")["value"]!.GetValue<decimal>(),
            Kpi("partsSupply")["numerator"]!.GetValue<decimal>(), Kpi("partsSupply")["denominator"]!.GetValue<decimal>()));
        Assert.Equal(("KPI-04", 40m, 2m, 5m), (Kpi("claimApproval")["ruleId"]!.GetValue<string>(), Kpi("claimApproval")["value"]!.GetValue<decimal>(),
            Kpi("claimApproval")["numerator"]!.GetValue<decimal>(), Kpi("claimApproval")["denominator"]!.GetValue<decimal>()));
        // RPT-19's document says the same.
        var ops = (await Build(ReportKind.OpsMonth, branch, new DateOnly(2025, 5, 1))).Body.Section("Figures")!.Rows;
        Assert.Equal((75m, 40m), (ops.Single(r => r[0].Text == "KPI-03")[2].Number, ops.Single(r => r[0].Text == "KPI-04")[2].Number));
    }

    [Fact]
    public async Task A_built_report_does_not_change_when_later_data_does()
    {
        await app.At(app.Next(DayOfWeek.Thursday, 9)); // a clean day in Changsha
        var today = DateOnly.FromDateTime(app.LocalNow.Date);
        var tech01 = await _given.TechnicianId("tech01");
        var name = await app.Db(db => db.Technicians.Where(t => t.Id == tech01).Select(t => t.User!.DisplayName).SingleAsync());
        // A name shared with another technician is followed by the username.
        static decimal? Completed(ReportDocument d, string name) => d.Body.Section("Each technician")!.Rows.Single(r => r[0].Text == name || r[0].Text == $"{name}（tech01）")[1].Number;
        var before = await Build(ReportKind.Daily, 2, today);
        Assert.Equal(0m, Completed(before, name));

        await _given.OrderIn("completed"); // tech01 completes one today, after the report was built
        var live = (await app.Api("admin").Get($"/api/reports/kpis?from={today:yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}&branchId=2&groupBy=technician")).Expect(HttpStatusCode.OK).Body;
        var group = live["groups"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == tech01.ToString(CultureInfo.InvariantCulture))!;
        Assert.Equal(1m, group["kpis"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == "completed")!["value"]!.GetValue<decimal>());

        var again = await Build(ReportKind.Daily, 2, today);
        Assert.Equal(before.Id, again.Id);
        Assert.Equal(0m, Completed(again, name));
        Assert.Equal(before.BodyJson, await app.Db(db => db.Set<ReportDocument>().Where(d => d.Id == before.Id).Select(d => d.BodyJson).SingleAsync()));
    }

    [Fact]
    public async Task The_scheduler_builds_the_last_ended_day_week_month_and_quarter_once_after_they_end_in_the_branchs_zone_and_tells_the_addressees()
    {
        var manager = $"m{Guid.NewGuid():N}"[..12];
        var dispatcher = $"d{Guid.NewGuid():N}"[..12];
        var branch = await NewBranch((Fieldline.Web.Features.Identity.Roles.Manager, manager), (Fieldline.Web.Features.Identity.Roles.Dispatcher, dispatcher),
            (Fieldline.Web.Features.Identity.Roles.Technician, $"t{Guid.NewGuid():N}"[..12]));
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); // every report of SC-37
        var tuesday = app.Next(DayOfWeek.Tuesday, 23, 50);
        // Not a month's last day: Wednesday would then end a month too (and its four monthly documents are another test's).
        if (tuesday.AddDays(1).Day == 1) tuesday = tuesday.AddDays(7);
        await app.At(tuesday);
        await RunScheduler(branch);
        Task<List<(ReportKind Kind, DateOnly From)>> Docs() => app.Db(async db => (await db.Set<ReportDocument>().Where(d => d.BranchId == branch)
            .Select(d => new { d.Kind, d.From }).ToListAsync()).Select(d => (d.Kind, d.From)).OrderBy(d => d.Kind).ThenBy(d => d.From).ToList());
        var monday = DateOnly.FromDateTime(tuesday.Date).AddDays(-1);
        var first = new DateOnly(tuesday.Year, tuesday.Month, 1);
        var quarter = new DateOnly(tuesday.Year, (tuesday.Month - 1) / 3 * 3 + 1, 1).AddMonths(-3);
        Assert.Equal([(ReportKind.Daily, monday), (ReportKind.Unfinished, monday), (ReportKind.Weekly, monday.AddDays(-7)),
            (ReportKind.Monthly, first.AddMonths(-1)), (ReportKind.OpsMonth, first.AddMonths(-1)), (ReportKind.OpsQuarter, quarter),
            (ReportKind.ServiceRecordBook, first.AddMonths(-1)), (ReportKind.MonthEndReview, first.AddMonths(-1))], await Docs());

        // 23:50 on Tuesday is still Tuesday in Changsha: nothing new; at 00:10 on Wednesday, Tuesday's daily and unfinished reports.
        await RunScheduler(branch);
        Assert.Equal(8, (await Docs()).Count);
        await app.At(tuesday.AddMinutes(20));
        await RunScheduler(branch);
        await RunScheduler(branch);
        var docs = await Docs();
        Assert.Equal(10, docs.Count);
        Assert.Contains((ReportKind.Daily, monday.AddDays(1)), docs);
        Assert.Contains((ReportKind.Unfinished, monday.AddDays(1)), docs);

        // Each document told its addressees once: the unfinished-work report the dispatcher, the monthly report the manager.
        var built = await app.Db(db => db.Outbox.AsNoTracking().Where(m => m.BranchId == branch && m.Kind == "reportBuilt").ToListAsync());
        Assert.Equal(10, built.Count);
        Assert.Equal(2, built.Count(m => m.RecipientRoles.Contains(Fieldline.Web.Features.Identity.Roles.Dispatcher)));
        await app.Tick(); // the outbox delivers
        var inbox = System.Text.RegularExpressions.Regex.Unescape((await app.Api(dispatcher).Get("/api/notifications")).Expect(HttpStatusCode.OK).Body.ToJsonString());
        Assert.Contains("未完成工作报告", inbox);

        // The archive lists the branch's ten documents; every required report is built; Tuesday's reports in time (by the end
        // of Wednesday), while last week's summary, built on Tuesday for a week that ended on Sunday, came late (due by Monday's end).
        var archive = (await app.Api(manager).Get("/api/reports/archive")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(10, archive["items"]!.AsArray().Count);
        var required = archive["required"]!.AsArray().ToDictionary(r => r!["kind"]!.GetValue<string>(), r => r!);
        Assert.Equal(["daily", "unfinished", "weekly", "monthly", "opsMonth", "opsQuarter", "serviceRecordBook", "monthEndReview"], required.Keys.ToArray());
        Assert.All(required.Values, r => Assert.NotNull(r["documentId"]));
        Assert.False(required["daily"]["late"]!.GetValue<bool>());
        Assert.False(required["unfinished"]["late"]!.GetValue<bool>());
        Assert.True(required["weekly"]["late"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_demo_archive_is_built_as_a_running_scheduler_would_have_each_report_when_its_period_ended_so_none_shows_late()
    {
        var manager = $"m{Guid.NewGuid():N}"[..12];
        var branch = await NewBranch((Fieldline.Web.Features.Identity.Roles.Manager, manager), (Fieldline.Web.Features.Identity.Roles.Technician, $"t{Guid.NewGuid():N}"[..12]));
        var thursday = app.Next(DayOfWeek.Thursday, 10);
        await app.At(thursday); // a fresh demo: last week, month and quarter ended days ago, and nothing was running then
        await app.Factory.Services.GetRequiredService<BuildDueReports>().BuildAsIfRunning([branch], default);

        var archive = (await app.Api(manager).Get("/api/reports/archive")).Expect(HttpStatusCode.OK).Body;
        var required = archive["required"]!.AsArray();
        // The policy in force decides which further kinds are required (the record book, the month-end review); these always are.
        var kinds = required.Select(r => r!["kind"]!.GetValue<string>()).ToHashSet();
        Assert.All(new[] { "daily", "unfinished", "weekly", "monthly", "opsMonth", "opsQuarter" }, k => Assert.Contains(k, kinds));
        Assert.All(required, r => Assert.NotNull(r!["documentId"]));
        Assert.All(required, r => Assert.False(r!["late"]!.GetValue<bool>(), $"{r!["kind"]} is late"));
        // Each built at the midnight its period ended (Changsha): last week's summary on Monday 00:00, yesterday's report today 00:00.
        var items = archive["items"]!.AsArray().ToDictionary(i => i!["kind"]!.GetValue<string>(), i => i!);
        var monday = new DateTimeOffset(thursday.Date.AddDays(-3), TimeSpan.FromHours(8));
        Assert.Equal(monday, items["weekly"]["builtAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(thursday.Date, TimeSpan.FromHours(8)), items["daily"]["builtAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(thursday.Year, thursday.Month, 1, 0, 0, 0, TimeSpan.FromHours(8)), items["monthly"]["builtAt"]!.GetValue<DateTimeOffset>());

        // A report built within its window by the running scheduler (Thursday's, just after midnight on Friday) is not late either.
        await app.At(thursday.AddHours(14).AddMinutes(30));
        await RunScheduler(branch);
        archive = (await app.Api(manager).Get("/api/reports/archive")).Expect(HttpStatusCode.OK).Body;
        var daily = archive["required"]!.AsArray().Single(r => r!["kind"]!.GetValue<string>() == "daily")!;
        Assert.Equal((DateOnly.FromDateTime(thursday.Date).ToString("yyyy-MM-dd"), false), (daily["from"]!.GetValue<string>(), daily["late"]!.GetValue<bool>()));
        Assert.NotNull(daily["documentId"]);
    }

    [Fact]
    public async Task A_required_report_not_built_by_the_end_of_the_day_after_its_period_is_late()
    {
        var manager = $"m{Guid.NewGuid():N}"[..12];
        var techUser = $"t{Guid.NewGuid():N}"[..12];
        var branch = await NewBranch((Fieldline.Web.Features.Identity.Roles.Manager, manager), (Fieldline.Web.Features.Identity.Roles.Technician, techUser));
        var tuesday = app.Next(DayOfWeek.Tuesday, 9);
        await app.At(tuesday); // the scheduler has not run for this branch
        var monday = DateOnly.FromDateTime(tuesday.Date).AddDays(-1);
        JsonNode Required(JsonNode archive, string kind) => archive["required"]!.AsArray().Single(r => r!["kind"]!.GetValue<string>() == kind)!;

        var archive = (await app.Api(manager).Get("/api/reports/archive")).Expect(HttpStatusCode.OK).Body;
        // Last week's summary was due by the end of Monday: late. Monday's daily report is due by the end of today: not yet.
        var weekly = Required(archive, "weekly");
        Assert.Equal((monday.AddDays(-7).ToString("yyyy-MM-dd"), true), (weekly["from"]!.GetValue<string>(), weekly["late"]!.GetValue<bool>()));
        Assert.Null(weekly["documentId"]);
        var daily = Required(archive, "daily");
        Assert.Equal((monday.ToString("yyyy-MM-dd"), false), (daily["from"]!.GetValue<string>(), daily["late"]!.GetValue<bool>()));
        Assert.Equal(new DateTimeOffset(tuesday.Date.AddDays(1), TimeSpan.FromHours(8)), daily["dueAt"]!.GetValue<DateTimeOffset>());

        // Built now: the daily report in time, the summary still late (built after its day).
        await RunScheduler(branch);
        archive = (await app.Api(manager).Get("/api/reports/archive")).Expect(HttpStatusCode.OK).Body;
        Assert.True(Required(archive, "weekly")["late"]!.GetValue<bool>());
        Assert.NotNull(Required(archive, "weekly")["documentId"]);
        Assert.False(Required(archive, "daily")["late"]!.GetValue<bool>());
        Assert.NotNull(Required(archive, "daily")["documentId"]);
    }

    [Fact]
    public async Task A_branch_manager_sees_only_their_branchs_documents_head_office_all_a_technician_none_and_a_bad_kind_names_the_field()
    {
        var b = await CraftedBranch.Of(app);
        var mine = await Build(ReportKind.Daily, b.BranchId, new DateOnly(2025, 3, 5));
        var changsha = await Build(ReportKind.Daily, 2, new DateOnly(2025, 3, 5));
        var manager = app.Api(b.ManagerUser);
        var items = (await manager.Get("/api/reports/archive?from=2025-03-05&to=2025-03-06")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Contains(items, i => i!["id"]!.GetValue<long>() == mine.Id);
        Assert.DoesNotContain(items, i => i!["id"]!.GetValue<long>() == changsha.Id);
        (await manager.Get("/api/reports/archive?branchId=2")).Expect(HttpStatusCode.NotFound);
        (await Download(b.ManagerUser, $"/api/reports/archive/{changsha.Id}.pdf")).Response.StatusCode.Equals(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await Download(b.ManagerUser, $"/api/reports/archive/{changsha.Id}.xlsx")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Download(b.ManagerUser, $"/api/reports/archive/{changsha.Id}.pdf")).Response.StatusCode);
        var all = (await app.Api("admin").Get("/api/reports/archive?from=2025-03-05&to=2025-03-06")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Contains(all, i => i!["id"]!.GetValue<long>() == mine.Id);
        Assert.Contains(all, i => i!["id"]!.GetValue<long>() == changsha.Id);
        (await app.Api("tech01").Get("/api/reports/archive")).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await Download("tech01", $"/api/reports/archive/{changsha.Id}.pdf")).Response.StatusCode);
        Assert.Contains("kind", (await manager.Get("/api/reports/archive?kind=yearly")).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("to", (await manager.Get("/api/reports/archive?from=2025-03-05&to=2025-03-01")).Expect(HttpStatusCode.BadRequest).ErrorFields);
    }

    [Fact]
    public async Task A_manager_builds_the_report_of_an_ended_period_the_scheduler_did_not_and_bad_periods_other_roles_and_branches_are_refused()
    {
        var b = await CraftedBranch.Of(app);
        var manager = app.Api(b.ManagerUser);
        var before = await app.Db(db => db.Set<ReportDocument>().CountAsync(d => d.BranchId == b.BranchId));

        // Bad input names the field and builds nothing: no kind, an unknown kind, a month not starting on the 1st, a week
        // not on a Monday, a quarter not on a quarter's first day, a period that has not ended.
        Assert.Contains("kind", (await manager.Post("/api/reports/archive", new { from = "2025-02-01" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("kind", (await manager.Post("/api/reports/archive", new { kind = "yearly", from = "2025-02-01" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("from", (await manager.Post("/api/reports/archive", new { kind = "monthly" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var bad = (await manager.Post("/api/reports/archive", new { kind = "monthly", from = "2025-02-03" })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("from", bad.ErrorFields);
        Assert.Contains("第一天", bad.Body["errors"]!["from"]![0]!.GetValue<string>());
        Assert.Contains("from", (await manager.Post("/api/reports/archive", new { kind = "weekly", from = "2025-03-04" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("from", (await manager.Post("/api/reports/archive", new { kind = "opsQuarter", from = "2025-02-01" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var thisMonth = new DateOnly(app.LocalNow.Year, app.LocalNow.Month, 1);
        Assert.Contains("from", (await manager.Post("/api/reports/archive", new { kind = "monthly", from = thisMonth.ToString("yyyy-MM-dd") })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        // Not a builder: 403; another branch: 404.
        (await app.Api("supervisor").Post("/api/reports/archive", new { kind = "monthly", from = "2025-02-01", branchId = b.BranchId })).Expect(HttpStatusCode.Forbidden);
        var otherManager = $"m{Guid.NewGuid():N}"[..12];
        await NewBranch((Fieldline.Web.Features.Identity.Roles.Manager, otherManager));
        (await app.Api(otherManager).Post("/api/reports/archive", new { kind = "monthly", from = "2025-02-01", branchId = b.BranchId })).Expect(HttpStatusCode.NotFound);
        Assert.Equal(before, await app.Db(db => db.Set<ReportDocument>().CountAsync(d => d.BranchId == b.BranchId)));

        // February 2025's report to the GM office, built now by the manager, from the same definitions as the KPIs: o8 received.
        var built = (await manager.Post("/api/reports/archive", new { kind = "monthly", from = "2025-02-01" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("monthly", b.BranchId, "2025-02-01", "2025-03-01", "报表经理"), (built["kind"]!.GetValue<string>(), built["branchId"]!.GetValue<int>(),
            built["from"]!.GetValue<string>(), built["to"]!.GetValue<string>(), built["builtBy"]?.GetValue<string>()));
        var again = (await manager.Post("/api/reports/archive", new { kind = "monthly", from = "2025-02-01" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(built["id"]!.GetValue<long>(), again["id"]!.GetValue<long>());
        var (response, xlsx) = await Download(b.ManagerUser, built["xlsx"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", Rule(Sheet(xlsx), "KPI-11", r => r.GetValueOrDefault(2) == "受理工单")[3]);
        Assert.Equal(before + 1, await app.Db(db => db.Set<ReportDocument>().CountAsync(d => d.BranchId == b.BranchId)));
    }
}
