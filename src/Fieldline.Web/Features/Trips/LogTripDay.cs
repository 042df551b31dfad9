using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Trips;

/// <param name="Day">The day the entry is for (branch time); today when not given. Not in the future, not before the arrival.</param>
public sealed record TripLogBody(DateOnly? Day, string? Work, string? Suggestion);

/// <summary>
/// PRJ-27: on site, the technician records each day's work and any improvement suggestion; one entry per day (a second
/// for the same day is a 409). The entries become the trip report; a suggestion the company adopts is rewarded (RWD-08).
/// </summary>
public sealed class LogTripDay(AppDbContext db, FindTrips trips, BranchZones zones, TimeProvider clock)
{
    public async Task<TripDto> Handle(CurrentUser user, long id, TripLogBody r, CancellationToken ct)
    {
        var trip = await trips.Own(user, id, ct);
        new Validator().RequiredText(r.Work, 1000, "work").MaxLength(r.Suggestion, 1000, "suggestion").ThrowIfInvalid();
        var now = clock.GetUtcNow();
        var zone = await zones.For(trip.BranchId, ct);
        var today = BranchTime.Today(now, zone);
        var arrival = trip.ArrivedAt is { } at ? BranchTime.Today(at, zone) : today;
        trip.Log(r.Day ?? today, r.Work!.Trim(), FindTrips.Clean(r.Suggestion), arrival, today, now);
        await db.SaveChangesAsync(ct);
        return await trips.Dto(trip, ct);
    }
}
