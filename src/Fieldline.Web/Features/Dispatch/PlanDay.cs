using Fieldline.Routing.Dispatch;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Dispatch;

public sealed record PlanRequest(DateOnly? Date, int? BranchId, double? Seconds, long? Seed);

public sealed record PlanExplanationDto(string RequiredSkill, double TravelKilometres, int TechnicianOrders, double? DeadlineSlackMinutes, bool Pinned,
    string? NextBestTechnicianId, double? NextBestExtraCost, string Text);

public sealed record PlanStopDto(long WorkOrderId, string Code, DateTimeOffset Arrival, DateTimeOffset ServiceStart, DateTimeOffset ServiceEnd,
    double TravelKilometresFromPrevious, double LateMinutes, PlanExplanationDto Explanation);

public sealed record PlanRouteDto(int TechnicianId, string TechnicianName, IReadOnlyList<PlanStopDto> Stops, double TravelKilometres, double TravelMinutes, DateTimeOffset ReturnHome);

public sealed record UnservedDto(long WorkOrderId, string Code, string Reason);

public sealed record PlanDto(DateOnly Date, int BranchId, IReadOnlyList<PlanRouteDto> Routes, IReadOnlyList<UnservedDto> Unserved, PlanSummary Summary);

/// <summary>
/// "Plan the day": a technician and a place in their route for every open order of the branch, with the reason and the
/// next-best alternative. A proposal only: the dispatcher accepts it order by order (dispatch), or edits it by hand.
/// </summary>
public sealed class PlanDay(BranchDay days, TimeProvider clock, BranchZones zones)
{
    public static readonly string[] Planners = [Roles.Dispatcher, Roles.Manager];

    public async Task<PlanDto> Handle(CurrentUser user, PlanRequest r, CancellationToken ct)
    {
        user.RequireAny("plan the day", Planners);
        var branchId = r.BranchId ?? user.BranchId;
        var v = new Validator();
        if (!user.CanSeeBranch(branchId)) v.Add("branchId", "Branch {1} does not exist.", branchId);
        if (r.Seconds is < 0.1 or > 30) v.Add("seconds", "{0} must be between 0.1 and 30.");
        v.ThrowIfInvalid();
        var date = r.Date ?? BranchTime.Today(clock.GetUtcNow(), await zones.For(branchId, ct));
        var day = await days.Build(branchId, date, ct);
        var plan = DispatchPlanner.Plan(day.Request, new DispatchOptions { TimeLimit = TimeSpan.FromSeconds(r.Seconds ?? 3), Seed = r.Seed ?? 1 });
        return ToDto(plan, day, branchId);
    }

    private static PlanDto ToDto(DispatchPlan plan, BranchDayInput day, int branchId)
    {
        DateTimeOffset L(DateTimeOffset t) => BranchTime.Local(t, day.Zone);
        var routes = plan.Routes.Where(r => r.Stops.Count > 0).Select(r => new PlanRouteDto(int.Parse(r.TechnicianId, System.Globalization.CultureInfo.InvariantCulture),
            day.TechnicianNames[r.TechnicianId], r.Stops.Select(s => new PlanStopDto(long.Parse(s.OrderId, System.Globalization.CultureInfo.InvariantCulture), day.OrderCodes[s.OrderId],
                L(s.Arrival), L(s.ServiceStart), L(s.ServiceEnd), Math.Round(s.TravelKilometresFromPrevious, 2), Math.Round(s.LateMinutes, 1),
                new PlanExplanationDto(s.Explanation.RequiredSkill, Math.Round(s.Explanation.TravelKilometres, 2), s.Explanation.TechnicianOrders,
                    s.Explanation.DeadlineSlackMinutes is { } d ? Math.Round(d, 1) : null, s.Explanation.Pinned, s.Explanation.NextBestTechnicianId,
                    s.Explanation.NextBestExtraCost is { } c ? Math.Round(c, 1) : null, s.Explanation.Text))).ToList(),
            Math.Round(r.TravelKilometres, 2), Math.Round(r.TravelMinutes, 1), L(r.ReturnHome))).ToList();
        var unserved = plan.Unserved.Select(u => new UnservedDto(long.Parse(u.OrderId, System.Globalization.CultureInfo.InvariantCulture), day.OrderCodes[u.OrderId], u.Reason))
            .Concat(day.Skipped.Select(s => new UnservedDto(s.OrderId, s.Code, s.Reason))).ToList();
        return new PlanDto(day.Date, branchId, routes, unserved, plan.Summary);
    }
}
