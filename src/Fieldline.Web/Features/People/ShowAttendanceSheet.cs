using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Reports.Kpis;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <param name="Status">present, late, absent (arrived after the cut-off: 缺勤), absenteeism (旷工: no check-in, no approved leave),
/// onLeave, suspended, restDay, offDuty, pending (before the cut-off). Field staff who clock no attendance (ATT-15) arrive with their first job check-in.</param>
public sealed record AttendanceDayDto(int TechnicianId, string TechnicianName, DateOnly Date, string Status, string StatusText, DateTimeOffset? FirstArrival,
    string? ArrivalSource, int? LateMinutes, int LatesThisMonth, bool AbsenceDayFromLates, long? PenaltyCaseId, decimal? Fine);

public sealed record AttendanceSheetDto(int BranchId, DateOnly From, DateOnly To, string WorkStart, string AbsentAfter, int LatesPerAbsenceDay,
    decimal AbsenteeismFinePerDay, bool FieldStaffExempt, IReadOnlyList<AttendanceDayDto> Days);

/// <summary>
/// The attendance sheet of a branch, day by day and person by person, from recorded facts only: the office check-ins and
/// the first job check-in of the day (ATT-15), approved leave, suspensions, the branch's calendar and zone, and the
/// policy's times (ATT-02: late after the start, absent after the cut-off; ATT-03: every 2nd late of the month makes an
/// absence day). A day without any check-in and without approved leave, once its cut-off has passed, is absenteeism.
/// </summary>
public sealed class ShowAttendanceSheet(AppDbContext db, PolicyStore policies, SlaCalendars calendars, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.Supervisor, Roles.Manager, Roles.Admin, Roles.Dispatcher, Roles.InfoClerk, Roles.Finance];

    /// <summary>The policy's attendance numbers (attendance.*), with the regulation's defaults.</summary>
    public sealed record Rules(TimeOnly WorkStart, TimeOnly LateAfter, TimeOnly AbsentAfter, int LatesPerAbsenceDay, decimal FinePerDay, int ConsecutiveDaysForDismissal, bool FieldStaffExempt)
    {
        public static Rules Of(CompanyPolicy p) => new(p.WorkStartTime, p.LateAfter, p.AbsenceIfArrivalAfter, p.LatesPerAbsenceDay,
            p.AbsenteeismFinePerDay, p.ConsecutiveAbsenteeismDaysForDismissal, p.FieldStaffClockExempt);
    }

    public async Task<AttendanceSheetDto> Handle(CurrentUser user, int? branchId, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        user.RequireAny("read the attendance sheet", Readers);
        var branch = branchId ?? user.BranchId;
        var zone = await zones.For(branch, ct);
        var today = BranchTime.Today(clock.GetUtcNow(), zone);
        var (f, t) = (from ?? today.AddDays(-6), to ?? today);
        var v = new Validator();
        if (!user.CanSeeBranch(branch)) v.Add("branchId", "Branch {1} does not exist.", branch);
        if (t < f) v.Add("to", "{0} cannot be before the first day.");
        else if (t.DayNumber - f.DayNumber > 62) v.Add("to", "At most {1} days at a time.", 62);
        v.ThrowIfInvalid();
        var policy = await policies.InForce(db, clock.GetUtcNow(), ct);
        return await Sheet(branch, f, t, policy, null, ct);
    }

    /// <summary>The sheet under <paramref name="policy"/>; <paramref name="technicianIds"/> narrows it (the timer judges everyone).</summary>
    public async Task<AttendanceSheetDto> Sheet(int branchId, DateOnly from, DateOnly to, CompanyPolicy policy, IReadOnlyCollection<int>? technicianIds, CancellationToken ct)
    {
        var rules = Rules.Of(policy);
        var zone = await zones.For(branchId, ct);
        var cal = await calendars.For(branchId, ct);
        var now = clock.GetUtcNow();
        // Lates count from the first of the month (ATT-03's period), so the sheet reads the month before its first day too.
        var monthStart = new DateOnly(from.Year, from.Month, 1);
        var (start, end) = (SlaMath.At(monthStart, TimeOnly.MinValue, zone), SlaMath.At(to.AddDays(1), TimeOnly.MinValue, zone));
        var query = db.Technicians.AsNoTracking().Include(x => x.User).Where(x => x.BranchId == branchId && x.User!.IsActive);
        if (technicianIds is not null) query = query.Where(x => EF.Parameter(technicianIds).Contains(x.Id));
        var techs = await query.OrderBy(x => x.Id).ToListAsync(ct);
        // The people as a subquery in each read below, not a branch's thousands of ids bound as parameters five times.
        var ids = query.Select(x => x.Id);
        var office = await db.OfficeCheckIns.AsNoTracking().Where(c => ids.Contains(c.TechnicianId) && c.At >= start && c.At < end)
            .Select(c => new { c.TechnicianId, c.At }).ToListAsync(ct);
        // Only a day's first job check-in counts: the database keeps the earliest per person and local day (GROUP BY MIN, the
        // day as the KPIs count it, per span of one UTC offset), so the process never holds the month's jobs.
        var jobs = new List<(int TechnicianId, DateTimeOffset At)>();
        foreach (var span in KpiSql.Spans(zone, monthStart, to.AddDays(1)))
            jobs.AddRange((await db.WorkOrders.AsNoTracking()
                    .Where(o => o.TechnicianId != null && ids.Select(x => (int?)x).Contains(o.TechnicianId) && o.CheckedInAt >= span.Start && o.CheckedInAt < span.End)
                    .GroupBy(o => new { o.TechnicianId, Day = (KpiSql.Ms(o.CheckedInAt) + span.OffsetMs) / KpiSql.DayMs })
                    .Select(g => new { g.Key.TechnicianId, At = g.Min(o => o.CheckedInAt) })
                    .ToListAsync(ct))
                .Select(j => (j.TechnicianId!.Value, j.At!.Value)));
        var leave = await db.LeaveRequests.AsNoTracking().Where(l => ids.Contains(l.TechnicianId) && l.Status == LeaveStatus.Approved && l.From <= to && l.To >= monthStart).ToListAsync(ct);
        var suspensions = await db.Suspensions.AsNoTracking().Where(s => ids.Contains(s.TechnicianId) && s.From <= to && s.To >= monthStart).ToListAsync(ct);
        var judged = await db.AttendanceJudgements.AsNoTracking().Where(j => ids.Contains(j.TechnicianId) && j.Day >= from && j.Day <= to)
            .Select(j => new
            {
                j.TechnicianId, j.Day, j.Status, j.PenaltyCaseId,
                // A fine dismissed since (the person arrived after all, or leave excused the day) is no fine of the day.
                Amount = j.PenaltyCase == null || j.PenaltyCase.State == Evaluation.PenaltyState.Dismissed ? (decimal?)null : j.PenaltyCase.Amount,
            }).ToListAsync(ct);

        // Grouped once by person (a branch of thousands over a month: never a scan of every row per person and day).
        var officeOf = office.ToLookup(c => c.TechnicianId);
        var jobsOf = jobs.ToLookup(j => j.TechnicianId);
        var leaveOf = leave.ToLookup(l => l.TechnicianId);
        var suspensionsOf = suspensions.ToLookup(s => s.TechnicianId);
        var judgedOn = judged.GroupBy(x => (x.TechnicianId, x.Day)).ToDictionary(g => g.Key, g => g.First());
        var days = new List<AttendanceDayDto>();
        foreach (var tech in techs)
        {
            var arrivals = officeOf[tech.Id].Select(c => (c.At, Source: "office"))
                .Concat(jobsOf[tech.Id].Select(j => (j.At, Source: "job")))
                .GroupBy(a => BranchTime.Today(a.At, zone)).ToDictionary(g => g.Key, g => g.OrderBy(a => a.At).First());
            var lates = 0;
            for (var d = monthStart; d <= to; d = d.AddDays(1))
            {
                if (d.Day == 1) lates = 0;
                string status;
                int? lateMinutes = null;
                var arrival = arrivals.TryGetValue(d, out var a) ? a : ((DateTimeOffset At, string Source)?)null;
                var cutOff = SlaMath.At(d, rules.AbsentAfter, zone);
                if (suspensionsOf[tech.Id].Any(s => s.Covers(d))) status = "suspended";
                else if (leaveOf[tech.Id].Any(l => l.Covers(d))) status = "onLeave";
                else if (arrival is { } got)
                {
                    var local = TimeOnly.FromDateTime(BranchTime.Local(got.At, zone).DateTime);
                    if (local > rules.AbsentAfter) status = "absent";
                    else if (local > rules.LateAfter)
                    {
                        status = "late";
                        lateMinutes = (int)Math.Ceiling((local - rules.LateAfter).TotalMinutes);
                    }
                    else status = "present";
                }
                else if (!cal.IsWorkingDay(d)) status = "restDay";
                else if (now < cutOff) status = "pending";
                else if (!tech.OnDuty) status = "offDuty";
                else status = "absenteeism";
                // A judged day reads as it was judged (under the policy then in force), whatever came later — except leave, a
                // suspension, and an arrival on a day judged absenteeism for want of one: a person who turns up after the
                // cut-off is absent (缺勤, ATT-04), not 旷工 (ExcuseJudgedDays withdrew the fine).
                var j = d >= from ? judgedOn.GetValueOrDefault((tech.Id, d)) : null;
                if (j is not null && j.Status != status && !(status is "onLeave" or "suspended") && !(j.Status == "absenteeism" && arrival is not null)) status = j.Status;
                if (status == "late") lates++;
                if (d < from) continue;
                days.Add(new AttendanceDayDto(tech.Id, tech.User?.DisplayName ?? "", d, status, Msg.Code("attendance", status).Render(),
                    arrival is { } x2 ? BranchTime.Local(x2.At, zone) : null, arrival?.Source, lateMinutes, lates,
                    status == "late" && rules.LatesPerAbsenceDay > 0 && lates % rules.LatesPerAbsenceDay == 0, j?.PenaltyCaseId, j?.Amount));
            }
        }
        return new AttendanceSheetDto(branchId, from, to, rules.WorkStart.ToString("HH:mm", CultureInfo.InvariantCulture), rules.AbsentAfter.ToString("HH:mm", CultureInfo.InvariantCulture),
            rules.LatesPerAbsenceDay, rules.FinePerDay, rules.FieldStaffExempt, days);
    }
}
