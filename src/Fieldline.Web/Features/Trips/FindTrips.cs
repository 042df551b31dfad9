using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Trips;

public sealed record TripLogDto(long Id, DateOnly Day, string Work, string? Suggestion, DateTimeOffset RecordedAt, bool Adopted, decimal? Reward);

/// <summary>What the policy in force asks of a trip, for the screens' hints (the use cases check it themselves).</summary>
public sealed record TripRulesDto(bool ArrivalReportRequired, bool DailyLog, bool TripReportRequired, bool RestSetBySupervisor, decimal? SuggestionReward);

/// <param name="Today">The branch's day when read: a phone's own calendar may differ (the day a log entry is for).</param>
public sealed record TripDto(long Id, int BranchId, int TechnicianId, string TechnicianName, long? WorkOrderId, string? WorkOrderCode, string Destination, string Purpose,
    string Status, string StatusName, string SentBy, DateTimeOffset SentAt, DateTimeOffset? ArrivedAt, string? ArrivalProgress, string? ArrivalConditions,
    IReadOnlyList<TripLogDto> Logs, IReadOnlyList<DateOnly> MissingLogDays, DateTimeOffset? ReturnedAt, string? ReportSummary,
    string? ReviewedBy, DateTimeOffset? ReviewedAt, string? ReviewNote, int? RestDays, DateOnly? RestFrom, DateOnly? RestTo, TripRulesDto Rules, int Version,
    string SentByName, string? ReviewedByName, DateOnly Today);

/// <summary>
/// Reads service trips (times in the branch's zone): a technician their own (<c>mine</c> for anyone), the office its branch's (head office every
/// branch's). Someone else's trip is a 404, never a 403, so its existence is not told.
/// </summary>
public sealed class FindTrips(AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock)
{
    /// <summary>Who sends people on trips and reads the branch's trips: the dispatching and supervising roles.</summary>
    public static readonly string[] Senders = [Roles.Admin, Roles.Manager, Roles.Supervisor, Roles.Dispatcher];

    /// <summary>Who reads a trip report and sets the rest after it (ATT-20: the supervisor; managers above them).</summary>
    public static readonly string[] Reviewers = [Roles.Admin, Roles.Manager, Roles.Supervisor];

    public async Task<Page<TripDto>> List(CurrentUser user, int? technicianId, string? status, bool mine, int? page, int? pageSize, CancellationToken ct)
    {
        user.RequireAny("read service trips", [Roles.Technician, .. Senders]);
        var (skip, take) = Paging.Check(page, pageSize);
        var v = new Validator();
        var state = v.Enum<TripStatus>(status, "status", required: false, kind: "tripStatus");
        v.ThrowIfInvalid();
        var query = db.ServiceTrips.AsNoTracking();
        if (mine || !user.IsAny(Senders)) query = query.Where(t => t.TechnicianUserId == user.UserId);
        else if (!user.IsHeadOffice) query = query.Where(t => t.BranchId == user.BranchId);
        if (technicianId is { } id) query = query.Where(t => t.TechnicianId == id);
        if (state is { } s) query = query.Where(t => t.Status == s);
        var total = await query.CountAsync(ct);
        var trips = await query.Include(t => t.Logs).OrderByDescending(t => t.Id).Skip(skip).Take(take).ToListAsync(ct);
        return new Page<TripDto>(await Dtos(trips, ct), total);
    }

    public async Task<TripDto> Get(CurrentUser user, long id, CancellationToken ct) => await Dto(await Visible(user, id, tracked: false, ct), ct);

    /// <summary>The trip if the caller may see it: their own, or (the sending roles) their branch's.</summary>
    internal async Task<ServiceTrip> Visible(CurrentUser user, long id, bool tracked, CancellationToken ct)
    {
        user.RequireAny("read service trips", [Roles.Technician, .. Senders]);
        var query = tracked ? db.ServiceTrips : db.ServiceTrips.AsNoTracking();
        var trip = await query.Include(t => t.Logs).FirstOrDefaultAsync(t => t.Id == id, ct);
        var sees = trip is not null && (trip.TechnicianUserId == user.UserId || (user.IsAny(Senders) && user.CanSeeBranch(trip.BranchId)));
        return sees ? trip! : throw new NotFoundException("Service trip", id);
    }

    /// <summary>The caller's own trip, for the traveller's steps: anyone else's is a 404.</summary>
    internal async Task<ServiceTrip> Own(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("report on a service trip", Roles.Technician);
        var trip = await db.ServiceTrips.Include(t => t.Logs).FirstOrDefaultAsync(t => t.Id == id, ct);
        return trip is not null && trip.TechnicianUserId == user.UserId ? trip : throw new NotFoundException("Service trip", id);
    }

