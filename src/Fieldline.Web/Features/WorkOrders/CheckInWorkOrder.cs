using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record CheckInRequest(GeoPoint? Location, int? Version);

/// <summary>
/// The technician arrives on site; the phone's location is the evidence (ONS-22). A check-in farther than the policy's
/// radius from the customer's location is flagged for the supervisor, not refused: the customer may have moved.
/// </summary>
public sealed class CheckInWorkOrder(TechnicianActions actions, AppDbContext db, PolicyStore policies, Quality.CheckOnSite checks, People.ExcuseJudgedDays judged)
{
    public Task<WorkOrderDto> Handle(CurrentUser user, long id, CheckInRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("check in", TechnicianActions.AllowedRoles);
        var v = new Validator();
        GeoPoint.Validate(v, r.Location, "location", required: true);
        v.ThrowIfInvalid();
        var (lat, lng) = (r.Location!.Lat!.Value, r.Location.Lng!.Value);
        return actions.Run(user, id, "check in to", r.Version, ifMatch, async (order, actor, now) =>
        {
            order.CheckIn(lat, lng, actor, now);
            checks.CheckIn(order, await policies.ById(db, order.PolicyVersionId, ct), lat, lng, actor, now);
            // A field technician's first job check-in is their arrival (ATT-15): after the cut-off, an absence day, not 旷工.
            if (order.TechnicianId is { } tech) await judged.Arrived(tech, now, ct);
        }, ct);
    }
}
