using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record CheckInRequest(GeoPoint? Location, int? Version);

/// <summary>The technician arrives on site; the phone's location is the evidence (ONS-22).</summary>
public sealed class CheckInWorkOrder(TechnicianActions actions)
{
    public Task<WorkOrderDto> Handle(CurrentUser user, long id, CheckInRequest r, int? ifMatch, CancellationToken ct)
    {
        user.RequireAny("check in", TechnicianActions.AllowedRoles);
        var v = new Validator();
        GeoPoint.Validate(v, r.Location, "location", required: true);
        v.ThrowIfInvalid();
        return actions.Run(user, id, "check in to", r.Version, ifMatch, (order, actor, now) => order.CheckIn(r.Location!.Lat!.Value, r.Location.Lng!.Value, actor, now), ct);
    }
}
