using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.People;

[Collection(SqliteCollection.Name)] public sealed class AttendanceTestsOnSqlite(SqliteFixture app) : AttendanceTests(app);
[Collection(PostgresCollection.Name)] public sealed class AttendanceTestsOnPostgres(PostgresFixture app) : AttendanceTests(app);

/// <summary>
/// SC-31 under the Gree preset: a week of check-ins read back as the attendance sheet, absenteeism proposed per day, the
/// 3rd consecutive day opening a dismissal review, each day judged exactly once. The shared app runs the generic preset
/// (field staff clock-exempt, ATT-15), so the scenario puts a Gree version beside it, never in force, and judges its own
/// technician's days under it as the timer would (the shared app's timer does not judge: AppFixture).
/// </summary>
public abstract class AttendanceTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd");

    private Task<int> GreeVersion() => Version("gree-dealer-changsha-2012");

    /// <summary>A version of <paramref name="preset"/> beside the one in force (never in force itself).</summary>
    private async Task<int> Version(string preset) => await app.Db(async db =>
    {
        var doc = new PolicyPresets().Document(preset);
        var version = new PolicyVersion
        {
            Number = -Random.Shared.Next(1000, 1_000_000), BasedOn = preset, EffectiveFrom = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero),
            CreatedAt = app.Clock.GetUtcNow(), DocumentJson = doc.ToJsonString(),
        };
        db.PolicyVersions.Add(version);
        await db.SaveChangesAsync();
        return version.Id;
    });

    private async Task<int> Judge(int versionId, DateOnly day, int tech)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var policy = await scope.ServiceProvider.GetRequiredService<PolicyStore>().ById(db, versionId, default);
        var branch = await db.Technicians.Where(t => t.Id == tech).Select(t => t.BranchId).SingleAsync();
        return await scope.ServiceProvider.GetRequiredService<JudgeAttendanceDay>().Handle(branch, day, policy, default, [tech]);
    }

    [Fact]
    public async Task SC31_a_week_of_check_ins_reads_back_as_lates_an_absence_and_three_days_of_absenteeism_that_open_a_dismissal_review()
    {
        var gree = await GreeVersion();
        var monday = app.Next(DayOfWeek.Monday, 8);
        var day = DateOnly.FromDateTime(monday.Date);
        var (user, tech, userId) = await _given.NewTechnician();
        var phone = app.Api(user);
        foreach (var (offset, time) in new[] { (0, new TimeSpan(9, 10, 0)), (1, new TimeSpan(9, 25, 0)), (2, new TimeSpan(10, 15, 0)) })
        {
            await app.At(new DateTimeOffset(monday.Date.AddDays(offset).Add(time), TimeSpan.FromHours(8)));
            (await phone.Post("/api/attendance/office-check-ins", new { })).Expect(HttpStatusCode.Created);
        }
        await app.At(new DateTimeOffset(monday.Date.AddDays(5).AddHours(10).AddMinutes(30), TimeSpan.FromHours(8))); // Saturday 10:30

        for (var d = day; d <= day.AddDays(5); d = d.AddDays(1)) Assert.Equal(1, await Judge(gree, d, tech));
        Assert.Equal(0, await Judge(gree, day.AddDays(5), tech)); // a day is judged once

        var sheet = (await app.Api("supervisor").Get($"/api/attendance/days?from={D(day)}&to={D(day.AddDays(5))}")).Expect(HttpStatusCode.OK).Body;
        var mine = sheet["days"]!.AsArray().Where(x => x!["technicianId"]!.GetValue<int>() == tech).OrderBy(x => x!["date"]!.GetValue<string>()).ToList();
        Assert.Equal(["late", "late", "absent", "absenteeism", "absenteeism", "absenteeism"], mine.Select(x => x!["status"]!.GetValue<string>()));
        Assert.Equal(10, mine[0]!["lateMinutes"]!.GetValue<int>());
        Assert.False(mine[0]!["absenceDayFromLates"]!.GetValue<bool>());
        Assert.True(mine[1]!["absenceDayFromLates"]!.GetValue<bool>()); // ATT-03: the 2nd late makes an absence day
        Assert.Equal("旷工", mine[3]!["statusText"]!.GetValue<string>());
        Assert.All(mine.Skip(3), x => Assert.Equal(50m, x!["fine"]!.GetValue<decimal>()));

        var cases = await app.Db(db => db.PenaltyCases.Where(c => c.PersonUserId == userId).OrderBy(c => c.Id).ToListAsync());
        var absenteeism = cases.Where(c => c.PenaltyKey == "absenteeism").ToList();
        Assert.Equal(3, absenteeism.Count);
        Assert.All(absenteeism, c => Assert.Equal(PenaltyState.Proposed, c.State));
        Assert.Equal(150m, absenteeism.Sum(c => c.Amount));
        Assert.Single(cases, c => c.PenaltyKey == "consecutiveAbsenteeism");
        // DSM-15: the review names the trigger beside the fine's ids, and reads in Chinese for the manager.
        var review = await app.Db(db => db.DismissalReviews.SingleAsync(r => r.PersonUserId == userId));
        Assert.Equal("PEN-50,ATT-11,DSM-15", review.RuleIds);
        Assert.StartsWith("DSM-15 连续旷工3天", Fieldline.Web.Infrastructure.Localization.StoredText.Render(review.Reason, new System.Globalization.CultureInfo("zh-CN")));
    }

    [Fact]
    public async Task Under_Jinlong_which_states_no_fines_three_days_of_absenteeism_are_judged_but_propose_no_fine_and_open_no_review()
    {
        var jinlong = await Version("jinlong-ac-install");
        var monday = app.Next(DayOfWeek.Monday, 8);
        var day = DateOnly.FromDateTime(monday.Date);
        var (_, tech, userId) = await _given.NewTechnician();
        await app.At(new DateTimeOffset(monday.Date.AddDays(2).AddHours(11), TimeSpan.FromHours(8))); // Wednesday 11:00, nobody came
        for (var d = day; d <= day.AddDays(2); d = d.AddDays(1)) Assert.Equal(1, await Judge(jinlong, d, tech));

        var judged = await app.Db(db => db.AttendanceJudgements.Where(j => j.TechnicianId == tech).OrderBy(j => j.Day).Select(j => j.Status).ToListAsync());
        Assert.Equal(["absenteeism", "absenteeism", "absenteeism"], judged);
        Assert.Empty(await app.Db(db => db.PenaltyCases.Where(c => c.PersonUserId == userId).ToListAsync()));
        Assert.Empty(await app.Db(db => db.DismissalReviews.Where(r => r.PersonUserId == userId).ToListAsync()));
    }

    [Fact]
    public async Task Leave_phoned_in_and_approved_the_same_day_dismisses_that_days_absenteeism_and_two_judges_at_once_judge_a_day_once()
    {
        var gree = await GreeVersion();
        var (_, tech, userId) = await _given.NewTechnician();
        var when = app.Next(DayOfWeek.Tuesday, 10, 30);
        await app.At(when);
        var day = DateOnly.FromDateTime(when.Date);
        // Two nodes' timers judge the same day at the same moment, through the timer's own guard (no catch here): the
        // loser's save is refused by the unique index and taken as "judged elsewhere"; a later tick finds the day judged.
        var judge = app.Factory.Services.GetRequiredService<JudgeAttendance>();
        var policy = await app.Db(db => app.Factory.Services.GetRequiredService<PolicyStore>().ById(db, gree, default));
        var branch = await app.Db(db => db.Technicians.Where(t => t.Id == tech).Select(t => t.BranchId).SingleAsync());
        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => judge.JudgeOnce(branch, day, policy, default, [tech]))));
        Assert.Equal(1, both.Sum());
        Assert.Equal(0, await judge.JudgeOnce(branch, day, policy, default, [tech]));
        Assert.Equal(1, await app.Db(db => db.AttendanceJudgements.CountAsync(j => j.TechnicianId == tech && j.Day == day)));
        var fine = await app.Db(db => db.PenaltyCases.SingleAsync(c => c.PersonUserId == userId && c.PenaltyKey == "absenteeism"));
        Assert.Equal(PenaltyState.Proposed, fine.State);

        // 16:00: the brother files the leave form, the supervisor records and approves it (ATT-07).
        await app.At(when.AddHours(5.5));
        var leave = (await app.Api("supervisor").Post("/api/leave-requests", new { technicianId = tech, from = D(day), to = D(day), reason = "急病,弟弟代办" }))
            .Expect(HttpStatusCode.Created).Body;
        Assert.Equal("approved", leave["status"]!.GetValue<string>());
        Assert.Equal(PenaltyState.Dismissed, (await app.Db(db => db.PenaltyCases.SingleAsync(c => c.Id == fine.Id))).State);
        var sheet = (await app.Api("supervisor").Get($"/api/attendance/days?from={D(day)}&to={D(day)}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal("onLeave", sheet["days"]!.AsArray().Single(x => x!["technicianId"]!.GetValue<int>() == tech)!["status"]!.GetValue<string>());
    }

    private static DateTimeOffset Local(DateOnly d, int h, int m) => new(d.ToDateTime(new TimeOnly(h, m)), TimeSpan.FromHours(8));

    /// <summary>
    /// ATT-04 and the modelling note under ATT-21 (absenceFromLatenessCountsAsAbsenteeism false): the timer judges the day at
    /// the 10:00 cut-off with nobody there yet (旷工, 50 proposed); the person turns up at 10:15 — an absence day (缺勤), no
    /// fine, and the day no longer counts toward the 3 consecutive days (DSM-15): the review it opened is withdrawn, and the
    /// next day's absenteeism opens none.
    /// </summary>
    [Fact]
    public async Task Arriving_after_the_cut_off_of_a_day_judged_absenteeism_makes_it_an_absence_day_without_fine_that_breaks_the_consecutive_run()
    {
        var gree = await GreeVersion();
        var day = DateOnly.FromDateTime(app.Next(DayOfWeek.Monday, 8).Date);
        var (user, tech, userId) = await _given.NewTechnician();
        for (var d = day; d <= day.AddDays(2); d = d.AddDays(1)) // Mon, Tue, Wed: nobody by 10:00
        {
            await app.At(Local(d, 10, 5));
            Assert.Equal(1, await Judge(gree, d, tech));
        }
        var review = await app.Db(db => db.DismissalReviews.SingleAsync(r => r.PersonUserId == userId));
        Assert.Equal(ReviewState.Open, review.State);

        await app.At(Local(day.AddDays(2), 10, 15)); // Wednesday 10:15: he arrives after all
        (await app.Api(user).Post("/api/attendance/office-check-ins", new { })).Expect(HttpStatusCode.Created);

        var cases = await app.Db(db => db.PenaltyCases.Where(c => c.PersonUserId == userId).ToListAsync());
        var wednesday = cases.Single(c => c.PenaltyKey == "absenteeism" && c.OccurredOn == day.AddDays(2));
        Assert.Equal(PenaltyState.Dismissed, wednesday.State);
        Assert.Contains("10:15", Fieldline.Web.Infrastructure.Localization.StoredText.Render(wednesday.DecisionNote, new System.Globalization.CultureInfo("zh-CN")));
        Assert.Equal(PenaltyState.Dismissed, cases.Single(c => c.PenaltyKey == "consecutiveAbsenteeism").State);
        Assert.Equal(ReviewState.Withdrawn, (await app.Db(db => db.DismissalReviews.SingleAsync(r => r.Id == review.Id))).State);
        Assert.Equal(2, cases.Count(c => c.PenaltyKey == "absenteeism" && c.State == PenaltyState.Proposed)); // Mon and Tue stand

        var sheet = (await app.Api("supervisor").Get($"/api/attendance/days?from={D(day)}&to={D(day.AddDays(2))}")).Expect(HttpStatusCode.OK).Body;
        var mine = sheet["days"]!.AsArray().Where(x => x!["technicianId"]!.GetValue<int>() == tech).OrderBy(x => x!["date"]!.GetValue<string>()).ToList();
        Assert.Equal(["absenteeism", "absenteeism", "absent"], mine.Select(x => x!["status"]!.GetValue<string>()));
        Assert.Equal("缺勤", mine[2]!["statusText"]!.GetValue<string>());
        Assert.Null(mine[2]!["fine"]);
        Assert.Equal(50m, mine[1]!["fine"]!.GetValue<decimal>());

        // Thursday: nobody by 10:00 again — a fine, but Tue, Wed(absent), Thu is no run of three: no new review.
        await app.At(Local(day.AddDays(3), 10, 5));
        Assert.Equal(1, await Judge(gree, day.AddDays(3), tech));
        Assert.Equal(3, await app.Db(db => db.PenaltyCases.CountAsync(c => c.PersonUserId == userId && c.PenaltyKey == "absenteeism" && c.State == PenaltyState.Proposed)));
        Assert.Single(await app.Db(db => db.DismissalReviews.Where(r => r.PersonUserId == userId).ToListAsync()));
    }

    /// <summary>ATT-15: a field technician's first job check-in is the arrival — after the cut-off it withdraws the 旷工 fine too.</summary>
    [Fact]
    public async Task A_first_job_check_in_after_the_cut_off_withdraws_the_days_absenteeism_fine()
    {
        var gree = await GreeVersion();
        var day = DateOnly.FromDateTime(app.Next(DayOfWeek.Tuesday, 8).Date);
        var who = await _given.NewTechnician();
        await app.At(Local(day, 8, 30));
        var id = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        var tech = app.Api(who.User);
        (await app.Api("dispatcher").Post($"/api/work-orders/{id}/dispatch", new { technicianId = who.TechnicianId })).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        (await tech.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = Local(day, 10, 0), end = Local(day, 12, 0) } })).Expect(HttpStatusCode.OK);
        await app.At(Local(day, 10, 1));
        Assert.Equal(1, await Judge(gree, day, who.TechnicianId));
        Assert.Equal(PenaltyState.Proposed, (await app.Db(db => db.PenaltyCases.SingleAsync(c => c.PersonUserId == who.UserId && c.PenaltyKey == "absenteeism"))).State);

        await app.At(Local(day, 10, 10));
        (await tech.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
        Assert.Equal(PenaltyState.Dismissed, (await app.Db(db => db.PenaltyCases.SingleAsync(c => c.PersonUserId == who.UserId && c.PenaltyKey == "absenteeism"))).State);
        var sheet = (await app.Api("supervisor").Get($"/api/attendance/days?from={D(day)}&to={D(day)}")).Expect(HttpStatusCode.OK).Body;
        var mine = sheet["days"]!.AsArray().Single(x => x!["technicianId"]!.GetValue<int>() == who.TechnicianId)!;
        Assert.Equal("absent", mine["status"]!.GetValue<string>());
        Assert.Equal("job", mine["arrivalSource"]!.GetValue<string>());
        Assert.Null(mine["fine"]);
    }

    /// <summary>
    /// The timer judges every day whose cut-off passed while it did not run (a restart, an outage at 10:00, the sandbox
    /// clock jumping over it) on its next tick, oldest first and once: the skipped days get their fines and count toward
    /// the consecutive days like any other.
    /// </summary>
    [Fact]
    public async Task Days_whose_cut_off_passed_while_the_timer_did_not_run_are_judged_on_the_next_tick_once_and_count_toward_the_run()
    {
        var gree = await GreeVersion();
        var day = DateOnly.FromDateTime(app.Next(DayOfWeek.Monday, 8).Date);
        var (_, tech, userId) = await _given.NewTechnician();
        var timer = app.Factory.Services.GetRequiredService<JudgeAttendance>();
        var branch = await app.Db(db => db.Technicians.Where(t => t.Id == tech).Select(t => t.BranchId).SingleAsync());
        await app.At(Local(day, 9, 30));
        Assert.Equal(0, await timer.JudgeDue(branch, default, gree, [tech])); // before the cut-off: nothing yet
        await app.At(Local(day, 10, 5));
        Assert.Equal(1, await timer.JudgeDue(branch, default, gree, [tech])); // Monday, on time

        await app.At(Local(day.AddDays(2), 10, 5)); // the clock jumps over Tuesday's 10:00
        Assert.Equal(2, await timer.JudgeDue(branch, default, gree, [tech])); // Tuesday and Wednesday
        Assert.Equal(0, await timer.JudgeDue(branch, default, gree, [tech])); // never twice

        var days = await app.Db(db => db.AttendanceJudgements.Where(j => j.TechnicianId == tech).OrderBy(j => j.Day).Select(j => new { j.Day, j.Status, j.PenaltyCaseId }).ToListAsync());
        Assert.Equal([day, day.AddDays(1), day.AddDays(2)], days.Select(j => j.Day));
        Assert.All(days, j => { Assert.Equal("absenteeism", j.Status); Assert.NotNull(j.PenaltyCaseId); });
        var cases = await app.Db(db => db.PenaltyCases.Where(c => c.PersonUserId == userId).ToListAsync());
        Assert.Equal([day, day.AddDays(1), day.AddDays(2)], cases.Where(c => c.PenaltyKey == "absenteeism").Select(c => c.OccurredOn).Order());
        Assert.Equal(day.AddDays(2), cases.Single(c => c.PenaltyKey == "consecutiveAbsenteeism").OccurredOn); // Tuesday counted toward DSM-15
        Assert.Single(await app.Db(db => db.DismissalReviews.Where(r => r.PersonUserId == userId).ToListAsync()));
    }

    /// <summary>
    /// ATT-15: a day's arrival is its earliest check-in, a job's too — counted by the branch's local day, whatever the UTC
    /// date: 00:10 in Changsha is 16:10 UTC of the day before and arrives on its own day, 23:50 stays on the day it ends.
    /// (The database picks the first job check-in per person and local day.)
    /// </summary>
    [Fact]
    public async Task A_days_arrival_is_its_earliest_job_check_in_by_the_branchs_local_day_also_just_after_midnight()
    {
        var (_, tech, _) = await _given.NewTechnician();
        var day = DateOnly.FromDateTime(app.Next(DayOfWeek.Wednesday, 8).Date).AddDays(7);
        DateTimeOffset Local(DateOnly d, int h, int m) => new(d.ToDateTime(new TimeOnly(h, m)), TimeSpan.FromHours(8));
        var checkIns = new[] { Local(day, 9, 20), Local(day, 8, 50), Local(day.AddDays(-1), 23, 50), Local(day.AddDays(1), 0, 10), Local(day.AddDays(1), 11, 0) };
        foreach (var at in checkIns)
        {
            var id = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
            await app.Db(db => db.WorkOrders.Where(o => o.Id == id)
                .ExecuteUpdateAsync(x => x.SetProperty(o => o.TechnicianId, tech).SetProperty(o => o.CheckedInAt, at.ToUniversalTime())));
        }

        var sheet = (await app.Api("supervisor").Get($"/api/attendance/days?from={D(day.AddDays(-1))}&to={D(day.AddDays(1))}")).Expect(HttpStatusCode.OK).Body;
        var mine = sheet["days"]!.AsArray().Where(x => x!["technicianId"]!.GetValue<int>() == tech).OrderBy(x => x!["date"]!.GetValue<string>()).ToList();
        Assert.Equal([D(day.AddDays(-1)), D(day), D(day.AddDays(1))], mine.Select(x => x!["date"]!.GetValue<string>()));
        Assert.Equal([Local(day.AddDays(-1), 23, 50), Local(day, 8, 50), Local(day.AddDays(1), 0, 10)],
            mine.Select(x => DateTimeOffset.Parse(x!["firstArrival"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(mine, x => Assert.Equal("job", x!["arrivalSource"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Only_office_roles_read_the_sheet_and_an_unjudged_day_carries_no_fine()
    {
        (await app.Api("tech01").Get("/api/attendance/days")).Expect(HttpStatusCode.Forbidden);
        var sheet = (await app.Api("supervisor").Get("/api/attendance/days")).Expect(HttpStatusCode.OK).Body;
        Assert.All(sheet["days"]!.AsArray().Where(x => x!["penaltyCaseId"] is null), x => Assert.Null(x!["fine"]));
        (await app.Api("supervisor").Get("/api/attendance/days?from=2026-12-10&to=2026-12-01")).Expect(HttpStatusCode.BadRequest);
    }
}
