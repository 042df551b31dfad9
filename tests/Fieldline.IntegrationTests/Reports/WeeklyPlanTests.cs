using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Reports;
using Fieldline.Web.Features.Reports.Archive;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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

    /// <summary>Whether the late plan of this week was reminded of (the reminder's key, unique per branch, kind and week).</summary>
    private Task<bool> Reminded(int branch, DateTimeOffset monday) => app.Db(db => db.Set<LateReminder>()
        .AnyAsync(r => r.BranchId == branch && r.Kind == LateReminder.WeeklyPlan && r.Period == monday.ToString("yyyy-MM-dd")));

    /// <summary>The week's reminders (the outbox messages of kind weeklyPlanUnapproved that name its Monday).</summary>
    private Task<List<OutboxMessage>> RemindersOf(int branch, DateTimeOffset monday) => app.Db(async db =>
        (await db.Outbox.AsNoTracking().Where(m => m.BranchId == branch && m.Kind == "weeklyPlanUnapproved").ToListAsync())
        .Where(m => m.Title.Contains(monday.ToString("yyyy-MM-dd"))).ToList());

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
        // Submitted but not approved: the department manager is the one to act; in-app and on the e-mail channel.
        var reminder = Assert.Single(await RemindersOf(branch, mondayAt));
        Assert.Equal([Roles.Manager], reminder.RecipientRoles);
        Assert.Equal(OutboxChannel.Email, reminder.Channel);
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

    [Fact]
    public async Task RPT11_a_week_begun_with_no_plan_submitted_reminds_the_supervisor_who_prepares_it_and_the_manager_once_in_Chinese()
    {
        var (branch, supervisor, manager) = await Branch();
        var friday = app.Next(DayOfWeek.Friday, 16);
        await app.At(friday);
        var mondayAt = new DateTimeOffset(friday.AddDays(3).Date, TimeSpan.FromHours(8));
        // Sunday evening: the plan is due but the week has not begun, so it is not late yet.
        await app.At(mondayAt.AddHours(-3));
        await Tick(branch);
        Assert.Empty(await RemindersOf(branch, mondayAt));

        // Monday 00:00 in the branch's zone: late. Ticking again (and Tuesday's tick) sends nothing more.
        await app.At(mondayAt);
        await Tick(branch);
        await app.At(mondayAt.AddDays(1));
        await Tick(branch);
        var reminder = Assert.Single(await RemindersOf(branch, mondayAt));
        Assert.Equal([Roles.Supervisor, Roles.Manager], reminder.RecipientRoles);
        Assert.Equal(OutboxChannel.Email, reminder.Channel);
        await app.Tick(); // the outbox delivers in-app
        foreach (var reader in new[] { supervisor, manager })
        {
            var inbox = (await app.Api(reader).Get("/api/notifications?pageSize=50")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
            var notice = Assert.Single(inbox, n => n!["kind"]!.GetValue<string>() == "weeklyPlanUnapproved" && n["title"]!.GetValue<string>().Contains(mondayAt.ToString("yyyy-MM-dd")))!;
            Assert.Equal($"{mondayAt:yyyy-MM-dd} 起一周的工作计划未批准", notice["title"]!.GetValue<string>());
            Assert.Contains("尚未提交工作计划", notice["body"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task RPT11_two_nodes_reminding_at_the_same_moment_send_the_late_plan_reminder_exactly_once()
    {
        var (branch, supervisor, _) = await Branch();
        var thursday = app.Next(DayOfWeek.Thursday, 9);
        await app.At(thursday);
        (await app.Api(supervisor).Post("/api/reports/plans", new { text = "两节点", items = new[] { "x" } })).Expect(HttpStatusCode.OK);
        var mondayAt = new DateTimeOffset(thursday.AddDays(4).Date, TimeSpan.FromHours(8));
        app.Clock.SetUtcNow(mondayAt.AddMinutes(5).ToUniversalTime());
        // Four schedulers at once, each in its own scope (as four nodes would be): one reminder, the others find its key.
        var week = DateOnly.FromDateTime(mondayAt.Date);
        var sent = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<Fieldline.Web.Features.Reports.Plans.RemindLatePlan>().Handle(branch, week, app.Clock.GetUtcNow(), default);
        }));
        Assert.Equal(1, sent.Count(x => x));
        Assert.Single(await RemindersOf(branch, mondayAt));
        Assert.Equal(1, await app.Db(db => db.Set<LateReminder>().CountAsync(r => r.BranchId == branch)));
    }

    [Fact]
    public async Task Only_the_reminders_own_unique_key_counts_as_sent_by_another_node_and_any_other_refused_save_is_a_fault()
    {
        var (branch, _, _) = await Branch();
        var log = app.Factory.Services.GetRequiredService<ILogger<WeeklyPlanTests>>();
        LateReminder Key(int b) => new() { BranchId = b, Kind = LateReminder.WeeklyPlan, Period = "2031-01-06", SentAt = app.Clock.GetUtcNow() };
        OutboxMessage Message(int b) => Notify.Message(app.Clock.GetUtcNow(), "weeklyPlanUnapproved", b, null,
            Fieldline.Web.Infrastructure.Localization.Msg.Of("The plan for the week of {0} is unapproved", "2031-01-06"),
            Fieldline.Web.Infrastructure.Localization.Msg.Of("The plan for the week of {0} is unapproved", "2031-01-06"), [], [Roles.Manager]);
        Task<bool> Send(int b) => app.Db(db => LateReminder.Send(db, Key(b), Message(b), log, default));

        Assert.True(await Send(branch));
        Assert.False(await Send(branch)); // the same key again: another node's, nothing more is sent
        // A branch that does not exist: the foreign key refuses the save — that is not "sent elsewhere", it is thrown.
        var e = await Assert.ThrowsAsync<Microsoft.EntityFrameworkCore.DbUpdateException>(() => Send(int.MaxValue - 7));
        Assert.False(DbErrors.IsUniqueViolation(e));
        Assert.Equal(1, await app.Db(db => db.Outbox.CountAsync(m => m.BranchId == branch && m.Kind == "weeklyPlanUnapproved"
            && m.Title.Contains("2031-01-06"))));
    }
}
