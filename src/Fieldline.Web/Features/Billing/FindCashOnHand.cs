using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Billing;

/// <summary>One order whose cash the technician still holds: what was collected, when the hand-in is due, whether it is declared.</summary>
public sealed record CashOrderDto(long WorkOrderId, string Code, decimal Amount, DateTimeOffset? CompletedAt, DateTimeOffset? DueAt, bool Overdue, long? DeclaredIn);

/// <summary>
/// A technician's money (SC-24): <c>collected</c> in cash on their finished orders, <c>handedIn</c> to finance, and
/// <c>onHand</c> = collected − handed in, which is also the sum of the orders still held (<c>orders</c>). <c>declared</c>
/// is the part of it waiting for finance to confirm; <c>overdue</c> the part past its hand-in time (FEE-05).
/// </summary>
public sealed record CashOnHandDto(int TechnicianId, int UserId, string Name, decimal Collected, decimal HandedIn, decimal OnHand, decimal Declared, decimal Overdue,
    IReadOnlyList<CashOrderDto> Orders);

/// <summary>
/// Cash on hand per technician, derived from the orders every time (never a stored balance, so it cannot drift): finance
/// and managers see their branch's technicians, a technician only themselves. Money paid by the customer's QR went to the
/// company and is never on hand.
/// </summary>
public sealed class FindCashOnHand(AppDbContext db, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Office = [Roles.Finance, Roles.Manager, Roles.Supervisor, Roles.Admin];

    public async Task<IReadOnlyList<CashOnHandDto>> Handle(CurrentUser user, int? technicianId, CancellationToken ct)
    {
        user.RequireAny("read cash on hand", [.. Office, Roles.Technician]);
        var technicians = db.Technicians.AsNoTracking().AsQueryable();
        if (!user.IsAny(Office)) technicians = technicians.Where(t => t.UserId == user.UserId);
        else if (!user.IsHeadOffice) technicians = technicians.Where(t => t.BranchId == user.BranchId);
        if (technicianId is { } only) technicians = technicians.Where(t => t.Id == only);
        var people = await technicians.Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { t.Id, t.UserId, t.BranchId, u.DisplayName }).OrderBy(t => t.Id).ToListAsync(ct);
        if (technicianId is { } wanted && people.Count == 0) throw new NotFoundException("Technician", wanted);
        return await For(people.Select(p => (p.Id, p.UserId, p.DisplayName)).ToList(), people.FirstOrDefault()?.BranchId ?? user.BranchId, ct);
    }

    internal async Task<IReadOnlyList<CashOnHandDto>> For(IReadOnlyList<(int Id, int UserId, string Name)> people, int branchId, CancellationToken ct)
    {
        var ids = people.Select(p => p.Id).ToList();
        var now = clock.GetUtcNow();
        var zone = await zones.For(branchId, ct);
        // Amounts are summed here, not in SQL: SQLite cannot sum decimals, and a technician has few charged orders.
        var orders = await db.WorkOrders.AsNoTracking()
            .Where(o => o.TechnicianId != null && ids.Contains(o.TechnicianId.Value) && o.Charges.Any() && o.PaymentMethod != PaymentMethod.Qr
                && (o.Status == WorkOrderStatus.Completed || o.Status == WorkOrderStatus.Visited || o.Status == WorkOrderStatus.Closed))
            .Select(o => new { o.Id, o.Code, TechnicianId = o.TechnicianId!.Value, o.CompletedAt, o.RemittedAmount, Amounts = o.Charges.Select(c => c.Amount).ToList() })
            .ToListAsync(ct);
        var held = orders.Where(o => o.RemittedAmount is null).Select(o => o.Id).ToList();
        var due = await db.SlaClocks.AsNoTracking().Where(c => c.Name == Clocks.MoneyHandIn && c.WorkOrderId != null && held.Contains(c.WorkOrderId.Value))
            .Select(c => new { WorkOrderId = c.WorkOrderId!.Value, c.DueAt }).ToListAsync(ct);
        var dueAt = due.GroupBy(c => c.WorkOrderId).ToDictionary(g => g.Key, g => g.Max(c => c.DueAt));
        var declared = await db.CashHandIns.AsNoTracking().Where(h => ids.Contains(h.TechnicianId) && h.State == HandInState.Declared).ToListAsync(ct);
        var declaredIn = declared.SelectMany(h => h.WorkOrderIds.Select(w => (w, h.Id))).GroupBy(x => x.w).ToDictionary(g => g.Key, g => g.Min(x => x.Id)); // one per order (a database from before DeclareHandIn's version check may hold two)
        return people.Select(p =>
        {
            var mine = orders.Where(o => o.TechnicianId == p.Id).Select(o => new { o, Amount = o.Amounts.Sum() }).Where(x => x.Amount > 0).ToList();
            var collected = mine.Sum(x => x.Amount);
            var handedIn = mine.Sum(x => x.o.RemittedAmount ?? 0m);
            var open = mine.Where(x => x.o.RemittedAmount is null).Select(x =>
            {
                var at = dueAt.GetValueOrDefault(x.o.Id);
                return new CashOrderDto(x.o.Id, x.o.Code, x.Amount, BranchTime.Local(x.o.CompletedAt, zone), BranchTime.Local(at, zone), at is { } d && d <= now,
                    declaredIn.TryGetValue(x.o.Id, out var h) ? h : null);
            }).OrderBy(x => x.CompletedAt).ToList();
            return new CashOnHandDto(p.Id, p.UserId, p.Name, collected, handedIn, collected - handedIn,
                open.Where(o => o.DeclaredIn is not null).Sum(o => o.Amount), open.Where(o => o.Overdue).Sum(o => o.Amount), open);
        }).ToList();
    }
}
