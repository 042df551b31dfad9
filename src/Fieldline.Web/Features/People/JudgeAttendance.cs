using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <summary>
/// Judges each branch's working day once, at the policy's cut-off (attendance.absenceIfArrivalAfter, branch time): a
/// day with no check-in and no approved leave is absenteeism (旷工, ATT-09): the policy's fine per day (ATT-10) as a
/// proposed case (dismissed when leave for that day is approved the same day, ATT-07, or when the person arrives after
/// all: an absence day, ATT-04, <see cref="ExcuseJudgedDays"/>), and the Nth consecutive working day (ATT-11, 3) the rule
/// that opens a dismissal review. One row per person and day under a unique index: a second node, or a second tick, finds
/// the day judged and changes nothing. A day whose cut-off passed while no timer ran (a restart, a deploy, an outage at
/// 10:00, the sandbox clock jumping over it) is judged on the next tick, oldest first, under the policy in force at its
/// cut-off: every day after the branch's last judged one, at most <see cref="CatchUpDays"/> back (a branch never judged
/// starts today, so a new installation does not fine the days before it). Field staff who clock no attendance (ATT-15)
/// have their first job check-in as their arrival. Off with Fieldline:Attendance:JudgeEnabled=false.
/// </summary>
public sealed class JudgeAttendance(IServiceScopeFactory scopes, TimeProvider clock, AttendanceOptions options, ILogger<JudgeAttendance> log) : IDueWork
{
    /// <summary>How far back a tick catches up on days nobody judged (a pay month).</summary>
    public const int CatchUpDays = 31;

    public async Task RunDueAsync(CancellationToken ct)
    {
        if (!options.JudgeEnabled) return;
        List<int> branches;
        await using (var scope = scopes.CreateAsyncScope())
            branches = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Technicians.AsNoTracking().Select(t => t.BranchId).Distinct().ToListAsync(ct);
        foreach (var branch in branches) await JudgeDue(branch, ct);
    }

    /// <summary>
    /// Every day of <paramref name="branch"/> whose cut-off has passed and that is not judged yet, oldest first (so a run of
    /// consecutive days sees the days before it), each under the policy in force at its cut-off.
    /// </summary>
    /// <param name="policyVersionId">A version to judge under instead (a scenario's own, beside the one in force).</param>
    /// <param name="technicianIds">Only these people (a scenario's own); everyone of the branch when null.</param>
    /// <returns>How many person-days this call judged.</returns>
    internal async Task<int> JudgeDue(int branch, CancellationToken ct, int? policyVersionId = null, IReadOnlyCollection<int>? technicianIds = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var policies = scope.ServiceProvider.GetRequiredService<PolicyStore>();
        var now = clock.GetUtcNow();
        var zone = await scope.ServiceProvider.GetRequiredService<BranchZones>().For(branch, ct);
        var today = BranchTime.Today(now, zone);
        Task<CompanyPolicy> PolicyAt(DateTimeOffset at) => policyVersionId is { } id ? policies.ById(db, id, ct) : policies.InForce(db, at, ct);
        var current = await PolicyAt(now);
        var judgements = db.AttendanceJudgements.AsNoTracking().Where(j => j.BranchId == branch);
        if (technicianIds is not null) judgements = judgements.Where(j => technicianIds.Contains(j.TechnicianId));
        var last = await judgements.MaxAsync(j => (DateOnly?)j.Day, ct);
        var first = last is { } l && l < today ? (l.AddDays(1) > today.AddDays(-CatchUpDays) ? l.AddDays(1) : today.AddDays(-CatchUpDays)) : today;
        var count = 0;
        for (var day = first; day <= today; day = day.AddDays(1))
        {
            var policy = day == today ? current : await PolicyAt(SlaMath.At(day, current.AbsenceIfArrivalAfter, zone));
            if (now < SlaMath.At(day, policy.AbsenceIfArrivalAfter, zone)) break;
            var (judged, failed) = await TryJudge(branch, day, policy, technicianIds, ct);
            count += judged;
            if (failed) break; // never a later day before this one: the catch-up starts after the last judged day
        }
        return count;
    }

    /// <summary>
    /// One branch's day in a scope of its own. When another node (or a second tick) saved the same day first, the unique
    /// index of <see cref="AttendanceJudgement"/> refuses this save and what the other wrote stands; any other refusal
    /// is a fault, logged as an error (the next tick tries the day again: <see cref="JudgeAttendanceDay"/> skips whoever
    /// is judged), never taken for "judged elsewhere".
    /// </summary>
    /// <returns>How many people this call judged; 0 when the day was judged elsewhere or the save failed.</returns>
    internal async Task<int> JudgeOnce(int branch, DateOnly day, CompanyPolicy policy, CancellationToken ct, IReadOnlyCollection<int>? technicianIds = null) =>
        (await TryJudge(branch, day, policy, technicianIds, ct)).Judged;

