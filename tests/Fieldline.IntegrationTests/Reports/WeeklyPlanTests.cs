using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Reports.Archive;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.Reports;

[Collection(SqliteCollection.Name)] public sealed class WeeklyPlanTestsOnSqlite(SqliteFixture app) : WeeklyPlanTests(app);
[Collection(PostgresCollection.Name)] public sealed class WeeklyPlanTestsOnPostgres(PostgresFixture app) : WeeklyPlanTests(app);

/// <summary>
/// RPT-11: the supervisor submits the next week's plan (text and items); the department manager approves it before the
/// week begins (Monday 00:00 in the branch's zone), or the archive shows it "未批准" and the manager is reminded, once.
/// </summary>
public abstract class WeeklyPlanTests(AppFixture app)
{
    private async Task<(int Branch, string Supervisor, string Manager)> Branch()
    {
        var admin = app.Api("admin");
        var hq = (await admin.Get("/api/me")).Body["branchId"]!.GetValue<int>();
        var branch = (int)(await admin.Post("/api/branches", new { name = $"计划{Guid.NewGuid():N}"[..10], parentId = hq, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var supervisor = $"s{Guid.NewGuid():N}"[..12];
        var manager = $"m{Guid.NewGuid():N}"[..12];
        (await admin.Post("/api/users", new { username = supervisor, displayName = "计划主管", password = AppFixture.Password, roles = new[] { Roles.Supervisor }, branchId = branch })).Expect(HttpStatusCode.Created);
        (await admin.Post("/api/users", new { username = manager, displayName = "部门经理", password = AppFixture.Password, roles = new[] { Roles.Manager }, branchId = branch })).Expect(HttpStatusCode.Created);
        return (branch, supervisor, manager);
    }

    private async Task Tick(int branch)
    {
        await app.Tick();
        await app.Factory.Services.GetRequiredService<BuildDueReports>().Run([branch], default);
    }

    private Task<int> Reminders(int branch) => app.Db(db => db.Outbox.AsNoTracking().CountAsync(m => m.BranchId == branch && m.Kind == "weeklyPlanUnapproved"));

    /// <summary>Whether the managers were reminded of this week's plan (the week's row records when).</summary>
    private Task<bool> Reminded(int branch, DateTimeOffset monday) => app.Db(db => db.Set<Fieldline.Web.Features.Reports.Plans.WeeklyPlan>()
        .AnyAsync(p => p.BranchId == branch && p.WeekStart == DateOnly.FromDateTime(monday.Date) && p.RemindedAt != null));

    private async Task<string> Status(string user, DateTimeOffset monday) =>
        (await app.Api(user).Get("/api/reports/archive")).Expect(HttpStatusCode.OK).Body["plans"]!.AsArray()
        .Single(p => p!["weekStart"]!.GetValue<string>() == monday.ToString("yyyy-MM-dd"))!["status"]!.GetValue<string>();

    [Fact]
    public async Task RPT11_a_plan_not_approved_before_Monday_0000_in_the_branchs_zone_is_shown_unapproved_and_the_manager_is_reminded_once()
    {
        var (branch, supervisor, manager) = await Branch();
        var thursday = app.Next(DayOfWeek.Thursday, 10);
        await app.At(thursday);
        var monday = thursday.AddDays(4).Date;
        var mondayAt = new DateTimeOffset(monday, TimeSpan.FromHours(8));

        var plan = (await app.Api(supervisor).Post("/api/reports/plans", new { text = "下周重点：空调清洗回访", items = new[] { "回访上周维修客户", "工具检查" } })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal((monday.ToString("yyyy-MM-dd"), "submitted", 2), (plan["weekStart"]!.GetValue<string>(), plan["status"]!.GetValue<string>(), plan["items"]!.AsArray().Count));
        Assert.Equal("计划主管", plan["submittedBy"]!.GetValue<string>());
        Assert.Equal(1, await app.Db(db => db.Outbox.CountAsync(m => m.BranchId == branch && m.Kind == "weeklyPlanSubmitted" && m.RecipientRoles.Contains(Roles.Manager))));

        // Sunday 23:59 in Changsha: the week has not begun; no reminder.
        await app.At(mondayAt.AddMinutes(-1));
        await Tick(branch);
        var before = await Reminders(branch); // the week under way (begun before the branch planned anything) may have been reminded of
        Assert.False(await Reminded(branch, mondayAt));
        Assert.Equal("submitted", await Status(manager, mondayAt));

        // Monday 00:00: not approved before the week began → 未批准, the manager reminded once.
        await app.At(mondayAt);
        await Tick(branch);
        await Tick(branch);
        Assert.True(await Reminded(branch, mondayAt));
        Assert.Equal(before + 1, await Reminders(branch));
        Assert.Equal("unapproved", await Status(manager, mondayAt));
        Assert.Equal("未批准", await app.Db(async db => Fieldline.Web.Infrastructure.Localization.Msg.Code("planStatus", "unapproved").Render(System.Globalization.CultureInfo.GetCultureInfo("zh-CN"))));

        // Approved late: recorded, still shown unapproved; a second approval is refused.
        var id = plan["id"]!.GetValue<long>();
        var late = (await app.Api(manager).Post($"/api/reports/plans/{id}/approve")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("unapproved", late["status"]!.GetValue<string>());
        Assert.NotNull(late["approvedAt"]);
        (await app.Api(manager).Post($"/api/reports/plans/{id}/approve")).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task RPT11_a_plan_approved_on_Sunday_is_approved_for_its_week_and_nobody_is_reminded()
    {
        var (branch, supervisor, manager) = await Branch();
        var wednesday = app.Next(DayOfWeek.Wednesday, 15);
        await app.At(wednesday);
        var mondayAt = new DateTimeOffset(wednesday.AddDays(5).Date, TimeSpan.FromHours(8));
        var id = (await app.Api(supervisor).Post("/api/reports/plans", new { text = "下周计划", items = Array.Empty<string>() })).Expect(HttpStatusCode.OK).Id;
        (await app.Api(supervisor).Post($"/api/reports/plans/{id}/approve")).Expect(HttpStatusCode.Forbidden); // the department manager approves
        await app.At(mondayAt.AddHours(-2));
        Assert.Equal("approved", (await app.Api(manager).Post($"/api/reports/plans/{id}/approve")).Expect(HttpStatusCode.OK).Body["status"]!.GetValue<string>());
        (await app.Api(supervisor).Post("/api/reports/plans", new { weekStart = mondayAt.ToString("yyyy-MM-dd"), text = "改" })).Expect(HttpStatusCode.Conflict); // approved: not changed
        await app.At(mondayAt.AddMinutes(1));
        await Tick(branch);
        Assert.False(await Reminded(branch, mondayAt));
        Assert.Equal("approved", await Status(manager, mondayAt));
    }

    [Fact]
    public async Task A_week_with_no_plan_at_all_is_unapproved_once_it_begins_and_bad_plans_name_their_field()
    {
        var (branch, supervisor, manager) = await Branch();
        var friday = app.Next(DayOfWeek.Friday, 11);
        await app.At(friday);
        var s = app.Api(supervisor);
        Assert.Contains("weekStart", (await s.Post("/api/reports/plans", new { weekStart = friday.AddDays(4).ToString("yyyy-MM-dd"), text = "周二开始？" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("weekStart", (await s.Post("/api/reports/plans", new { weekStart = friday.AddDays(-4).ToString("yyyy-MM-dd"), text = "本周" })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        Assert.Contains("text", (await s.Post("/api/reports/plans", new { items = new[] { "x" } })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        (await app.Api("tech01").Post("/api/reports/plans", new { text = "技术员不能" })).Expect(HttpStatusCode.Forbidden);
        Assert.Equal(0, await app.Db(db => db.Set<Fieldline.Web.Features.Reports.Plans.WeeklyPlan>().CountAsync(p => p.BranchId == branch)));

        var mondayAt = new DateTimeOffset(friday.AddDays(3).Date, TimeSpan.FromHours(8));
        await app.At(mondayAt.AddHours(1));
        await Tick(branch);
        Assert.True(await Reminded(branch, mondayAt));
        Assert.Equal("unapproved", await Status(manager, mondayAt));
        // Another branch's manager cannot approve this branch's plan: a 404.
        var planId = (await s.Post("/api/reports/plans", new { text = "下下周" })).Expect(HttpStatusCode.OK).Id;
        var other = (await CraftedBranch.Of(app)).ManagerUser;
        (await app.Api(other).Post($"/api/reports/plans/{planId}/approve")).Expect(HttpStatusCode.NotFound);
    }
}
