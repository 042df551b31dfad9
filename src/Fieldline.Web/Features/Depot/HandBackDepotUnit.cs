using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Depot;

/// <summary>
/// The repaired unit reaches the customer (SC-27, SHOP-02, RV-01): the return visit is due
/// <c>returnVisit.afterCustomerReceiptWithinMinutes</c> (3 days) later. A unit that came from a work order puts that order in
/// the return-visit queue with this due time (a return-visit clock, rule SHOP-02).
/// </summary>
public sealed class HandBackDepotUnit(AppDbContext db, DepotUnits units, PolicyStore policies, SlaEngine sla, TimeProvider clock)
{
    public async Task<DepotUnitDto> Handle(CurrentUser user, long id, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("hand a unit back to the customer", FindDepot.Staff);
        var unit = await units.ForChange(user, id, ifMatch, ct);
        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        var minutes = policy.ReturnVisitAfterCustomerReceiptMinutes;
        unit.HandBack(now, minutes);
        var order = await db.Set<DepotReceipt>().Where(x => x.Id == unit.ReceiptId).Select(x => x.WorkOrderId).SingleAsync(ct);
        // The order's own queue row carries the visit while the order waits for it; an order visited already (or closed) is out of
        // that queue, so the unit is visited by itself (FindDueVisits' depot rows) and the order gets no clock it could never stop.
        if (order is { } orderId && !await db.WorkOrders.AnyAsync(o => o.Id == orderId
                && (o.Status == WorkOrders.WorkOrderStatus.Visited || o.Status == WorkOrders.WorkOrderStatus.Closed), ct))
            await sla.StartDepotReturnVisit(orderId, unit.BranchId, minutes, now, ct);
        return await units.Saved(unit, ct);
    }
}
