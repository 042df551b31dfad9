using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record TransferRequest(int? TechnicianId, string? Reason, int? Version);

/// <summary>Moves an order to another technician, with a reason; only the dispatcher side may (DSP-11).</summary>
public sealed class TransferWorkOrder(WorkOrderAccess access, AssignableTechnician assignable, Infrastructure.Data.AppDbContext db)
{
    public static readonly string[] AllowedRoles = [Roles.Dispatcher, Roles.Manager];

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, TransferRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("transfer", AllowedRoles);
        new Validator().RequiredText(r.Reason, 500, "reason").ThrowIfInvalid();
        return access.Run(user, id, "transfer", AllowedRoles, r.Version, ifMatch, async (order, actor, now) =>
        {
            if (!order.IsOpen || order.Status is WorkOrderStatus.New or WorkOrderStatus.InProgress)
                throw new IllegalTransitionException(order.Status, "transfer");
            var tech = await assignable.Check(order, r.TechnicianId, byManager: actor.Role == Roles.Manager, ct);
            order.Transfer(tech.Id, r.Reason!.Trim(), actor, now);
            SmsDispatchOrder.Queue(db, order, tech, now);
        }, ct);
    }
}
