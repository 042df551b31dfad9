using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Trips;

/// <param name="LogId">The daily-log entry whose suggestion the company adopts.</param>
/// <param name="Reward">CNY; the policy's amount when not given (<c>rewards.adoptedSuggestionRewardCNY</c>), required when it names none.</param>
public sealed record AdoptedSuggestion(long? LogId, decimal? Reward);

/// <param name="RestDays">ATT-20: whole days of rest, 0 to 30; required where the policy has the supervisor set it.</param>
/// <param name="RestFrom">The first day of rest; the day after the return (not before today) when not given.</param>
public sealed record ReviewTripBody(int? RestDays, DateOnly? RestFrom, string? Note, IReadOnlyList<AdoptedSuggestion>? Adopted);

/// <summary>
/// ATT-20/PRJ-28: the supervisor reads the returned technician's trip report and sets the rest period — kept as approved
/// leave, so the person is out of dispatch while resting and back to normal duties after — and (RWD-08) adopts
/// suggestions from the daily log, each paid as a bonus line of the pay ledger. The technician is told (<c>tripReviewed</c>).
/// Only a returned trip is reviewed, once: a 409 otherwise.
/// </summary>
public sealed class ReviewTrip(AppDbContext db, FindTrips trips, LeaveDecisions leave, PolicyStore policies, BranchZones zones, TimeProvider clock)
{
    public const int MaxRestDays = 30;

    public async Task<TripDto> Handle(CurrentUser user, long id, ReviewTripBody r, CancellationToken ct)
    {
        user.RequireAny("review a trip report", FindTrips.Reviewers);
        var trip = await trips.Visible(user, id, tracked: true, ct);
        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        var zone = await zones.For(trip.BranchId, ct);
        var today = BranchTime.Today(now, zone);
        var v = new Validator();
        if (r.RestDays is null && policy.PostTripRestBySupervisor) v.Add("restDays", "{0} is required: the supervisor sets the rest after a trip (ATT-20); 0 for none.");
        else if (r.RestDays is < 0 or > MaxRestDays) v.Add("restDays", "{0} must be between {1} and {2}.", 0, MaxRestDays);
        if (r.RestFrom < today) v.Add("restFrom", "{0} cannot be before today ({1}).", RecordHiring.D(today));
        v.MaxLength(r.Note, 500, "note");
        var adopted = new List<(TripLogEntry Entry, decimal Reward)>();
        foreach (var (a, i) in (r.Adopted ?? []).Select((a, i) => (a, i)))
        {
            var entry = trip.Logs.FirstOrDefault(l => l.Id == a.LogId);
            var reward = a.Reward ?? policy.AdoptedSuggestionReward;
            if (entry is null) v.Add($"adopted[{i}].logId", "{0}: '{1}' is not an entry of this trip's log.", a.LogId);
            else if (string.IsNullOrEmpty(entry.Suggestion)) v.Add($"adopted[{i}].logId", "The log of {1} has no suggestion to adopt.", RecordHiring.D(entry.Day));
            else if (adopted.Any(x => x.Entry == entry)) v.Add($"adopted[{i}].logId", "{0}: '{1}' is named twice.", a.LogId);
            if (reward is null) v.Add($"adopted[{i}].reward", "{0} is required: the policy names no reward for an adopted suggestion (RWD-08).");
            else if (reward < 0 || reward > 100_000 || decimal.Round(reward.Value, 2) != reward) v.Add($"adopted[{i}].reward", "{0} must be between 0 and {1}, in yuan and fen.", 100_000);
            if (entry is not null && reward is { } ok && !v.Has($"adopted[{i}].logId") && !v.Has($"adopted[{i}].reward")) adopted.Add((entry, ok));
        }
        v.ThrowIfInvalid();
        if (trip.Status != TripStatus.Returned) throw new IllegalTransitionException("a service trip", "tripStatus", JsonNames.Of(trip.Status), "review");

        // The rest is leave: checked against the person's other leave and inserted one request at a time (LeaveRequest.DaysLock).
        await db.SerializedAsync(LeaveRequest.DaysLock, trip.TechnicianId, async () =>
        {
            var days = r.RestDays ?? 0;
            DateOnly? restFrom = null;
            LeaveRequest? rest = null;
            if (days > 0)
            {
                var back = BranchTime.Today(trip.ReturnedAt!.Value, zone).AddDays(1);
                var from = r.RestFrom ?? (back > today ? back : today);
                var to = from.AddDays(days - 1);
                if (await LeaveRequest.Overlaps(db, trip.TechnicianId, from, to, ct))
                    throw new ConflictException(Msg.Of("{0} already has leave asked for or approved on some of these days.", await trips.TravellerName(trip, ct)));
                rest = new LeaveRequest
                {
                    BranchId = trip.BranchId, TechnicianId = trip.TechnicianId, TechnicianUserId = trip.TechnicianUserId, From = from, To = to,
                    Reason = Msg.Of("Rest after the service trip to {0} (ATT-20)", trip.Destination).ToJson().ToJsonString(),
                    RequestedBy = user.UserName, RequestedAt = now,
                };
                rest.Approve(user.UserName, FindTrips.Clean(r.Note), now);
                db.LeaveRequests.Add(rest);
                restFrom = from;
            }
            if (adopted.Count > 0)
            {
                var period = await PayLedger.PeriodFor(db, trip.BranchId, PayPeriod.Of(now, zone), ct);
                foreach (var (entry, reward) in adopted)
                {
                    entry.Adopt(reward);
                    if (reward > 0)
                        db.PayLedger.Add(PayLedgerEntry.Hr(trip.BranchId, trip.TechnicianUserId, PayLedgerKind.Bonus, reward, "RWD-08",
                            Msg.Of("Improvement suggestion adopted (trip to {0}, {1}): {2}", trip.Destination, RecordHiring.D(entry.Day), entry.Suggestion!), period, user.UserName, now));
                }
            }
            trip.Review(user.UserName, r.RestDays, rest, FindTrips.Clean(r.Note), now);
            if (rest is not null) await leave.ExcuseJudgedDays(rest, now, ct);
            Notify.Queue(db, now, "tripReviewed", trip.BranchId, trip.WorkOrderId, Msg.Of("Trip report read: rest set"),
                days > 0 ? Msg.Of("Rest {0}–{1}; then back to normal duties.", RecordHiring.D(restFrom!.Value), RecordHiring.D(restFrom.Value.AddDays(days - 1)))
                    : Msg.Of("No rest days: back to normal duties."),
                [trip.TechnicianUserId], []);
            await db.SaveChangesAsync(ct);
            return true;
        }, ct);
        return await trips.Dto(trip, ct);
    }
}
