using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record DeclineTransferBody(string? Reason, int? Version);

/// <summary>
/// DSP-11: the dispatcher says no to a technician's transfer request, with the reason; the order stays with the technician,
/// who is told on the phone. (Saying yes is the transfer itself, to the colleague asked for.)
/// </summary>
public sealed class DeclineTransferRequest(WorkOrderAccess access, AppDbContext db)
{
    public Task<WorkOrderDto> Handle(CurrentUser user, long id, DeclineTransferBody r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("decline a transfer request", TransferWorkOrder.AllowedRoles);
        new Validator().RequiredText(r.Reason, 500, "reason").ThrowIfInvalid();
        return access.Run(user, id, "decline a transfer request of", TransferWorkOrder.AllowedRoles, r.Version, ifMatch, async (order, actor, now) =>
        {
            order.DeclineTransfer(r.Reason!.Trim(), actor, now);
            var technician = await db.Technicians.AsNoTracking().Where(t => t.Id == order.TechnicianId).Select(t => (int?)t.UserId).FirstOrDefaultAsync(ct);
            Notify.Queue(db, now, "transferDeclined", order.BranchId, order.Id, Msg.Of("{0}: transfer request declined", order.Code),
                Msg.Of("{0} declined the transfer: {1}", actor.Name, r.Reason!.Trim()), [technician], []);
        }, ct);
    }
}
