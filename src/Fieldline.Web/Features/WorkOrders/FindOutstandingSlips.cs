using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

/// <param name="DueAt">The slip clock's deadline in the order's branch zone.</param>
public sealed record OutstandingSlipDto(long Id, string Code, string Type, string? TechnicianName, DateTimeOffset? DueAt, bool Overdue);

/// <summary>
/// FEE-03 / PEN-02: the finished orders whose installation card or repair slip has not come back to the office, earliest
/// deadline first — the queue of those who receive slips (the same roles as <see cref="RecordHandIns.SlipHandedIn"/>).
/// Read from the running slip clocks (the clocks' state-and-due index), limited to the orders the caller may see.
/// </summary>
public sealed class FindOutstandingSlips(AppDbContext db, WorkOrderAccess access, BranchZones zones, TimeProvider clock)
{
    public const int Limit = 200;

    public async Task<IReadOnlyList<OutstandingSlipDto>> Handle(CurrentUser user, CancellationToken ct)
    {
        user.RequireAny("see the slips not handed in", RecordHandIns.SlipReceivers);
        var rows = await (from c in db.SlaClocks.AsNoTracking()
                          where (c.State == ClockState.Running || c.State == ClockState.Paused) && c.Name == Clocks.SlipHandIn && c.WorkOrderId != null
                          join o in access.Visible(user) on c.WorkOrderId equals (long?)o.Id
                          orderby c.DueAt, o.Id
                          select new { o.Id, o.Code, o.Type, o.BranchId, o.TechnicianId, c.DueAt })
            .Take(Limit).ToListAsync(ct);
        var techIds = rows.Where(r => r.TechnicianId != null).Select(r => r.TechnicianId!.Value).Distinct().ToList();
        var names = await db.Technicians.AsNoTracking().Where(t => techIds.Contains(t.Id)).Select(t => new { t.Id, t.User!.DisplayName })
            .ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);
        var zoneOf = new Dictionary<int, TimeZoneInfo>();
        foreach (var branch in rows.Select(r => r.BranchId).Distinct()) zoneOf[branch] = await zones.For(branch, ct);
        var now = clock.GetUtcNow();
        return rows.Select(r => new OutstandingSlipDto(r.Id, r.Code, Infrastructure.Http.JsonNames.Of(r.Type),
            r.TechnicianId is { } t ? names.GetValueOrDefault(t) : null,
            r.DueAt is { } due ? TimeZoneInfo.ConvertTime(due, zoneOf[r.BranchId]) : null, r.DueAt <= now)).ToList();
    }
}
