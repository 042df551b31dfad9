using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Features.Trips;

public sealed record TripReportBody(string? Report);

/// <summary>
/// PRJ-27/28: back from the trip, the technician hands in the trip report (出差报告): the daily log with its suggestions
/// and, where the policy asks for the report (<c>reporting.tripReportRequired</c>), their summary. Under a daily log
/// (<c>reporting.dailyWorkLog</c>) a trip without a single entry is a 409; days without one are shown to the supervisor.
/// The supervisors are told (<c>tripReturned</c>): they set the rest next (ATT-20).
/// </summary>
public sealed class HandInTripReport(AppDbContext db, FindTrips trips, PolicyStore policies, TimeProvider clock)
{
    public async Task<TripDto> Handle(CurrentUser user, long id, TripReportBody r, CancellationToken ct)
    {
        var trip = await trips.Own(user, id, ct);
        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        var v = new Validator();
        if (policy.TripReportRequired) v.Required(r.Report, "report");
        v.MaxLength(r.Report, 2000, "report").ThrowIfInvalid();
        if (policy.TripDailyLog && trip.Status == TripStatus.OnSite && trip.Logs.Count == 0)
            throw new ConflictException(Msg.Of("The trip report is the daily work log: record at least one day's work first (PRJ-27)."));
        trip.Return(FindTrips.Clean(r.Report), now);
        var name = await trips.TravellerName(trip, ct);
        Notify.Queue(db, now, "tripReturned", trip.BranchId, trip.WorkOrderId, Msg.Of("{0} is back from {1}: trip report handed in", name, trip.Destination),
            Msg.Of("Read the trip report and set the rest period (ATT-20)."), [trip.SentByUserId], [Roles.Supervisor]);
        await db.SaveChangesAsync(ct);
        return await trips.Dto(trip, ct);
    }
}
