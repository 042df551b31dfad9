using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Trips;

/// <param name="WorkOrderId">The order the trip serves, if any (of the technician's branch).</param>
public sealed record SendOnTripBody(int? TechnicianId, string? Destination, string? Purpose, long? WorkOrderId);

/// <summary>
/// The office sends a technician of its branch on a service trip (第15篇: the service task): where and what for. The
/// technician is told (<c>tripAssigned</c>) and, until back, is away — no other order is dispatched to them. One trip
/// at a time: a person already away is a 409. The orders still assigned to them are named to the dispatchers
/// (<c>tripOrdersToReassign</c>), who transfer each to someone else; the trip's page lists them too.
/// </summary>
public sealed class SendOnTrip(AppDbContext db, FindTrips trips, TimeProvider clock)
{
    public async Task<TripDto> Handle(CurrentUser user, SendOnTripBody r, CancellationToken ct)
    {
        user.RequireAny("send someone on a service trip", FindTrips.Senders);
        var v = new Validator();
        if (r.TechnicianId is null) v.Add("technicianId", "{0} is required.");
        v.RequiredText(r.Destination, 200, "destination");
        v.RequiredText(r.Purpose, 500, "purpose");
        v.ThrowIfInvalid();
        var tech = await db.Technicians.AsNoTracking().Include(t => t.User).FirstOrDefaultAsync(t => t.Id == r.TechnicianId, ct);
        if (tech is null || !user.CanSeeBranch(tech.BranchId)) throw ValidationFailedException.For("technicianId", "Technician {1} does not exist.", r.TechnicianId);
        if (tech.User is { IsActive: false } || tech.Employment is Technicians.EmploymentStatus.Left)
            throw new ConflictException(Msg.Of("{0} is not working for the company: nobody is sent on a trip.", tech.User?.DisplayName ?? ""));
        if (r.WorkOrderId is { } orderId && !await db.WorkOrders.AnyAsync(o => o.Id == orderId && o.BranchId == tech.BranchId, ct))
            throw ValidationFailedException.For("workOrderId", "Work order {1} does not exist.", orderId);
        if (await db.ServiceTrips.AnyAsync(t => t.TechnicianId == tech.Id && (t.Status == TripStatus.Underway || t.Status == TripStatus.OnSite), ct))
            throw new ConflictException(Msg.Of("{0} is already away on a service trip.", tech.User?.DisplayName ?? ""));
        var now = clock.GetUtcNow();
        var sender = await db.Users.AsNoTracking().Where(u => u.Id == user.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? user.UserName;
        var trip = new ServiceTrip
        {
            BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, WorkOrderId = r.WorkOrderId,
            Destination = r.Destination!.Trim(), Purpose = r.Purpose!.Trim(), SentBy = user.UserName, SentByUserId = user.UserId, SentAt = now,
        };
        db.ServiceTrips.Add(trip);
        Notify.Queue(db, now, "tripAssigned", tech.BranchId, r.WorkOrderId, Msg.Of("Service trip to {0}", trip.Destination),
            Msg.Of("{0} sends you on a service trip to {1}: {2}. On arrival, report the site's progress first.", sender, trip.Destination, trip.Purpose),
            [tech.UserId], []);
        // Orders still assigned to the traveller wait for someone else: the dispatchers are told which (a transfer each).
        var behind = await trips.OrdersLeftBehind(tech.Id, r.WorkOrderId, ct);
        if (behind.Count > 0)
            Notify.Queue(db, now, "tripOrdersToReassign", tech.BranchId, null, Msg.Of("{0} is away on a service trip: {1} orders to give to someone else", tech.User?.DisplayName ?? "", behind.Count),
                Msg.Of("{0} goes to {1}; still assigned to them: {2}", tech.User?.DisplayName ?? "", trip.Destination, string.Join("、", behind.Select(o => o.Code))), [], [Roles.Dispatcher]);
        await db.SaveChangesAsync(ct);
        return await trips.Dto(trip, ct);
    }
}
