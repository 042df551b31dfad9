namespace Fieldline.Routing.Dispatch;

public enum OrderPriority { Normal, Urgent }

// A technician's day: skills such as "ac.repair", a shift that starts and ends at home, an optional lunch break
// (no travel or work inside it), and the orders already counted for today outside this plan (piece-rate fairness).
public sealed record Technician(
    string Id,
    IReadOnlyCollection<string> Skills,
    GeoPoint Home,
    DateTimeOffset ShiftStart,
    DateTimeOffset ShiftEnd,
    DateTimeOffset? LunchStart = null,
    DateTimeOffset? LunchEnd = null,
    int CurrentLoad = 0);

// An order to visit: the technician must arrive within the appointment window; the SLA deadline is soft (late
// minutes cost more than travel). JobType selects the service duration unless ServiceMinutes is given. A pinned
// order stays with its technician on every re-plan. ExcludedTechnicianIds: technicians who have the skill but may not
// take this order (the caller's rule, e.g. a certificate the job needs); they are never proposed for it.
public sealed record DispatchOrder(
    string Id,
    GeoPoint Location,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    string JobType,
    string RequiredSkill,
    DateTimeOffset? SlaDeadline = null,
    OrderPriority Priority = OrderPriority.Normal,
    string? PinnedTechnicianId = null,
    int? ServiceMinutes = null,
    IReadOnlyCollection<string>? ExcludedTechnicianIds = null)
{
    public bool Excludes(string technicianId) => ExcludedTechnicianIds?.Contains(technicianId) ?? false;
}

public sealed record DispatchRequest(IReadOnlyList<Technician> Technicians, IReadOnlyList<DispatchOrder> Orders);

// Existing routes, e.g. an accepted plan, for real-time insertion.
public sealed record RouteAssignment(string TechnicianId, IReadOnlyList<string> OrderIds);

public sealed record DispatchOptions
{
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(3);
    // When set, the search runs exactly this many iterations (reproducible in tests) unless the time limit comes first.
    public long? MaxIterations { get; init; }
    public long Seed { get; init; } = 1;
    public ITravelTimeSource TravelTime { get; init; } = new GreatCircleTravelTime();
    public IReadOnlyDictionary<string, int> ServiceMinutesByJobType { get; init; } =
        new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["install"] = 75, ["repair"] = 45, ["maintenance"] = 30, ["inspection"] = 30 };
    public int DefaultServiceMinutes { get; init; } = 45;

    // Cost units are "minutes of driving": a late minute costs 10 of them, an unserved order 2000.
    public double TravelMinuteCost { get; init; } = 1;
    public double LateMinuteCost { get; init; } = 10;
    public double UrgentLateMinuteCost { get; init; } = 30;
    // Urgent orders should be served early: each minute an urgent order waits after its window opens costs this.
    public double UrgentWaitMinuteCost { get; init; } = 0.2;
    // Piece-rate fairness: each technician adds weight × (orders today)², which spreads orders evenly when travel allows.
    public double FairnessWeight { get; init; } = 1;
    public double UnservedCost { get; init; } = 2000;
    public double UrgentUnservedCost { get; init; } = 8000;
    // Dropping an order the dispatcher pinned is the last resort: only when its technician cannot fit it at all.
    public double PinnedUnservedCost { get; init; } = 50000;
}
