using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Reports.Archive;
using Fieldline.Web.Features.Reports.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.Reports;

[Collection(SqliteCollection.Name)] public sealed class TechnicalProblemTestsOnSqlite(SqliteFixture app) : TechnicalProblemTests(app);
[Collection(PostgresCollection.Name)] public sealed class TechnicalProblemTestsOnPostgres(PostgresFixture app) : TechnicalProblemTests(app);

/// <summary>
/// RPT-02 / RPT-09: the problems found in service go to the technical department with the product model and the fault;
/// the department's answer is recorded once; the open ones are listed, and the problems appear in the fault statistics
/// (RPT-06), the monthly report (RPT-03) and the month-end review (RPT-07).
/// </summary>
public abstract class TechnicalProblemTests(AppFixture app)
{
    private async Task<(int Branch, string Supervisor, string Manager)> NewBranch()
    {
        var admin = app.Api("admin");
        var hq = (await admin.Get("/api/me")).Body["branchId"]!.GetValue<int>();
        var branch = (int)(await admin.Post("/api/branches", new { name = $"技术{Guid.NewGuid():N}"[..10], parentId = hq, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        async Task<string> User(string role)
        {
            var name = $"{role[0]}{Guid.NewGuid():N}"[..12];
            (await admin.Post("/api/users", new { username = name, displayName = name, password = AppFixture.Password, roles = new[] { role }, branchId = branch })).Expect(HttpStatusCode.Created);
            return name;
        }
        return (branch, await User(Roles.Supervisor), await User(Roles.Manager));
    }

    [Fact]
    public async Task RPT02_RPT09_a_supervisor_sends_a_problem_with_its_model_and_fault_a_manager_records_the_technical_departments_answer_once_and_open_ones_are_listed()
    {
        var (branch, supervisor, manager) = await NewBranch();
        var model = $"KFR-{Guid.NewGuid():N}"[..12];
        var raised = (await app.Api(supervisor).Post("/api/reports/problems", new { productModel = model, faultCategory = "不制冷", description = "同批次压缩机启动电容易击穿" }))
            .Expect(HttpStatusCode.Created).Body;
        var id = raised["id"]!.GetValue<long>();
        Assert.Equal((branch, model, "不制冷", true), (raised["branchId"]!.GetValue<int>(), raised["productModel"]!.GetValue<string>(),
            raised["faultCategory"]!.GetValue<string>(), raised["open"]!.GetValue<bool>()));
        Assert.Equal(1, await app.Db(db => db.Outbox.CountAsync(m => m.BranchId == branch && m.Kind == "technicalProblemRaised" && m.RecipientRoles.Contains(Roles.Manager))));

        var open = (await app.Api(manager).Get("/api/reports/problems?open=true")).Expect(HttpStatusCode.OK).Body.AsArray();
        Assert.Equal([id], open.Select(p => p!["id"]!.GetValue<long>()).ToArray());

        // Bad input names the field and changes nothing; a technician may not raise one; another branch's manager does not see it.
        var bad = (await app.Api(supervisor).Post("/api/reports/problems", new { productModel = model, description = " " })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("description", bad.ErrorFields);
        Assert.Contains("answer", (await app.Api(manager).Post($"/api/reports/problems/{id}/answer", new { answer = "" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("workOrderId", (await app.Api("tech01").Post("/api/reports/problems", new { productModel = model, description = "x" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        (await app.Api(supervisor).Post($"/api/reports/problems/{id}/answer", new { answer = "换电容" })).Expect(HttpStatusCode.Forbidden);
        var other = await NewBranch();
        (await app.Api(other.Manager).Post($"/api/reports/problems/{id}/answer", new { answer = "换电容" })).Expect(HttpStatusCode.NotFound);
        Assert.Empty((await app.Api(other.Manager).Get("/api/reports/problems")).Expect(HttpStatusCode.OK).Body.AsArray());
        (await app.Api(other.Manager).Get($"/api/reports/problems?branchId={branch}")).Expect(HttpStatusCode.NotFound);

        var answered = (await app.Api(manager).Post($"/api/reports/problems/{id}/answer", new { answer = "更换为加强型启动电容，下批次整改" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("更换为加强型启动电容，下批次整改", false), (answered["answer"]!.GetValue<string>(), answered["open"]!.GetValue<bool>()));
        (await app.Api(manager).Post($"/api/reports/problems/{id}/answer", new { answer = "再答" })).Expect(HttpStatusCode.Conflict);
        Assert.Equal("更换为加强型启动电容，下批次整改", await app.Db(db => db.Set<TechnicalProblem>().Where(p => p.Id == id).Select(p => p.Answer).SingleAsync()));
        Assert.Empty((await app.Api(manager).Get("/api/reports/problems?open=true")).Expect(HttpStatusCode.OK).Body.AsArray());
        Assert.Single((await app.Api(manager).Get("/api/reports/problems")).Expect(HttpStatusCode.OK).Body.AsArray());
        Assert.Equal(1, await app.Db(db => db.Outbox.CountAsync(m => m.BranchId == branch && m.Kind == "technicalProblemAnswered")));
        Assert.Equal(1, await app.Db(db => db.Set<TechnicalProblem>().CountAsync(p => p.BranchId == branch)));

        // The console page lists it, in Chinese.
        var html = await (await ConsoleSession.SignIn(app, manager)).Get("/reports/problems");
        Assert.Contains("技术问题", html);
        Assert.Contains(model, html);
    }

    [Fact]
    public async Task RPT06_RPT03_RPT07_the_problems_of_the_period_and_those_still_open_appear_in_the_fault_statistics_the_monthly_report_and_the_month_end_review()
    {
        var (branch, supervisor, manager) = await NewBranch();
        var model = $"KFR-{Guid.NewGuid():N}"[..12];
        var id = (await app.Api(supervisor).Post("/api/reports/problems", new { productModel = model, faultCategory = "漏水", description = "接水盘焊缝开裂" })).Expect(HttpStatusCode.Created).Id;
        var today = DateOnly.FromDateTime(app.LocalNow.Date);
        var month = new DateOnly(today.Year, today.Month, 1);

        var stats = (await app.Api(manager).Get($"/api/reports/faults?from={month:yyyy-MM-dd}&to={month.AddMonths(1):yyyy-MM-dd}")).Expect(HttpStatusCode.OK).Body;
        var listed = stats["problems"]!.AsArray().Single()!;
        Assert.Equal((id, model, true), (listed["id"]!.GetValue<long>(), listed["productModel"]!.GetValue<string>(), listed["open"]!.GetValue<bool>()));
        var faultsPage = await (await ConsoleSession.SignIn(app, manager)).Get("/reports/faults");
        Assert.Contains("提交技术部的问题", faultsPage);
        Assert.Contains("接水盘焊缝开裂", faultsPage);

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var build = scope.ServiceProvider.GetRequiredService<BuildReport>();
        foreach (var kind in new[] { ReportKind.Monthly, ReportKind.MonthEndReview })
        {
            var rows = (await build.Build(kind, branch, month, null, default)).Body.Section("Problems sent to the technical department")!.Rows;
            var row = Assert.Single(rows);
            Assert.Equal((model, "漏水", "接水盘焊缝开裂", "Open"), (row[0].Text, row[1].Text, row[2].Text, row[5].Label?.Key));
        }
        // The month before knows nothing of it.
        var before = await build.Build(ReportKind.MonthEndReview, branch, month.AddMonths(-1), null, default);
        Assert.Empty(before.Body.Section("Problems sent to the technical department")!.Rows);
    }

    [Fact]
    public async Task RPT02_RPT09_a_technician_sends_a_problem_about_their_own_order_from_the_phone_with_a_photo_and_sees_the_managers_record_of_the_answer()
    {
        var given = new Given(app);
        var (tech, technicianId, techUserId) = await given.NewTechnician();
        var orderId = (await given.NewRepairOrder())["id"]!.GetValue<long>();
        (await given.Dispatcher.Post($"/api/work-orders/{orderId}/dispatch", new { technicianId })).Expect(HttpStatusCode.OK);
        (await app.Api(tech).Post($"/api/work-orders/{orderId}/accept")).Expect(HttpStatusCode.OK);
        var order = (await app.Api(tech).Get($"/api/work-orders/{orderId}")).Expect(HttpStatusCode.OK).Body;
        var photo = await given.Photo(orderId, tech);
        var t = app.Api(tech);

        // Hostile input first: nothing is saved. No order named; another technician's order; a photo of another order.
        Assert.Contains("workOrderId", (await t.Post("/api/reports/problems", new { productModel = "KFR-35GW", description = "外机异响" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var othersOrder = await given.OrderIn("dispatched");
        (await t.Post("/api/reports/problems", new { workOrderId = othersOrder, description = "外机异响" })).Expect(HttpStatusCode.NotFound);
        var othersPhoto = await given.Photo(othersOrder, "tech01");
        var bad = (await t.Post("/api/reports/problems", new { workOrderId = orderId, description = "外机异响", photoAttachmentId = othersPhoto })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("photoAttachmentId", bad.ErrorFields);
        Assert.Contains("照片", bad.Body["errors"]!["photoAttachmentId"]![0]!.GetValue<string>());
        Assert.Contains("description", (await t.Post("/api/reports/problems", new { workOrderId = orderId, description = "" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Equal(0, await app.Db(db => db.Set<TechnicalProblem>().CountAsync(p => p.RaisedByUserId == techUserId)));

        // The problem: the order's model by default, its branch, the photo.
        var raised = (await t.Post("/api/reports/problems", new { workOrderId = orderId, description = "外机运行时异响，疑似风扇电机轴承", photoAttachmentId = photo }))
            .Expect(HttpStatusCode.Created).Body;
        var id = raised["id"]!.GetValue<long>();
        Assert.Equal((order["branchId"]!.GetValue<int>(), order["product"]!["model"]!.GetValue<string>(), orderId, photo, true),
            (raised["branchId"]!.GetValue<int>(), raised["productModel"]!.GetValue<string>(), raised["workOrderId"]!.GetValue<long>(),
                raised["photoAttachmentId"]!.GetValue<long>(), raised["open"]!.GetValue<bool>()));

        // The technician sees their own problems only; tech01 does not see this one; a technician cannot answer.
        Assert.Equal([id], (await t.Get("/api/reports/problems")).Expect(HttpStatusCode.OK).Body.AsArray().Select(p => p!["id"]!.GetValue<long>()).ToArray());
        Assert.DoesNotContain((await app.Api("tech01").Get("/api/reports/problems")).Expect(HttpStatusCode.OK).Body.AsArray(), p => p!["id"]!.GetValue<long>() == id);
        (await t.Post($"/api/reports/problems/{id}/answer", new { answer = "自己答" })).Expect(HttpStatusCode.Forbidden);

        // The branch's manager records the technical department's answer; the technician sees it and is told in-app.
        (await given.Manager.Post($"/api/reports/problems/{id}/answer", new { answer = "该批次风扇电机轴承不良，按批次更换" })).Expect(HttpStatusCode.OK);
        var mine = Assert.Single((await t.Get("/api/reports/problems")).Expect(HttpStatusCode.OK).Body.AsArray())!;
        Assert.Equal(("该批次风扇电机轴承不良，按批次更换", false), (mine["answer"]!.GetValue<string>(), mine["open"]!.GetValue<bool>()));
        await app.Tick();
        var inbox = (await t.Get("/api/notifications?pageSize=50")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Contains(inbox, n => n!["kind"]!.GetValue<string>() == "technicalProblemAnswered" && n["body"]!.GetValue<string>().Contains("按批次更换"));

        // The console page says who records the answers and links the photo.
        var html = await (await ConsoleSession.SignIn(app, "manager")).Get("/reports/problems");
        Assert.Contains("技术部在系统中没有账号", html);
        Assert.Contains($"attachmentId={photo}", html);
    }
}
