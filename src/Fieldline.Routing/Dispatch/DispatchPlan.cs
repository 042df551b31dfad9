namespace Fieldline.Routing.Dispatch;

public sealed record DispatchPlan(
    IReadOnlyList<TechnicianRoute> Routes,
    IReadOnlyList<UnservedOrder> Unserved,
    PlanSummary Summary)
{
    public IReadOnlyList<RouteAssignment> ToAssignments() =>
        Routes.Select(r => new RouteAssignment(r.TechnicianId, r.Stops.Select(s => s.OrderId).ToList())).ToList();
}

public sealed record TechnicianRoute(
    string TechnicianId,
    IReadOnlyList<PlannedStop> Stops,
    double TravelKilometres,
    double TravelMinutes,
    DateTimeOffset ReturnHome,
    // False only for hand-edited routes (Evaluate) that break a window, the shift or a skill.
    bool Feasible = true);

public sealed record PlannedStop(
    string OrderId,
    DateTimeOffset Arrival,
    DateTimeOffset ServiceStart,
    DateTimeOffset ServiceEnd,
    double TravelKilometresFromPrevious,
    double TravelMinutesFromPrevious,
    double LateMinutes,
    AssignmentExplanation Explanation,
    // What this stop costs the plan, in the objective's units ("driving minutes"): its route's cost with it minus without
    // it — the travel it adds, its lateness and urgent waiting, the technician's extra fairness weight. Lower is better;
    // next to NextBestExtraCost it tells how clear the choice was.
    double MarginalCost);

// Why this technician, and what the next-best technician would cost (extra cost in "driving minutes").
public sealed record AssignmentExplanation(
    string RequiredSkill,
    double TravelKilometres,
    int TechnicianOrders,
    double? DeadlineSlackMinutes,
    bool Pinned,
    string? NextBestTechnicianId,
    double? NextBestExtraCost,
    double? NextBestExtraTravelMinutes,
    string Text);

public sealed record UnservedOrder(string OrderId, string Reason);

public sealed record PlanSummary(
    int Orders,
    int Served,
    int Unserved,
    int OrdersWithDeadline,
    int DeadlinesMet,
    double TotalTravelKilometres,
    double TotalTravelMinutes,
    double TotalLateMinutes,
    int MinOrdersPerTechnician,
    int MaxOrdersPerTechnician,
    double Cost,
    long Iterations,
    TimeSpan Elapsed);

public sealed record InsertionSuggestion(
    bool Feasible,
    string? TechnicianId,
    // Index in that technician's route (0 = first stop) at which the new order goes.
    int Position,
    DateTimeOffset? ServiceStart,
    double ExtraTravelMinutes,
    double ExtraCost,
    string Explanation,
    IReadOnlyList<InsertionAlternative> Alternatives,
    TimeSpan Elapsed);

public sealed record InsertionAlternative(string TechnicianId, int Position, double ExtraCost, double ExtraTravelMinutes);
