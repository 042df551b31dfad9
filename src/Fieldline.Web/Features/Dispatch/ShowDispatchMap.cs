using Fieldline.Web.Features.Attendance;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Maps;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Dispatch;

/// <summary>A point as the configured tiles draw it: WGS-84 as stored, or converted to GCJ-02 for Chinese tiles.</summary>
public sealed record MapPoint(double Lat, double Lng);

/// <param name="Colour">The technician's colour on every map, 0…9: their rank among the branch's technicians by id.</param>
/// <param name="Position">
/// The last known position: where their latest on-site check-in was (the phone's GPS), at <paramref name="PositionAt"/>
/// for order <paramref name="PositionOrderCode"/>. Null when they never checked in on site, or when they checked in at
/// the office since (<paramref name="AtOfficeSince"/>): the office has no place on the map, and the site is stale.
/// </param>
public sealed record MapTechnicianDto(int Id, string Name, int Colour, MapPoint? Position, DateTimeOffset? PositionAt, string? PositionOrderCode,
    DateTimeOffset? AtOfficeSince);

/// <param name="Sequence">The order's place in its technician's day (1, 2 …); null when it has no appointment yet, or no technician.</param>
/// <param name="Window">The appointment, else the requested window, in the branch's time.</param>
/// <param name="Arrival">The plan's arrival time (plans only).</param>
/// <param name="Location">Null when the address has no location yet: listed, not drawn.</param>
public sealed record MapOrderDto(long Id, string Code, string CustomerName, string Status, int? TechnicianId, int? Sequence, TimeWindow? Window,
    DateTimeOffset? Arrival, bool Pinned, MapPoint? Location);

/// <summary>
/// What the board's or the plan's map shows: the technicians (colour, last known position), their stops of the day in
/// order (the route), and the orders nobody has yet. <see cref="Centre"/> is only where an empty map looks.
/// </summary>
public sealed record DispatchMapDto(int BranchId, DateTimeOffset Now, MapPoint Centre, IReadOnlyList<MapTechnicianDto> Technicians,
    IReadOnlyList<MapOrderDto> Route, IReadOnlyList<MapOrderDto> Unassigned);

/// <summary>
/// The map beside the board and the plan. It takes what those use cases already decided (which orders, in which order)
/// and adds only where things are, so the map can never disagree with the list next to it.
/// </summary>
public sealed class ShowDispatchMap(AppDbContext db, MapOptions maps, BranchZones zones, TimeProvider clock)
{
    public const int Colours = 10;

    /// <summary>The board: each technician's orders of today in appointment order (and those still without one), and the queue.</summary>
    public async Task<DispatchMapDto> ForBoard(CurrentUser user, BoardDto board, CancellationToken ct)
    {
        user.RequireAny("see the dispatch board", ShowBoard.Viewers);
        if (!user.CanSeeBranch(board.BranchId)) throw new NotFoundException("Branch", board.BranchId);
        var today = DateOnly.FromDateTime(board.Now.DateTime); // the board's "now" is in the branch's time already
        var ids = board.Unassigned.Concat(board.Technicians.SelectMany(t => t.Orders)).Select(o => o.Id).ToList();
        // "BranchId + 0": the same test, but one SQLite cannot answer from a branch index, which it preferred to the keys
        // (a walk of the branch's whole history: the board page took 166 ms at 1 M orders, 24 ms at 100 k).
        var places = await db.WorkOrders.AsNoTracking().Where(o => o.BranchId + 0 == board.BranchId && ids.Contains(o.Id))
            .Select(o => new { o.Id, o.Lat, o.Lng }).ToDictionaryAsync(o => o.Id, o => Display(o.Lat, o.Lng), ct);

        MapOrderDto Row(BoardOrderDto o, int? tech, int? sequence) => new(o.Id, o.Code, o.CustomerName, o.Status, tech, sequence,
            o.Appointment ?? o.RequestedWindow, null, false, places.GetValueOrDefault(o.Id));
        var route = new List<MapOrderDto>();
        foreach (var t in board.Technicians)
        {
            var day = t.Orders.Where(o => o.Status == "inProgress" || o.Appointment?.Start is { } s && DateOnly.FromDateTime(s.DateTime) == today)
                .OrderBy(o => o.Appointment?.Start ?? DateTimeOffset.MinValue).ThenBy(o => o.Id).ToList();
            route.AddRange(day.Select((o, i) => Row(o, t.Id, i + 1)));
            route.AddRange(t.Orders.Where(o => o.Appointment is null).Select(o => Row(o, t.Id, null)));
        }
        var (technicians, centre) = await Technicians(board.BranchId, ct);
        return new DispatchMapDto(board.BranchId, board.Now, centre, technicians, route, board.Unassigned.Select(o => Row(o, null, null)).ToList());
    }