    /// <returns>How many people were judged, and whether the save failed (not "judged elsewhere"): the day stays to judge.</returns>
    private async Task<(int Judged, bool Failed)> TryJudge(int branch, DateOnly day, CompanyPolicy policy, IReadOnlyCollection<int>? technicianIds, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        try { return (await scope.ServiceProvider.GetRequiredService<JudgeAttendanceDay>().Handle(branch, day, policy, ct, technicianIds), false); }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "AttendanceJudgements"))
        {
            log.LogInformation("Attendance of branch {Branch} on {Day} was judged elsewhere ({Error})", branch, day, e.InnerException?.Message);
            return (0, false);
        }
        catch (DbUpdateException e)
        {
            log.LogError(e, "Attendance of branch {Branch} on {Day} could not be saved", branch, day);
            return (0, true);
        }
    }
}

/// <summary>One branch's day: the sheet's verdict for everyone not judged yet, with the cases it proposes, in one save.</summary>
public sealed class JudgeAttendanceDay(AppDbContext db, ShowAttendanceSheet sheets, ProposePenaltyCase propose, SlaCalendars calendars, TimeProvider clock)
{
    /// <returns>How many people it judged (0 when the day was already judged).</returns>
    /// <param name="technicianIds">Only these people (a scenario's own); everyone of the branch when null.</param>
    public async Task<int> Handle(int branchId, DateOnly day, CompanyPolicy policy, CancellationToken ct, IReadOnlyCollection<int>? technicianIds = null)
    {
        var done = await db.AttendanceJudgements.AsNoTracking().Where(j => j.BranchId == branchId && j.Day == day).Select(j => j.TechnicianId).ToListAsync(ct);
        var sheet = await sheets.Sheet(branchId, day, day, policy, technicianIds, ct);
        var todo = sheet.Days.Where(d => d.Status != "pending" && !done.Contains(d.TechnicianId)).ToList();
        if (todo.Count == 0) return 0;
        var rules = ShowAttendanceSheet.Rules.Of(policy);
        var fine = policy.Rule("absenteeism");
        var dismissal = policy.Rule("consecutiveAbsenteeism");
        var cal = await calendars.For(branchId, ct);
        var now = clock.GetUtcNow();
        var ids = todo.Select(d => d.TechnicianId).ToList();
        var users = await db.Technicians.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.UserId, ct);
        // The working days before this one, newest first, that a run of consecutive absenteeism must cover.
        var before = new List<DateOnly>();
        for (var d = day.AddDays(-1); before.Count < Math.Max(0, rules.ConsecutiveDaysForDismissal - 1) && d > day.AddDays(-60); d = d.AddDays(-1))
            if (cal.IsWorkingDay(d)) before.Add(d);
        // An earlier day counts when it was judged absenteeism and still reads so on the sheet: a person who arrived after
        // the cut-off after all (an absence day, ATT-04) or whose leave was approved (ATT-07) broke the run.
        var absentees = todo.Where(d => d.Status == "absenteeism").Select(d => d.TechnicianId).ToList();
        var earlier = new HashSet<(int TechnicianId, DateOnly Day)>();
        if (before.Count > 0 && absentees.Count > 0 && dismissal is not null)
        {
            var judged = (await db.AttendanceJudgements.AsNoTracking()
                .Where(j => absentees.Contains(j.TechnicianId) && before.Contains(j.Day) && j.Status == "absenteeism").Select(j => new { j.TechnicianId, j.Day }).ToListAsync(ct))
                .Select(j => (j.TechnicianId, j.Day)).ToHashSet();
            if (judged.Count > 0)
                earlier = (await sheets.Sheet(branchId, before.Min(), before.Max(), policy, absentees, ct)).Days
                    .Where(x => x.Status == "absenteeism" && judged.Contains((x.TechnicianId, x.Date))).Select(x => (x.TechnicianId, x.Date)).ToHashSet();
        }
        foreach (var d in todo)
        {
            PenaltyCase? proposed = null;
            if (d.Status == "absenteeism" && fine is not null)
            {
                var person = users[d.TechnicianId];
                var date = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                proposed = (await propose.Handle(new PenaltyFinding(policy, fine, person, branchId, now, new { kind = "absenteeism", day = date })
                    { OccurredOn = day, ConfirmWhenCertain = false }, ct)).Case; // proposed: leave phoned in and filed the same day still excuses it (ATT-07)
                if (dismissal is not null && before.Count > 0 && before.All(b => earlier.Contains((d.TechnicianId, b))))
                    await propose.Handle(new PenaltyFinding(policy, dismissal, person, branchId, now,
                        new { kind = "consecutiveAbsenteeism", day = date, days = before.Count + 1 }) { OccurredOn = day }, ct);
            }
            db.Add(new AttendanceJudgement
            {
                BranchId = branchId, TechnicianId = d.TechnicianId, TechnicianUserId = users[d.TechnicianId], Day = day, Status = d.Status, JudgedAt = now, PenaltyCase = proposed,
            });
        }
        await db.SaveChangesAsync(ct);
        return todo.Count;
    }
}

/// <summary>Fieldline:Attendance — whether the timer judges days (the integration tests judge their own technicians' days).</summary>
public sealed class AttendanceOptions
{
    public bool JudgeEnabled { get; set; } = true;
}
