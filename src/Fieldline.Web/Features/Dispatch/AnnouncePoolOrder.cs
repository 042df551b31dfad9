using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Dispatch;

/// <summary>
/// Tells the branch's technicians about the order pool, so nobody has to keep refreshing 抢单:
/// <list type="bullet">
/// <item>an order released into the pool is one notification (<c>poolOrder</c>, in-app and live) to the technicians of its
/// branch who could take it now — the one eligibility rule, set-based, so a suspended, on-leave, off-duty or unskilled
/// technician is not called to an order the phone would show greyed. It names only what the pool shows before a take:
/// the code, the district and the job — never the customer's name, phone or full address;</item>
/// <item>any change of the pool (released, withdrawn, taken, dispatched from it) is a live <c>poolChanged</c> to every
/// technician of the branch, so open pool screens redraw. Best effort: a missed one costs a refresh, not data.</item>
/// </list>
/// </summary>
public sealed class AnnouncePoolOrder(AppDbContext db, TechnicianEligibility eligibility, BranchZones zones, LiveFeed live)
{
    public const string Kind = "poolOrder", Changed = "poolChanged";

    /// <summary>
    /// Queues the notification in the caller's unit of work (it exists exactly when the release does). A new order has
    /// no id before its save: the message then names it by its code only.
    /// </summary>
    public async Task Queue(WorkOrder order, DateTimeOffset now, CancellationToken ct)
    {
        var technicians = await db.Technicians.Include(t => t.User).Where(t => t.BranchId == order.BranchId).ToListAsync(ct);
        if (technicians.Count == 0) return;
        var zone = await zones.For(order.BranchId, ct);
        var takers = await eligibility.MayTake(technicians, order, BranchTime.Today(now, zone), zone, ct);
        if (takers.Count == 0) return;
        var area = ShowPool.Area(order.Address);
        Notify.Queue(db, now, Kind, order.BranchId, order.Id == 0 ? null : order.Id,
            Msg.Of("New order in the pool: {0}", order.Code),
            Msg.Of("{0} · {1}", area is null ? Msg.Of("District not given") : (object)area, Msg.Code("type", JsonNames.Of(order.Type))),
            takers.Select(t => (int?)t.UserId), []);
    }

    /// <summary>After the save: every technician of the branch redraws an open pool screen, once the change is committed (see <see cref="WorkOrderAccess.Changed"/>).</summary>
    public async Task PoolChanged(WorkOrder order, string action, CancellationToken ct)
    {
        var users = await db.Technicians.Where(t => t.BranchId == order.BranchId).Select(t => t.UserId).ToListAsync(ct);
        var e = new LiveEvent(Changed, order.BranchId, order.Id, order.Code, action, null);
        if (users.Count > 0) db.AfterCommit(() => live.Publish(e, users));
    }
}