    /// <summary>The plan: each route's stops in the optimiser's order, and the orders it could not place.</summary>
    public async Task<DispatchMapDto> ForPlan(CurrentUser user, PlanDto plan, CancellationToken ct)
    {
        user.RequireAny("plan the day's routes", PlanDay.Planners);
        if (!user.CanSeeBranch(plan.BranchId)) throw new NotFoundException("Branch", plan.BranchId);
        var zone = await zones.For(plan.BranchId, ct);
        var ids = plan.Routes.SelectMany(r => r.Stops).Select(s => s.WorkOrderId).Concat(plan.Unserved.Select(u => u.WorkOrderId)).ToList();
        var orders = await db.WorkOrders.AsNoTracking().Where(o => o.BranchId + 0 == plan.BranchId && ids.Contains(o.Id)) // by key, as above
            .Select(o => new { o.Id, o.Lat, o.Lng, Customer = o.Customer!.Name, o.Status, o.AppointmentStart, o.AppointmentEnd, o.RequestedStart, o.RequestedEnd })
            .ToDictionaryAsync(o => o.Id, ct);

        MapOrderDto Row(long id, string code, int? tech, int? sequence, DateTimeOffset? arrival, bool pinned)
        {
            if (!orders.TryGetValue(id, out var o)) return new MapOrderDto(id, code, "", "", tech, sequence, null, arrival, pinned, null);
            var window = o.AppointmentStart is { } a ? new TimeWindow(BranchTime.Local(a, zone), BranchTime.Local(o.AppointmentEnd, zone))
                : o.RequestedStart is { } r ? new TimeWindow(BranchTime.Local(r, zone), BranchTime.Local(o.RequestedEnd, zone)) : null;
            return new MapOrderDto(id, code, o.Customer, JsonNames.Of(o.Status), tech, sequence, window, arrival, pinned, Display(o.Lat, o.Lng));
        }
        var route = plan.Routes.SelectMany(r => r.Stops.Select((s, i) => Row(s.WorkOrderId, s.Code, r.TechnicianId, i + 1, s.Arrival, s.Explanation.Pinned))).ToList();
        var unplaced = plan.Unserved.Select(u => Row(u.WorkOrderId, u.Code, null, null, null, false)).ToList();
        var (technicians, centre) = await Technicians(plan.BranchId, ct);
        return new DispatchMapDto(plan.BranchId, BranchTime.Local(clock.GetUtcNow(), zone), centre, technicians, route, unplaced);
    }

    /// <summary>
    /// The branch's technicians with their colour and last known position. One row per technician: the id of the order
    /// of their latest on-site check-in and the time of their latest office check-in, each a top-1 lookup on an index
    /// (WorkOrders (TechnicianId, CheckedInAt), OfficeCheckIns (TechnicianId, At)), so the cost does not grow with history.
    /// </summary>
    private async Task<(List<MapTechnicianDto>, MapPoint)> Technicians(int branchId, CancellationToken ct)
    {
        var techs = await db.Technicians.AsNoTracking().Where(t => t.BranchId == branchId).OrderBy(t => t.Id)
            .Select(t => new
            {
                t.Id, Name = t.User!.DisplayName, t.HomeLat, t.HomeLng,
                SiteOrderId = db.WorkOrders.Where(o => o.TechnicianId == t.Id && o.CheckedInAt != null).OrderByDescending(o => o.CheckedInAt)
                    .Select(o => (long?)o.Id).FirstOrDefault(),
                OfficeAt = db.Set<OfficeCheckIn>().Where(c => c.TechnicianId == t.Id).OrderByDescending(c => c.At).Select(c => (DateTimeOffset?)c.At).FirstOrDefault(),
            }).ToListAsync(ct);
        var siteIds = techs.Where(t => t.SiteOrderId is not null).Select(t => t.SiteOrderId!.Value).ToList();
        var sites = await db.WorkOrders.AsNoTracking().Where(o => siteIds.Contains(o.Id))
            .Select(o => new { o.Id, o.Code, o.CheckedInAt, o.CheckInLat, o.CheckInLng }).ToDictionaryAsync(o => o.Id, ct);
        var zone = await zones.For(branchId, ct);

        var result = techs.Select((t, rank) =>
        {
            var site = t.SiteOrderId is { } sid ? sites.GetValueOrDefault(sid) : null;
            var atOffice = t.OfficeAt is { } office && (site?.CheckedInAt is not { } s || office > s);
            return new MapTechnicianDto(t.Id, t.Name, rank % Colours,
                atOffice ? null : Display(site?.CheckInLat, site?.CheckInLng), atOffice ? null : BranchTime.Local(site?.CheckedInAt, zone),
                atOffice ? null : site?.Code, atOffice ? BranchTime.Local(t.OfficeAt, zone) : null);
        }).ToList();
        var homes = techs.Where(t => t.HomeLat is not null && t.HomeLng is not null).ToList();
        var centre = homes.Count > 0 ? Display(homes.Average(h => h.HomeLat!.Value), homes.Average(h => h.HomeLng!.Value))! : China;
        return (result, centre);
    }

    /// <summary>Where an empty map of the branch looks (the intake's pin drop before the pin): amid its technicians' homes.</summary>
    public async Task<MapPoint> Centre(int branchId, CancellationToken ct)
    {
        var homes = await db.Technicians.AsNoTracking().Where(t => t.BranchId == branchId && t.HomeLat != null && t.HomeLng != null)
            .Select(t => new { Lat = t.HomeLat!.Value, Lng = t.HomeLng!.Value }).ToListAsync(ct);
        return homes.Count > 0 ? Display(homes.Average(h => h.Lat), homes.Average(h => h.Lng))! : China;
    }

    private static readonly MapPoint China = new(35.0, 105.0);

    /// <summary>How close an empty map starts: the city around <see cref="Centre"/>, or the whole country when the branch has no homes.</summary>
    public static int ZoomFor(MapPoint centre) => centre == China ? 4 : 12;

    private MapPoint? Display(double? lat, double? lng)
    {
        if (lat is not { } a || lng is not { } b) return null;
        var (dLat, dLng) = maps.ToDisplay(a, b);
        return new MapPoint(Math.Round(dLat, 6), Math.Round(dLng, 6));
    }
}
