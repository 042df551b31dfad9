using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Attendance;

/// <param name="TechnicianId">Whose arrival the office records; a technician checking in on their own phone leaves it out.</param>
public sealed record OfficeCheckInRequest(int? TechnicianId);

public sealed record MoneyDueDto(long WorkOrderId, string Code, decimal Amount, DateTimeOffset DueAt);

public sealed record OfficeCheckInDto(long Id, int BranchId, int TechnicianId, int TechnicianUserId, DateTimeOffset At, string RecordedBy, IReadOnlyList<MoneyDueDto> MoneyDue);

/// <summary>
/// A technician checks in at the office (from the phone, or the front desk records it). Under ccec (FEE-07) the money
/// of every finished order not yet handed in falls due at this moment: the answer lists it, so finance knows what to take.
/// </summary>
public sealed class RecordOfficeCheckIn(AppDbContext db, SlaEngine sla, BranchZones zones, TimeProvider clock, People.ExcuseJudgedDays judged)
{
    public static readonly string[] Office = [Roles.InfoClerk, Roles.Dispatcher, Roles.Finance, Roles.Manager, Roles.Admin];

    public async Task<OfficeCheckInDto> Handle(CurrentUser user, OfficeCheckInRequest r, CancellationToken ct)
    {
        user.RequireAny("record office check-ins", [Roles.Technician, .. Office]);
        Technicians.Technician? tech;
        if (r.TechnicianId is null || !user.IsAny(Office))
        {
            tech = await db.Technicians.AsNoTracking().FirstOrDefaultAsync(t => t.UserId == user.UserId, ct);
            if (tech is null) throw ValidationFailedException.For("technicianId", "{0} is required: you are not a technician.");
            if (r.TechnicianId is { } other && other != tech.Id) throw new ForbiddenException("A technician records only their own office check-in.");
        }
        else
        {
            tech = await db.Technicians.AsNoTracking().FirstOrDefaultAsync(t => t.Id == r.TechnicianId, ct);
            if (tech is null || !user.CanSeeBranch(tech.BranchId)) throw ValidationFailedException.For("technicianId", "Technician {1} does not exist.", r.TechnicianId);
        }

        var now = clock.GetUtcNow();
        var checkIn = new OfficeCheckIn { BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, At = now, RecordedBy = user.UserName };
        db.Add(checkIn);
        var due = await sla.OfficeCheckIn(tech.UserId, now, ct);
        // Arriving after the cut-off that judged the day absenteeism makes it an absence day (ATT-04): no 旷工 fine.
        await judged.Arrived(tech.Id, now, ct);
        await db.SaveChangesAsync(ct);

        var orderIds = due.Select(c => c.WorkOrderId!.Value).ToList();
        var orders = await db.WorkOrders.AsNoTracking().Where(o => orderIds.Contains(o.Id))
            .Select(o => new { o.Id, o.Code, Amount = o.Charges.Sum(c => c.Amount) }).ToDictionaryAsync(o => o.Id, ct);
        var zone = await zones.For(tech.BranchId, ct);
        return new OfficeCheckInDto(checkIn.Id, checkIn.BranchId, tech.Id, tech.UserId, BranchTime.Local(now, zone), checkIn.RecordedBy,
            due.Select(c => new MoneyDueDto(c.WorkOrderId!.Value, orders[c.WorkOrderId.Value].Code, orders[c.WorkOrderId.Value].Amount, BranchTime.Local(c.DueAt!.Value, zone))).ToList());
    }

    /// <summary>A branch's check-ins between two times (attendance evidence); a technician reads only their own.</summary>
    public async Task<Page<OfficeCheckInDto>> List(CurrentUser user, int? technicianId, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize, CancellationToken ct)
    {
        var (skip, take) = Paging.Check(page, pageSize);
        user.RequireAny("read office check-ins", [Roles.Technician, .. Office]);
        var query = db.Set<OfficeCheckIn>().AsNoTracking();
        if (user.IsOnlyTechnician) query = query.Where(c => c.TechnicianUserId == user.UserId);
        else if (!user.IsHeadOffice) query = query.Where(c => c.BranchId == user.BranchId);
        if (technicianId is { } t) query = query.Where(c => c.TechnicianId == t);
        if (from is { } f) query = query.Where(c => c.At >= f.ToUniversalTime());
        if (to is { } u) query = query.Where(c => c.At < u.ToUniversalTime());
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(c => c.Id).Skip(skip).Take(take).ToListAsync(ct);
        var result = new List<OfficeCheckInDto>(items.Count);
        foreach (var c in items)
            result.Add(new OfficeCheckInDto(c.Id, c.BranchId, c.TechnicianId, c.TechnicianUserId, BranchTime.Local(c.At, await zones.For(c.BranchId, ct)), c.RecordedBy, []));
        return new Page<OfficeCheckInDto>(result, total);
    }
}
