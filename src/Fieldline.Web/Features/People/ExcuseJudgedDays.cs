using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <summary>
/// A day the timer judged absenteeism (旷工) at the cut-off that turned out not to be one: the person arrived after all —
/// after the cut-off, an absence day (缺勤, ATT-04), which carries no fine and does not count toward the consecutive days
/// (ATT-11, DSM-15; the modelling note under ATT-21) — or leave for it was approved (ATT-07). The day's proposed fine is
/// dismissed, and the consecutive-absenteeism case proposed on it is dismissed with the dismissal review it opened (the
/// run of days it counted is broken). A fine or review someone already decided stays theirs to undo (an appeal, the
/// review's own decision). The judgement row itself stays as written (append-only); the sheet reads the arrival or the
/// leave over it, and the next day's consecutive count reads the sheet.
/// Called in the same unit of work as the arrival (office or job check-in) or the leave, before its one save.
/// </summary>
public sealed class ExcuseJudgedDays(AppDbContext db, BranchZones zones)
{
    /// <summary>The person arrived at <paramref name="at"/>: a day already judged absenteeism becomes an absence day.</summary>
    public async Task Arrived(int technicianId, DateTimeOffset at, CancellationToken ct)
    {
        var branch = await db.Technicians.AsNoTracking().Where(t => t.Id == technicianId).Select(t => (int?)t.BranchId).FirstOrDefaultAsync(ct);
        if (branch is null) return;
        var zone = await zones.For(branch.Value, ct);
        var day = BranchTime.Today(at, zone);
        if (!await db.AttendanceJudgements.AnyAsync(j => j.TechnicianId == technicianId && j.Day == day && j.Status == "absenteeism", ct)) return;
        var time = BranchTime.Local(at, zone).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        await Days(technicianId, day, day, "system", Msg.Of("Arrived at {0}, after the cut-off: an absence day (ATT-04), not absenteeism.", time), at, ct);
    }

    /// <summary>The judged days from <paramref name="from"/> to <paramref name="to"/> are not absenteeism, for <paramref name="why"/>.</summary>
    public async Task Days(int technicianId, DateOnly from, DateOnly to, string by, Msg why, DateTimeOffset now, CancellationToken ct)
    {
        var judged = db.AttendanceJudgements.Where(j => j.TechnicianId == technicianId && j.Day >= from && j.Day <= to);
        var note = ProposePenaltyCase.Note(why);
        var fines = await judged.Where(j => j.PenaltyCaseId != null).Select(j => j.PenaltyCase!)
            .Where(c => c.State == PenaltyState.Proposed).AsTracking().ToListAsync(ct);
        foreach (var c in fines) c.Dismiss(by, note, now);
        // The run of consecutive days that opened a review on one of these days is broken.
        var person = await db.Technicians.AsNoTracking().Where(t => t.Id == technicianId).Select(t => t.UserId).FirstAsync(ct);
        var runs = await db.PenaltyCases.AsTracking().Where(c => c.PersonUserId == person && c.PenaltyKey == "consecutiveAbsenteeism"
            && c.OccurredOn >= from && c.OccurredOn <= to && c.State == PenaltyState.Proposed).ToListAsync(ct);
        if (runs.Count == 0) return;
        foreach (var c in runs) c.Dismiss(by, note, now);
        var ids = runs.Select(c => (long?)c.Id).ToList();
        foreach (var review in await db.DismissalReviews.AsTracking().Where(r => ids.Contains(r.PenaltyCaseId) && r.State == ReviewState.Open).ToListAsync(ct))
            review.Withdraw(by, note, now);
    }
}
