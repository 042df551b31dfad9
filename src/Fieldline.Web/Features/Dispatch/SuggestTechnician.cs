using Fieldline.Routing.Dispatch;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Dispatch;

public sealed record SuggestRequest(long? WorkOrderId);

public sealed record SuggestionDto(long WorkOrderId, bool Feasible, int? TechnicianId, string? TechnicianName, int Position, DateTimeOffset? ServiceStart,
    double ExtraTravelMinutes, string Explanation, IReadOnlyList<InsertionAlternative> Alternatives, double ElapsedMilliseconds);

/// <summary>
/// Real-time insertion: an urgent order arrives at 14:10 → the best technician and position in today's existing routes
/// (the orders already assigned, in appointment order), without re-planning the day.
/// </summary>
public sealed class SuggestTechnician(BranchDay days, WorkOrderAccess access, TimeProvider clock, BranchZones zones)
{
    public async Task<SuggestionDto> Handle(CurrentUser user, SuggestRequest r, CancellationToken ct)
    {
        user.RequireAny("ask for a technician suggestion", PlanDay.Planners);
        if (r.WorkOrderId is not { } id) throw ValidationFailedException.For("workOrderId", "{0} is required.");
        var order = await access.Load(user, id, ct);
        if (order.Status is not (WorkOrderStatus.New or WorkOrderStatus.Returned)) throw new IllegalTransitionException(order.Status, "suggest a technician for");
        var now = clock.GetUtcNow();
        var day = await days.Build(order.BranchId, BranchTime.Today(now, await zones.For(order.BranchId, ct)), ct);
        var key = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var newOrder = day.Request.Orders.FirstOrDefault(o => o.Id == key)
            ?? throw ValidationFailedException.For("workOrderId", "The order has no location, or its window is not today.");
        var routes = day.Request.Orders.Where(o => o.PinnedTechnicianId is not null).GroupBy(o => o.PinnedTechnicianId!)
            .Select(g => new RouteAssignment(g.Key, g.OrderBy(o => o.WindowStart).Select(o => o.Id).ToList())).ToList();
        var s = DispatchPlanner.SuggestInsertion(day.Request, routes, newOrder, now);
        return new SuggestionDto(id, s.Feasible, s.TechnicianId is { } t ? int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) : null,
            s.TechnicianId is { } n ? day.TechnicianNames[n] : null, s.Position, BranchTime.Local(s.ServiceStart, day.Zone), Math.Round(s.ExtraTravelMinutes, 1),
            s.Explanation, s.Alternatives, s.Elapsed.TotalMilliseconds);
    }
}
