using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Sla;

public sealed record CalendarDto(int BranchId, string WorkStart, string WorkEnd, string? LunchStart, string? LunchEnd, IReadOnlyList<int> WorkingDays,
    IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> ExtraWorkingDays, int Version)
{
    public static CalendarDto From(BranchCalendar c) => new(c.BranchId, c.WorkStart.ToString("HH:mm"), c.WorkEnd.ToString("HH:mm"),
        c.LunchStart?.ToString("HH:mm"), c.LunchEnd?.ToString("HH:mm"), c.WorkingDays, c.Holidays.Order().ToList(), c.ExtraWorkingDays.Order().ToList(), c.Version);
}

public sealed record CalendarRequest(string? WorkStart, string? WorkEnd, string? LunchStart, string? LunchEnd, List<int>? WorkingDays,
    List<DateOnly>? Holidays, List<DateOnly>? ExtraWorkingDays, int? Version);

/// <summary>A branch's working calendar (hours, lunch, working days 1=Mon…7=Sun, holidays, make-up days). Managers edit it.</summary>
public sealed class ManageCalendars(AppDbContext db, SlaCalendars calendars)
{
    public async Task<CalendarDto> Get(CurrentUser user, int branchId, CancellationToken ct)
    {
        if (!user.CanSeeBranch(branchId) || !await db.Branches.AnyAsync(b => b.Id == branchId, ct)) throw new NotFoundException("Branch", branchId);
        return CalendarDto.From(await db.BranchCalendars.AsNoTracking().FirstOrDefaultAsync(c => c.BranchId == branchId, ct) ?? new BranchCalendar { BranchId = branchId });
    }

    public async Task<CalendarDto> Put(CurrentUser user, int branchId, CalendarRequest r, CancellationToken ct)
    {
        user.RequireAny("change the branch calendar", Roles.Manager, Roles.Admin);
        if (!user.CanSeeBranch(branchId) || !await db.Branches.AnyAsync(b => b.Id == branchId, ct)) throw new NotFoundException("Branch", branchId);
        var v = new Validator();
        TimeOnly? Time(string? s, string field, bool required)
        {
            if (string.IsNullOrEmpty(s)) { if (required) v.Add(field, "{0} is required (HH:mm)."); return null; }
            if (TimeOnly.TryParseExact(s, "HH:mm", out var t)) return t;
            v.Add(field, "{0} must be HH:mm."); return null;
        }
        var start = Time(r.WorkStart, "workStart", true);
        var end = Time(r.WorkEnd, "workEnd", true);
        var lunchStart = Time(r.LunchStart, "lunchStart", false);
        var lunchEnd = Time(r.LunchEnd, "lunchEnd", false);
        if (start >= end) v.Add("workEnd", "{0} must be after {1}.", Msg.Field("workStart"));
        if (lunchStart is null != lunchEnd is null) v.Add("lunchEnd", "Give both {1} and {0}, or neither.", Msg.Field("lunchStart"));
        if (lunchStart is { } ls && lunchEnd is { } le && (ls >= le || ls <= start || le >= end)) v.Add("lunchStart", "The lunch break must lie inside working hours.");
        if (r.WorkingDays is null || r.WorkingDays.Count == 0 || r.WorkingDays.Any(d => d is < 1 or > 7)) v.Add("workingDays", "{0} lists days 1 (Monday) to 7 (Sunday).");
        if ((r.Holidays?.Count ?? 0) + (r.ExtraWorkingDays?.Count ?? 0) > 400) v.Add("holidays", "At most 400 dates.");
        v.ThrowIfInvalid();
        // A branch without a row shows the default calendar at version 0; the first write is checked against that like any
        // other and stores version 1, so a second writer who also read version 0 gets 409 instead of overwriting it.
        var cal = await db.BranchCalendars.FirstOrDefaultAsync(c => c.BranchId == branchId, ct);
        var first = cal is null;
        Concurrency.Check("Calendar", cal?.Version ?? 0, r.Version, null);
        if (cal is null) db.BranchCalendars.Add(cal = new BranchCalendar { BranchId = branchId, Version = 1 });
        (cal.WorkStart, cal.WorkEnd, cal.LunchStart, cal.LunchEnd) = (start!.Value, end!.Value, lunchStart, lunchEnd);
        cal.WorkingDays = r.WorkingDays!.Distinct().Order().ToList();
        cal.Holidays = (r.Holidays ?? []).Distinct().ToList();
        cal.ExtraWorkingDays = (r.ExtraWorkingDays ?? []).Distinct().ToList();
        try { await db.SaveChangesAsync(ct); }
        // A caller who sent no version sent nothing stale: the request is run again (IdempotencyMiddleware) over the first write.
        catch (DbUpdateException e) when (first && r.Version is not null && DbErrors.IsUniqueViolation(e, "BranchCalendars"))
        {
            throw ConflictException.StaleVersion(Msg.Of("Calendar"), r.Version ?? 0, 1); // another first write won the race
        }
        db.AfterCommit(() => calendars.Changed(branchId));
        return CalendarDto.From(cal);
    }
}
