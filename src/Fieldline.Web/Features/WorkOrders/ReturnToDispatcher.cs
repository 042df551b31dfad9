using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record ReturnToDispatcherRequest(string? Reason, DateOnly? ResumeOn, int? Version);

/// <summary>
/// The installer hands back an installation the customer postponed (CMP-07, SC-13): the order waits with the dispatcher,
/// its clocks stop, and the next dispatch starts new ones. Repairs are postponed by <see cref="RescheduleWorkOrder"/>.
/// </summary>
public sealed class ReturnToDispatcher(TechnicianActions actions)
{
    public Task<WorkOrderDto> Handle(CurrentUser user, long id, ReturnToDispatcherRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("return an order to the dispatcher", TechnicianActions.AllowedRoles);
        new Validator().RequiredText(r.Reason, 500, "reason").ThrowIfInvalid();
        return actions.Run(user, id, "return to the dispatcher", r.Version, ifMatch, (order, actor, now) =>
        {
            if (order.Type != WorkOrderType.Install)
                throw ValidationFailedException.For("type", "Only an installation the customer postponed goes back to the dispatcher (CMP-07); reschedule a repair with the customer's consent.");
            order.ReturnToDispatcher(r.Reason!.Trim(), r.ResumeOn, actor, now);
        }, ct);
    }
}
