using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>No fault found on site (空单, RWD-03).</summary>
public sealed class RecordEmptyTrip(TechnicianActions actions)
{
    public Task<WorkOrderDto> Handle(CurrentUser user, long id, ReasonRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record an empty trip", TechnicianActions.AllowedRoles);
        new Validator().RequiredText(r.Reason, 500, "reason").ThrowIfInvalid();
        return actions.Run(user, id, "record an empty trip for", r.Version, ifMatch, (order, actor, now) => order.RecordEmptyTrip(r.Reason!.Trim(), actor, now), ct);
    }
}
