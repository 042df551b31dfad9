using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

/// <summary>
/// FEE-12 / PRT-04: the cost of catalogue parts a technician used on out-of-warranty repairs is paid with the order's money.
/// Until that money is handed in to finance (the order's remittance; a customer's QR payment goes to the company at once)
/// the parts' unit cost (as used) × quantity is owed; while it is above the policy's limit (<c>parts.partsCostOwedLimitCNY</c>,
/// 0 by default) and the policy blocks requisitions, the technician may not draw new parts: a 409 naming the amount.
/// </summary>
public sealed class PartsCostOwed(AppDbContext db, PolicyStore policies, TimeProvider clock)
{
    public async Task<decimal> Of(int technicianId, CancellationToken ct)
    {
        var unpaid = db.WorkOrders.AsNoTracking()
            .Where(o => o.TechnicianId == technicianId && !o.InWarranty && o.RemittedAmount == null && o.PaymentMethod != PaymentMethod.Qr && o.Charges.Any()
                && (o.Status == WorkOrderStatus.Completed || o.Status == WorkOrderStatus.Visited || o.Status == WorkOrderStatus.Closed))
            .Select(o => o.Id);
        // The parts that left the van on those orders, at the cost they were used at (the catalogue's, for lines written before it was kept).
        var used = await db.StockMovements.AsNoTracking()
            .Where(m => m.Kind == StockMovementKind.Use && m.WorkOrderId != null && unpaid.Contains(m.WorkOrderId.Value))
            .Join(db.Parts, m => m.PartId, p => p.Id, (m, p) => new { m.Quantity, Cost = m.UnitCost ?? p.UnitCost })
            .ToListAsync(ct);
        return used.Sum(u => u.Cost * -u.Quantity);
    }

    /// <summary>Refuses a requisition while the technician owes more than the policy allows.</summary>
    public async Task Check(int technicianId, CancellationToken ct)
    {
        var policy = await policies.InForce(db, clock.GetUtcNow(), ct);
        if (!policy.RequisitionBlockedWhilePartsCostUnpaid) return;
        var owed = await Of(technicianId, ct);
        if (owed > policy.PartsCostOwedLimit)
            throw new ConflictException(Msg.Of("The technician owes {0} of out-of-warranty parts cost (limit {1}): hand in the money of those repairs before drawing new parts (FEE-12).",
                Format.Money(owed), Format.Money(policy.PartsCostOwedLimit)));
    }
}