    /// <summary>A text a person typed, trimmed; blank is null.</summary>
    internal static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    internal async Task<string> TravellerName(ServiceTrip trip, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == trip.TechnicianUserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";

    private static readonly WorkOrders.WorkOrderStatus[] Assigned =
        [WorkOrders.WorkOrderStatus.Dispatched, WorkOrders.WorkOrderStatus.Accepted, WorkOrders.WorkOrderStatus.Scheduled, WorkOrders.WorkOrderStatus.InProgress];

    /// <summary>The orders still assigned to the traveller, but the trip's own: someone else must do them while they are away.</summary>
    public async Task<IReadOnlyList<WorkOrders.WorkOrder>> OrdersLeftBehind(int technicianId, long? tripOrderId, CancellationToken ct) =>
        await db.WorkOrders.AsNoTracking().Where(o => o.TechnicianId == technicianId && Assigned.Contains(o.Status) && o.Id != (tripOrderId ?? 0))
            .OrderBy(o => o.Id).Take(TransferTripOrders.Max).ToListAsync(ct);

    internal async Task<TripDto> Dto(ServiceTrip trip, CancellationToken ct) => (await Dtos([trip], ct))[0];

    private async Task<List<TripDto>> Dtos(IReadOnlyList<ServiceTrip> trips, CancellationToken ct)
    {
        if (trips.Count == 0) return [];
        var techIds = trips.Select(t => t.TechnicianId).Distinct().ToList();
        var names = await db.Technicians.AsNoTracking().Where(t => techIds.Contains(t.Id)).Select(t => new { t.Id, t.User!.DisplayName }).ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);
        var orderIds = trips.Where(t => t.WorkOrderId is not null).Select(t => t.WorkOrderId!.Value).Distinct().ToList();
        var codes = orderIds.Count == 0 ? [] : await db.WorkOrders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).Select(o => new { o.Id, o.Code }).ToDictionaryAsync(o => o.Id, o => o.Code, ct);
        var logins = trips.Select(t => t.SentBy).Concat(trips.Where(t => t.ReviewedBy is not null).Select(t => t.ReviewedBy!)).Distinct().ToList();
        var people = await db.Users.AsNoTracking().Where(u => logins.Contains(u.UserName)).Select(u => new { u.UserName, u.DisplayName }).ToDictionaryAsync(u => u.UserName, u => u.DisplayName, ct);
        var now = clock.GetUtcNow();
        var p = await policies.InForce(db, now, ct);
        var rules = new TripRulesDto(p.TripArrivalReportRequired, p.TripDailyLog, p.TripReportRequired, p.PostTripRestBySupervisor, p.AdoptedSuggestionReward);
        var result = new List<TripDto>();
        foreach (var t in trips)
        {
            var zone = await zones.For(t.BranchId, ct);
            result.Add(new TripDto(t.Id, t.BranchId, t.TechnicianId, names.GetValueOrDefault(t.TechnicianId, ""), t.WorkOrderId,
                t.WorkOrderId is { } o ? codes.GetValueOrDefault(o) : null, t.Destination, t.Purpose, JsonNames.Of(t.Status), Msg.Code("tripStatus", t.Status).Render(),
                t.SentBy, BranchTime.Local(t.SentAt, zone), BranchTime.Local(t.ArrivedAt, zone), t.ArrivalProgress, t.ArrivalConditions,
                t.Logs.OrderBy(l => l.Day).Select(l => new TripLogDto(l.Id, l.Day, l.Work, l.Suggestion, BranchTime.Local(l.RecordedAt, zone), l.Adopted, l.Reward)).ToList(),
                p.TripDailyLog ? t.MissingLogDays(zone, BranchTime.Today(now, zone)) : [], BranchTime.Local(t.ReturnedAt, zone), t.ReportSummary, t.ReviewedBy,
                BranchTime.Local(t.ReviewedAt, zone), t.ReviewNote,
                t.RestDays, t.RestFrom, t.RestFrom is { } f && t.RestDays > 0 ? f.AddDays(t.RestDays.Value - 1) : null, rules, t.Version,
                people.GetValueOrDefault(t.SentBy, t.SentBy), t.ReviewedBy is { } r ? people.GetValueOrDefault(r, r) : null, BranchTime.Today(now, zone)));
        }
        return result;
    }
}
