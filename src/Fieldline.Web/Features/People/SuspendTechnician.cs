using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

public sealed record SuspensionBody(int? TechnicianId, DateOnly? From, DateOnly? To, string? Reason);

public sealed record SuspensionDto(long Id, int BranchId, int TechnicianId, string TechnicianName, DateOnly From, DateOnly To, string Reason,
    string? RuleId, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>
/// Suspends a technician from work (停工) for whole days: a manager's decision (<see cref="Handle"/>), or a confirmed
/// fine whose ladder step suspends (<see cref="FromRule"/>, SC-34: refused on 04-02, no dispatch 04-03 to 04-05).
/// The one eligibility rule keeps them out of dispatch on those days; they return by themselves when it ends.
/// </summary>
public sealed class SuspendTechnician(AppDbContext db, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Deciders = [Roles.Manager, Roles.Admin];

    public async Task<SuspensionDto> Handle(CurrentUser user, SuspensionBody r, CancellationToken ct)
    {
        user.RequireAny("suspend a technician", Deciders);
        var v = new Validator();
        if (r.TechnicianId is null) v.Add("technicianId", "{0} is required.");
        if (r.From is null) v.Add("from", "{0} is required.");
        if (r.To is null) v.Add("to", "{0} is required.");
        else if (r.From is { } f && r.To < f) v.Add("to", "{0} cannot be before the first day.");
        else if (r.From is { } f2 && r.To.Value.DayNumber - f2.DayNumber >= 366) v.Add("to", "A suspension is at most {1} days.", 366);
        v.RequiredText(r.Reason, 500, "reason");
        v.ThrowIfInvalid();
        var tech = await db.Technicians.AsNoTracking().FirstOrDefaultAsync(t => t.Id == r.TechnicianId, ct);
        if (tech is null || !user.CanSeeBranch(tech.BranchId)) throw ValidationFailedException.For("technicianId", "Technician {1} does not exist.", r.TechnicianId);
        var now = clock.GetUtcNow();
        // Days already suspended are not suspended twice (a resend, a second manager): like leave, no overlap.
        await db.SerializeAsync("technicianDiscipline", tech.Id, ct);
        if (await db.Set<Suspension>().AsNoTracking().Where(s => s.TechnicianId == tech.Id && s.From <= r.To && s.To >= r.From)
            .OrderBy(s => s.From).FirstOrDefaultAsync(ct) is { } overlap)
            throw new ConflictException(Msg.Of("{0} is already suspended from {1} to {2}.", Msg.Verbatim(await db.Users.Where(u => u.Id == tech.UserId).Select(u => u.DisplayName).FirstAsync(ct)), Day(overlap.From), Day(overlap.To)),
                Msg.Of("Already suspended"));
        var suspension = new Suspension
        {
            BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, From = r.From!.Value, To = r.To!.Value,
            Reason = r.Reason!.Trim(), RecordedBy = user.UserName, RecordedAt = now,
        };
        Add(suspension, now);
        await db.SaveChangesAsync(ct);
        return await Dto(suspension, ct);
    }

    /// <summary>
    /// A rule's suspension of <paramref name="days"/> days, from the day after the offence; added to the unit of work, not
    /// saved (the confirming use case saves once). None for a person without a technician profile.
    /// </summary>
    public async Task<Suspension?> FromRule(int personUserId, DateOnly offenceDay, int days, string penaltyKey, string ruleId, string by, DateTimeOffset now, CancellationToken ct)
    {
        var tech = await db.Technicians.AsNoTracking().FirstOrDefaultAsync(t => t.UserId == personUserId, ct);
        if (tech is null || days <= 0) return null;
        var suspension = new Suspension
        {
            BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, From = offenceDay.AddDays(1), To = offenceDay.AddDays(days),
            PenaltyKey = penaltyKey, RuleId = ruleId, RecordedBy = by, RecordedAt = now,
        };
        Add(suspension, now);
        return suspension;
    }

    private void Add(Suspension s, DateTimeOffset now)
    {
        db.Add(s);
        Notify.Queue(db, now, "suspension", s.BranchId, null, Msg.Of("Suspended from work"),
            Msg.Of("Suspended {0}–{1}: {2}.", Day(s.From), Day(s.To), s.Why), [s.TechnicianUserId], [Roles.Dispatcher, Roles.Supervisor]);
    }

    public async Task<Page<SuspensionDto>> List(CurrentUser user, int? technicianId, DateOnly? from, DateOnly? to, int? page, int? pageSize, CancellationToken ct)
    {
        user.RequireAny("read suspensions", [Roles.Technician, .. Roles.Office]);
        var (skip, take) = Paging.Check(page, pageSize);
        var query = db.Set<Suspension>().AsNoTracking();
        if (user.IsOnlyTechnician) query = query.Where(s => s.TechnicianUserId == user.UserId);
        else if (!user.IsHeadOffice) query = query.Where(s => s.BranchId == user.BranchId);
        if (technicianId is { } t) query = query.Where(s => s.TechnicianId == t);
        if (from is { } f) query = query.Where(s => s.To >= f);
        if (to is { } u) query = query.Where(s => s.From <= u);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(s => s.Id).Skip(skip).Take(take).ToListAsync(ct);
        var result = new List<SuspensionDto>(items.Count);
        foreach (var s in items) result.Add(await Dto(s, ct));
        return new Page<SuspensionDto>(result, total);
    }

    private async Task<SuspensionDto> Dto(Suspension s, CancellationToken ct)
    {
        var zone = await zones.For(s.BranchId, ct);
        var name = await db.Technicians.AsNoTracking().Where(t => t.Id == s.TechnicianId).Select(t => t.User!.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        return new SuspensionDto(s.Id, s.BranchId, s.TechnicianId, name, s.From, s.To, s.Why.Render(), s.RuleId, s.RecordedBy, BranchTime.Local(s.RecordedAt, zone));
    }

    private static string Day(DateOnly d) => d.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
