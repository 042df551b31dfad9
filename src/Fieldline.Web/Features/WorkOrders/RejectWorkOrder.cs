using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record ReasonRequest(string? Reason, int? Version);

/// <summary>The technician declines a dispatch with a reason; the order goes back to the dispatcher's queue.</summary>
public sealed class RejectWorkOrder(TechnicianActions actions)
{
    public Task<WorkOrderDto> Handle(CurrentUser user, long id, ReasonRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("reject", TechnicianActions.AllowedRoles);
        new Validator().RequiredText(r.Reason, 500, "reason").ThrowIfInvalid();
        return actions.Run(user, id, "reject", r.Version, ifMatch, (order, actor, now) => order.Reject(r.Reason!.Trim(), actor, now), ct);
    }
}
