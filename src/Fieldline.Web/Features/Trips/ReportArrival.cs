using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Trips;

public sealed record ArrivalReportBody(string? Progress, string? Conditions);

/// <summary>
/// PRJ-21: on arrival at the site the technician first reports to the company the construction progress found there and
/// the natural or human conditions and delays that hold the project up. Where the policy asks for the report
/// (<c>project.arrivalReportRequired</c>) the progress is required. The one who sent the trip and the supervisors are told
/// (<c>tripArrived</c>).
/// </summary>
public sealed class ReportArrival(AppDbContext db, FindTrips trips, PolicyStore policies, TimeProvider clock)
{
    public async Task<TripDto> Handle(CurrentUser user, long id, ArrivalReportBody r, CancellationToken ct)
    {
        var trip = await trips.Own(user, id, ct);
        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        var v = new Validator();
        if (policy.TripArrivalReportRequired) v.Required(r.Progress, "progress");
        v.MaxLength(r.Progress, 1000, "progress").MaxLength(r.Conditions, 1000, "conditions");
        v.ThrowIfInvalid();
        trip.Arrive(FindTrips.Clean(r.Progress), FindTrips.Clean(r.Conditions), now);
        var name = await trips.TravellerName(trip, ct);
        Notify.Queue(db, now, "tripArrived", trip.BranchId, trip.WorkOrderId, Msg.Of("{0} arrived at {1}", name, trip.Destination),
            Msg.Of("Progress on site: {0}. Conditions and delays: {1}.", FindTrips.Clean(r.Progress) ?? "—", FindTrips.Clean(r.Conditions) ?? "—"),
            [trip.SentByUserId], [Roles.Supervisor]);
        await db.SaveChangesAsync(ct);
        return await trips.Dto(trip, ct);
    }
}
