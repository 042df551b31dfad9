using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Trips;

/// <summary>One order the traveller left behind, who takes it over, and the order's version the dispatcher saw.</summary>
public sealed record TripOrderTransfer(long? WorkOrderId, int? TechnicianId, int? Version);

public sealed record TransferTripOrdersBody(string? Reason, IReadOnlyList<TripOrderTransfer?>? Orders);

public sealed record TransferredOrderDto(long WorkOrderId, string Code, int TechnicianId, int Version);

public sealed record TripTransfersDto(IReadOnlyList<TransferredOrderDto> Transferred);

/// <summary>An order left behind as the transfer form shows it: who may take it over today (eligible, with the skill it needs).</summary>
public sealed record LeftBehindOrder(long Id, string Code, string Status, int Version, bool Transferable, IReadOnlyList<(int Id, string Name)> Candidates);

/// <summary>
/// While a technician is away on a service trip, the dispatcher gives the orders still assigned to them to others in
/// one step, each to the person chosen for it. Each is a transfer (DSP-11: the dispatcher's, with the reason, to someone
/// who may take that order), and they are one commit: a refusal names its order and changes nothing.
/// </summary>
public sealed class TransferTripOrders(FindTrips trips, TransferWorkOrder transfer, AppDbContext db, TechnicianEligibility eligibility, BranchZones zones,
    TimeProvider clock)
{
    /// <summary>The most orders one transfer carries (and the trip's page lists).</summary>
    public const int Max = 50;

    public async Task<TripTransfersDto> Handle(CurrentUser user, long tripId, TransferTripOrdersBody body, CancellationToken ct)
    {
        user.RequireAny("transfer", TransferWorkOrder.AllowedRoles);
        var trip = await trips.Visible(user, tripId, tracked: false, ct);
        var items = body.Orders ?? [];
        var v = new Validator().RequiredText(body.Reason, 500, "reason");
        if (items.Count == 0) v.Add("orders", "{0} is required.");
        else if (items.Count > Max) v.Add("orders", "{0} may list at most {1} orders.", Max);
        v.ThrowIfInvalid();
        if (trip.Status is not (TripStatus.Underway or TripStatus.OnSite))
            throw new ConflictException(Msg.Of("{0} is back from the trip: the orders are theirs again; transfer one on its own page if need be.", await trips.TravellerName(trip, ct)));

        var behind = (await trips.OrdersLeftBehind(trip.TechnicianId, trip.WorkOrderId, ct)).ToDictionary(o => o.Id);
        var listed = new HashSet<long>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item?.WorkOrderId is not { } id) v.Add($"orders[{i}].workOrderId", "{0} is required.");
            else if (!behind.TryGetValue(id, out var left)) v.Add($"orders[{i}].workOrderId", "Work order {1} is not one the traveller left behind.", id);
            else if (!listed.Add(id)) v.Add($"orders[{i}].workOrderId", "Work order {1} is listed twice.", left.Code);
            if (item?.TechnicianId is null) v.Add($"orders[{i}].technicianId", "{0} is required.");
            else if (item.TechnicianId == trip.TechnicianId) v.Add($"orders[{i}].technicianId", "{0}: the traveller is away and cannot take the order back.");
        }
        v.ThrowIfInvalid();

        var reason = body.Reason!.Trim();
        try
        {
            return await db.WriteAsync(async () =>
            {
                var done = new List<TransferredOrderDto>(items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    var (id, technicianId, version) = (items[i]!.WorkOrderId!.Value, items[i]!.TechnicianId, items[i]!.Version);
                    try
                    {
                        var order = await transfer.Handle(user, id, new TransferRequest(technicianId, reason, version), null, ct);
                        done.Add(new TransferredOrderDto(order.Id, order.Code, order.TechnicianId!.Value, order.Version));
                    }
                    catch (ValidationFailedException e)
                    {
                        var row = i;
                        throw new ValidationFailedException(e.Errors.ToDictionary(f => $"orders[{row}].{f.Key}", f => f.Value));
                    }
                    catch (RefusalException e) when (e is not (NotFoundException or ForbiddenException))
                    {
                        throw new ConflictException(Msg.Of("{0}: {1}", behind[id].Code, e.Text));
                    }
                }
                return new TripTransfersDto(done);
            }, ct);
        }
        catch
        {
            // Undone: what the transfers before the refused one changed must not be read back by the page that re-renders.
            db.ChangeTracker.Clear();
            throw;
        }
    }

    /// <summary>The trip's page: the orders left behind, each with whom it may go to today; in-progress ones are done by the traveller or cancelled, not transferred.</summary>
    public async Task<IReadOnlyList<LeftBehindOrder>> Form(TripDto trip, CancellationToken ct)
    {
        var orders = await trips.OrdersLeftBehind(trip.TechnicianId, trip.WorkOrderId, ct);
        if (orders.Count == 0) return [];
        var technicians = await db.Technicians.AsNoTracking().Include(t => t.User)
            .Where(t => t.BranchId == trip.BranchId && t.Id != trip.TechnicianId && t.User!.IsActive).OrderBy(t => t.Id).Take(500).ToListAsync(ct);
        var zone = await zones.For(trip.BranchId, ct);
        var today = BranchTime.Today(clock.GetUtcNow(), zone);
        var transferable = orders.Where(o => o.Status is not WorkOrderStatus.InProgress).ToList();
        var candidates = await eligibility.MayTake(technicians, transferable, today, zone, ct);
        return orders.Select(o => new LeftBehindOrder(o.Id, o.Code, JsonNames.Of(o.Status), o.Version, candidates.ContainsKey(o.Id),
            candidates.GetValueOrDefault(o.Id, []).Select(t => (t.Id, t.User?.DisplayName ?? $"#{t.Id}")).ToList())).ToList();
    }
}
