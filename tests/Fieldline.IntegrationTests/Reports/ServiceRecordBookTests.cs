using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Reports.Archive;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.Reports;

[Collection(SqliteCollection.Name)] public sealed class ServiceRecordBookTestsOnSqlite(SqliteFixture app) : ServiceRecordBookTests(app);
[Collection(PostgresCollection.Name)] public sealed class ServiceRecordBookTestsOnPostgres(PostgresFixture app) : ServiceRecordBookTests(app);

/// <summary>
/// RPT-01 the monthly service-record book for the technical department and RPT-07 the month-end review (SC-37 "every
/// month"): built into the archive like the other reports, in Chinese, as PDF and Excel.
/// </summary>
public abstract class ServiceRecordBookTests(AppFixture app)
{
    private static DateTimeOffset L(int month, int day, int hour, int minute = 0) => new(2025, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private async Task<ReportDocument> Build(ReportKind kind, int branch, DateOnly from)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BuildReport>().Build(kind, branch, from, null, default);
    }

    private async Task<(int Branch, string Manager, Dictionary<string, string> Codes)> BranchWithMarch()
    {
        var admin = app.Api("admin");
        var hq = (await admin.Get("/api/me")).Body["branchId"]!.GetValue<int>();
        var branch = (int)(await admin.Post("/api/branches", new { name = $"记录{Guid.NewGuid():N}"[..10], parentId = hq, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var manager = $"m{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = manager, displayName = "记录经理", password = AppFixture.Password, roles = new[] { Roles.Manager }, branchId = branch }))
            .Expect(HttpStatusCode.Created);
        var techUser = (await admin.Post("/api/users", new { username = $"t{Guid.NewGuid():N}"[..12], displayName = "丙师傅", password = AppFixture.Password, roles = new[] { Roles.Technician }, branchId = branch }))
            .Expect(HttpStatusCode.Created).Body["id"]!.GetValue<int>();
        var codes = await app.Db(async db =>
        {
            var tech = new Technician { UserId = techUser, BranchId = branch, Skills = ["ac.repair"] };
            db.Technicians.Add(tech);
            var zhang = new Fieldline.Web.Features.Customers.Customer { BranchId = branch, Name = "张三", Phone = Given.Phone(), Address = "长沙市记录路1号", CreatedAt = L(1, 1, 9).ToUniversalTime() };
            var li = new Fieldline.Web.Features.Customers.Customer { BranchId = branch, Name = "李四", Phone = Given.Phone(), Address = "长沙市记录路2号", CreatedAt = L(1, 1, 9).ToUniversalTime() };
            db.Customers.AddRange(zhang, li);
            await db.SaveChangesAsync();
            var policy = await db.PolicyVersions.OrderBy(v => v.Number).Select(v => v.Id).FirstAsync();
            var actor = new Actor(null, "test", "dispatcher");
            var n = 0;
            var made = new Dictionary<string, WorkOrder>();
            WorkOrder Order(string key, Fieldline.Web.Features.Customers.Customer c, string model, DateTimeOffset created, string fault)
            {
                var o = new WorkOrder
                {
                    Code = $"WO-BOOK-{branch}-{++n:00}", BranchId = branch, Type = WorkOrderType.Repair, Channel = Channel.Hotline, PolicyVersionId = policy, CustomerId = c.Id,
                    ProductLine = "ac", ProductModel = model, FaultDescription = fault, ContactPerson = c.Name, ContactPhone = c.Phone, Address = c.Address, CreatedAt = created.ToUniversalTime(),
                };
                o.Receive(actor, created.ToUniversalTime(), new { });
                db.WorkOrders.Add(o);
                made[key] = o;
                return o;
            }
            void Work(WorkOrder o, DateTimeOffset done, string? category = null, string? resolution = null, WorkOrderPart[]? parts = null, bool empty = false)
            {
                o.Dispatch(tech.Id, actor, o.CreatedAt.AddMinutes(10));
                o.Accept(actor, o.CreatedAt.AddMinutes(12));
                o.Contact(true, done.ToUniversalTime().AddHours(-2), done.ToUniversalTime(), null, actor, o.CreatedAt.AddMinutes(15));
                o.CheckIn(28.2, 112.9, actor, done.ToUniversalTime().AddHours(-1));
                if (empty) o.RecordEmptyTrip("机器正常", actor, done.ToUniversalTime());
                else o.Complete(new Completion(resolution, category, null, null, null, null, parts ?? [], []), actor, done.ToUniversalTime());
            }
            Work(Order("a", zhang, "KFR-35GW", L(3, 3, 9), "开机不制冷"), L(3, 3, 15), "不制冷", "补充冷媒R22，试机正常",
                [new WorkOrderPart { PartNumber = "R22-1KG", Name = "冷媒", Quantity = 1 }]);
            Work(Order("b", li, "KFR-35GW", L(3, 28, 9), "漏水"), L(3, 31, 23, 30), "漏水", "疏通排水管"); // 15:30 UTC: still March in Changsha
            Work(Order("c", zhang, "KFR-26GW", L(3, 10, 9), "噪音大"), L(3, 10, 11), "噪音", "更换风扇电机",
                [new WorkOrderPart { PartNumber = "FM-26", Name = "风扇电机", Quantity = 1 }, new WorkOrderPart { PartNumber = "CAP-2", Name = "电容", Quantity = 2 }]);
            Work(Order("empty", li, "KFR-26GW", L(3, 12, 9), "不制冷"), L(3, 12, 11), empty: true); // no service done: not in the book
            Work(Order("april", li, "KFR-35GW", L(3, 31, 20), "不制冷"), L(4, 1, 0, 30), "不制冷", "清洗"); // April in Changsha (still 31 March in UTC)
            Work(Order("feb", zhang, "KFR-35GW", L(2, 20, 9), "不制冷"), L(2, 20, 11), "不制冷", "补充冷媒");
            await db.SaveChangesAsync();
            return made.ToDictionary(m => m.Key, m => m.Value.Code);
        });
        return (branch, manager, codes);
    }

    [Fact]
    public async Task RPT01_the_monthly_service_record_book_lists_every_service_completed_in_the_branchs_month_per_product_model_and_customer_with_the_fault_the_work_done_and_the_parts_used()
    {
        var (branch, manager, codes) = await BranchWithMarch();
        var doc = await Build(ReportKind.ServiceRecordBook, branch, new DateOnly(2025, 3, 1));
        Assert.Equal(new DateOnly(2025, 4, 1), doc.To);
        var body = doc.Body;
        Assert.Equal("服务记录册 2025-03", body.Title.Render(System.Globalization.CultureInfo.GetCultureInfo("zh-CN")));

        // Per model and customer: KFR-26GW 张三 1; KFR-35GW 张三 1, 李四 1 (the empty trip, April's and February's are not March's services).
        var perModel = body.Section("Services per product model and customer")!.Rows.Select(r => (r[0].Text, r[1].Text, r[2].Number)).ToList();
        Assert.Equal([("KFR-26GW", "张三", 1m), ("KFR-35GW", "张三", 1m), ("KFR-35GW", "李四", 1m)], perModel);

        var records = body.Section("Service records")!.Rows;
        Assert.Equal([codes["c"], codes["a"], codes["b"]], records.Select(r => r[2].Text ?? "").ToArray());
        var a = records[1];
        Assert.Equal(("KFR-35GW", "张三", new DateOnly(2025, 3, 3), "丙师傅"), (a[0].Text, a[1].Text, a[3].Date!.Value, a[4].Text));
        Assert.Equal(("不制冷：开机不制冷", "补充冷媒R22，试机正常", "冷媒（R22-1KG）×1"), (a[5].Text, a[6].Text, a[7].Text));
        Assert.Equal("风扇电机（FM-26）×1，电容（CAP-2）×2", records[0][7].Text);
        Assert.Equal(new DateOnly(2025, 3, 31), records[2][3].Date); // completed 23:30 on the 31st, Changsha time

        // In the archive, for the branch's manager, in Chinese: Excel with real dates, and the PDF.
        var item = (await app.Api(manager).Get($"/api/reports/archive?kind=serviceRecordBook")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
            .Single(i => i!["id"]!.GetValue<long>() == doc.Id)!;
        using var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await app.Token(client, manager));
        var xlsx = await client.GetByteArrayAsync(item["xlsx"]!.GetValue<string>());
        var sheets = Fieldline.Web.Features.Parts.XlsxSheet.Read(new MemoryStream(xlsx))!.Values.ToList();
        Assert.Contains(sheets, r => r.GetValueOrDefault(1) == "型号" || r.GetValueOrDefault(1) == "产品型号");
        var pdf = await client.GetAsync(item["pdf"]!.GetValue<string>());
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.True((await pdf.Content.ReadAsByteArrayAsync()).Length > 1000);
    }

    [Fact]
    public async Task RPT07_the_month_end_review_holds_the_months_service_and_complaint_figures_its_complaints_and_the_faults_by_model()
    {
        var b = await CraftedBranch.Of(app);
        var review = (await Build(ReportKind.MonthEndReview, b.BranchId, new DateOnly(2025, 3, 1))).Body;
        Assert.Equal("月底问题总结 2025-03", review.Title.Render(System.Globalization.CultureInfo.GetCultureInfo("zh-CN")));
        // The same KPI definitions as the monthly report (ReportArchiveTests): 6 received, 5 completed, complaint rate 1 of 5 = 20 %.
        var figures = review.Section("Figures")!.Rows;
        decimal? Value(string label) => figures.Single(r => r[1].Label?.Key == label)[2].Number;
        Assert.Equal((6m, 5m), (Value("Orders received"), Value("Orders completed")));
        Assert.Equal(ComposeReport.ReviewFigures.Length, figures.Count);
        Assert.Equal(20m, figures.Single(r => r[0].Text == "KPI-01")[2].Number);
        // Both of March's complaints, the rejected one too (a review looks at every record): 15 and 16 March.
        var complaints = review.Section("Complaints")!.Rows;
        Assert.Equal([new DateOnly(2025, 3, 15), new DateOnly(2025, 3, 16)], complaints.Select(r => r[0].Date!.Value).ToArray());
        Assert.Equal(["态度差", "无理投诉"], complaints.Select(r => r[4].Text ?? "").ToArray());
        Assert.NotNull(review.Section("Faults by product model"));
        Assert.NotNull(review.Section("Problems sent to the technical department"));
    }

    [Fact]
    public async Task RPT01_RPT07_are_required_when_the_policy_asks_for_them_and_the_scheduler_builds_last_months_book_and_review_for_the_managers()
    {
        var manager = app.Api("manager");
        (await manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); // monthlyServiceRecordBookToTechDept, monthEndReview
        var (branch, _, _) = await BranchWithMarch();
        await app.At(app.Next(DayOfWeek.Wednesday, 10));
        await app.Tick();
        await app.Factory.Services.GetRequiredService<BuildDueReports>().Run([branch], default);
        var first = new DateOnly(app.LocalNow.Year, app.LocalNow.Month, 1).AddMonths(-1);
        var kinds = await app.Db(db => db.Set<ReportDocument>().Where(d => d.BranchId == branch && d.From == first).Select(d => d.Kind).ToListAsync());
        Assert.Contains(ReportKind.ServiceRecordBook, kinds);
        Assert.Contains(ReportKind.MonthEndReview, kinds);
        var told = await app.Db(db => db.Outbox.AsNoTracking().Where(m => m.BranchId == branch && m.Kind == "reportBuilt" && m.Title.Contains("Service-record book")).ToListAsync());
        Assert.Single(told);
        Assert.Contains(Roles.Manager, told[0].RecipientRoles);

        var required = (await app.Api("admin").Get($"/api/reports/archive?branchId={branch}")).Expect(HttpStatusCode.OK).Body["required"]!.AsArray()
            .Select(r => r!["kind"]!.GetValue<string>()).ToList();
        Assert.Contains("serviceRecordBook", required);
        Assert.Contains("monthEndReview", required);
    }
}
