namespace Fieldline.Routing.Dispatch;

internal struct RouteEval
{
    public bool Feasible;
    public double Cost;
    public double TravelMinutes;
    public double TravelKm;
    public double LateMinutes;
}

internal struct StopTime
{
    public double Arrival, Start, End, LegMinutes, LegKm, Late, Own;
}

// The day as arrays, times in minutes from Origin. Location index k < T is technician k's home; T + i is order i.
// Route feasibility and cost come from simulating the route (routes are short: a handful of orders per technician),
// which keeps lunch breaks, soft deadlines and fairness exact.
internal sealed class DayModel
{
    private readonly double[] _minutes;
    private readonly double[] _km;
    private readonly int _l;

    private readonly GeoPoint[] _points;
    private readonly ITravelTimeSource _travel;

    // withNeighbours: false for real-time insertion, which needs neither the neighbour lists nor most of the legs.
    public DayModel(DispatchRequest request, DispatchOptions options, bool withNeighbours = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        Request = request;
        Options = options;
        T = request.Technicians.Count;
        O = request.Orders.Count;
        _l = T + O;
        Origin = T > 0 ? request.Technicians.Min(t => t.ShiftStart) : request.Orders.Select(o => o.WindowStart).DefaultIfEmpty().Min();
        _points = request.Technicians.Select(t => t.Home).Concat(request.Orders.Select(o => o.Location)).ToArray();
        _travel = options.TravelTime;
        // Legs are asked of the travel-time source on first use (a routing server may be slow).
        _minutes = new double[_l * _l];
        _km = new double[_l * _l];
        Array.Fill(_minutes, double.NaN);

        TechIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        ShiftStart = new double[T]; ShiftEnd = new double[T]; LunchStart = new double[T]; LunchEnd = new double[T];
        CurrentLoad = new int[T];
        for (var k = 0; k < T; k++)
        {
            var t = request.Technicians[k];
            if (!TechIndex.TryAdd(t.Id, k)) throw new ArgumentException($"Duplicate technician id '{t.Id}'.", nameof(request));
            ShiftStart[k] = Min(t.ShiftStart);
            ShiftEnd[k] = Min(t.ShiftEnd);
            LunchStart[k] = t.LunchStart is { } ls && t.LunchEnd is not null ? Min(ls) : double.NaN;
            LunchEnd[k] = t.LunchEnd is { } le && t.LunchStart is not null ? Min(le) : double.NaN;
            CurrentLoad[k] = t.CurrentLoad;
        }

        OrderIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        WinStart = new double[O]; WinEnd = new double[O]; Service = new double[O]; Deadline = new double[O];
        LateWeight = new double[O]; WaitWeight = new double[O]; Unserved = new double[O];
        Urgent = new bool[O]; Pinned = new int[O]; Allowed = new bool[O * T];
        for (var i = 0; i < O; i++)
        {
            var o = request.Orders[i];
            if (!OrderIndex.TryAdd(o.Id, i)) throw new ArgumentException($"Duplicate order id '{o.Id}'.", nameof(request));
            WinStart[i] = Min(o.WindowStart);
            WinEnd[i] = Min(o.WindowEnd);
            Service[i] = o.ServiceMinutes ??
                (options.ServiceMinutesByJobType.TryGetValue(o.JobType, out var m) ? m : options.DefaultServiceMinutes);
            Deadline[i] = o.SlaDeadline is { } d ? Min(d) : double.PositiveInfinity;
            Urgent[i] = o.Priority == OrderPriority.Urgent;
            LateWeight[i] = Urgent[i] ? options.UrgentLateMinuteCost : options.LateMinuteCost;
            WaitWeight[i] = Urgent[i] ? options.UrgentWaitMinuteCost : 0;
            Pinned[i] = o.PinnedTechnicianId is { } p && TechIndex.TryGetValue(p, out var pk) ? pk : -1;
            Unserved[i] = Pinned[i] >= 0 ? options.PinnedUnservedCost : Urgent[i] ? options.UrgentUnservedCost : options.UnservedCost;
            for (var k = 0; k < T; k++)
            {
                var tech = request.Technicians[k];
                var skilled = tech.Skills.Contains(o.RequiredSkill, StringComparer.OrdinalIgnoreCase);
                var pinOk = o.PinnedTechnicianId is null || o.PinnedTechnicianId == tech.Id;
                Allowed[i * T + k] = skilled && pinOk && !o.Excludes(tech.Id);
            }
        }

        Neighbours = new int[O][];
        for (var i = 0; i < O && withNeighbours; i++)
        {
            var others = Enumerable.Range(0, O).ToArray();
            var keys = others.Select(j => j == i ? -1.0 : LegMinutes(T + i, T + j)).ToArray();
            Array.Sort(keys, others);
            Neighbours[i] = others;
        }
    }

    public DispatchRequest Request { get; }
    public DispatchOptions Options { get; }
    public int T { get; }
    public int O { get; }
    public DateTimeOffset Origin { get; }
    public Dictionary<string, int> TechIndex { get; }
    public Dictionary<string, int> OrderIndex { get; }
    public double[] ShiftStart { get; }
    public double[] ShiftEnd { get; }
    public double[] LunchStart { get; }
    public double[] LunchEnd { get; }
    public int[] CurrentLoad { get; }
    public double[] WinStart { get; }
    public double[] WinEnd { get; }
    public double[] Service { get; }
    public double[] Deadline { get; }
    public double[] LateWeight { get; }
    public double[] WaitWeight { get; }
    public double[] Unserved { get; }
    public bool[] Urgent { get; }
    public int[] Pinned { get; }
    public bool[] Allowed { get; }
    public int[][] Neighbours { get; }

    public double Min(DateTimeOffset t) => (t - Origin).TotalMinutes;
    public DateTimeOffset At(double minutes) => Origin.AddMinutes(Math.Round(minutes, 3));
    public bool CanServe(int order, int tech) => Allowed[order * T + tech];
    public double LegMinutes(int fromLoc, int toLoc)
    {
        var idx = fromLoc * _l + toLoc;
        var m = _minutes[idx];
        return double.IsNaN(m) ? Fetch(idx, fromLoc, toLoc) : m;
    }

    public double LegKm(int fromLoc, int toLoc)
    {
        var idx = fromLoc * _l + toLoc;
        if (double.IsNaN(_minutes[idx])) Fetch(idx, fromLoc, toLoc);
        return _km[idx];
    }

    private double Fetch(int idx, int fromLoc, int toLoc)
    {
        var leg = fromLoc == toLoc ? default : _travel.Leg(_points[fromLoc], _points[toLoc]);
        _km[idx] = leg.Kilometres;
        return _minutes[idx] = leg.Minutes;
    }

    // Simulates technician k driving `route` (order indexes) from home and back. Departure towards position
    // holdIndex is no earlier than holdUntil (real-time insertion: nothing new can start before "now").
    public RouteEval Evaluate(int k, ReadOnlySpan<int> route, int holdIndex = -1, double holdUntil = double.NegativeInfinity, Span<StopTime> times = default)
    {
        var e = new RouteEval { Feasible = true };
        var ls = LunchStart[k];
        var le = LunchEnd[k];
        var hasLunch = !double.IsNaN(ls);
        var t = ShiftStart[k];
        var at = k;
        for (var p = 0; p < route.Length; p++)
        {
            var i = route[p];
            var loc = T + i;
            if (p == holdIndex && t < holdUntil) t = holdUntil;
            var leg = LegMinutes(at, loc);
            if (hasLunch && t < le && t + leg > ls) t = Math.Max(t, le); // no driving through lunch
            var arrival = t + leg;
            var start = Math.Max(arrival, WinStart[i]);
            if (hasLunch && start < le && start + Service[i] > ls) start = le; // no work through lunch
            if (start > WinEnd[i] + 1e-9) e.Feasible = false;
            var end = start + Service[i];
            var late = Math.Max(0, end - Deadline[i]);
            e.LateMinutes += late;
            var own = LateWeight[i] * late + WaitWeight[i] * Math.Max(0, start - Math.Max(WinStart[i], ShiftStart[k]));
            e.Cost += own;
            e.TravelMinutes += leg;
            e.TravelKm += LegKm(at, loc);
            if (!times.IsEmpty) times[p] = new StopTime { Arrival = arrival, Start = start, End = end, LegMinutes = leg, LegKm = LegKm(at, loc), Late = late, Own = own };
            t = end;
            at = loc;
        }
        var homeLeg = 0.0;
        if (route.Length > 0)
        {
            var home = homeLeg = LegMinutes(at, k);
            if (hasLunch && t < le && t + home > ls) t = Math.Max(t, le);
            t += home;
            e.TravelMinutes += home;
            e.TravelKm += LegKm(at, k);
            if (t > ShiftEnd[k] + 1e-9) e.Feasible = false;
        }
        if (!times.IsEmpty) times[route.Length] = new StopTime { Arrival = t, Start = t, End = t, LegMinutes = homeLeg };
        var count = CurrentLoad[k] + route.Length;
        e.Cost += Options.TravelMinuteCost * e.TravelMinutes + Options.FairnessWeight * count * count;
        return e;
    }

    // Cost of technician k's route with `order` inserted at position p, reusing the route's cached schedule: the
    // prefix is unchanged, and once a later stop starts exactly when it did before, so does everything after it.
    // Mirrors Evaluate step for step (same arithmetic, so the same decisions).
    public bool TryInsert(int k, ReadOnlySpan<int> route, RouteCache cache, int p, int order, double holdUntil, out double cost)
    {
        cost = double.MaxValue;
        var ls = LunchStart[k];
        var le = LunchEnd[k];
        var hasLunch = !double.IsNaN(ls);
        var t = p == 0 ? ShiftStart[k] : cache.Ends[p - 1];
        var at = p == 0 ? k : T + route[p - 1];
        var c = p == 0 ? 0 : cache.Prefix[p - 1];
        if (t < holdUntil) t = holdUntil;
        var w = Options.TravelMinuteCost;
        for (var j = p - 1; j < route.Length; j++)
        {
            var i = j < p ? order : route[j];
            var loc = T + i;
            var leg = LegMinutes(at, loc);
            if (hasLunch && t < le && t + leg > ls) t = Math.Max(t, le);
            var start = Math.Max(t + leg, WinStart[i]);
            if (hasLunch && start < le && start + Service[i] > ls) start = le;
            if (start > WinEnd[i] + 1e-9) return false;
            if (j >= p && start <= cache.Starts[j])
            {
                c += w * leg + cache.Suffix[j];
                return Finish(k, route.Length, c, out cost);
            }
            var end = start + Service[i];
            c += w * leg + LateWeight[i] * Math.Max(0, end - Deadline[i]) + WaitWeight[i] * Math.Max(0, start - Math.Max(WinStart[i], ShiftStart[k]));
            t = end;
            at = loc;
        }
        var home = LegMinutes(at, k);
        if (hasLunch && t < le && t + home > ls) t = Math.Max(t, le);
        if (t + home > ShiftEnd[k] + 1e-9) return false;
        c += w * home;
        return Finish(k, route.Length, c, out cost);
    }

    private bool Finish(int k, int length, double c, out double cost)
    {
        var count = CurrentLoad[k] + length + 1;
        cost = c + Options.FairnessWeight * count * count;
        return true;
    }
}

// Per-route schedule cache for TryInsert: start and end of each stop, cost up to and including each stop (legs and
// lateness/waiting), and cost from each stop on (its lateness/waiting, later legs, the way home).
internal sealed class RouteCache(int capacity)
{
    public double[] Starts { get; } = new double[capacity];
    public double[] Ends { get; } = new double[capacity];
    public double[] Prefix { get; } = new double[capacity];
    public double[] Suffix { get; } = new double[capacity];

    public void Fill(ReadOnlySpan<StopTime> times, int length, double travelMinuteCost)
    {
        var c = 0.0;
        for (var p = 0; p < length; p++)
        {
            Starts[p] = times[p].Start;
            Ends[p] = times[p].End;
            c += travelMinuteCost * times[p].LegMinutes + times[p].Own;
            Prefix[p] = c;
        }
        var after = travelMinuteCost * times[length].LegMinutes;
        for (var p = length - 1; p >= 0; p--)
        {
            Suffix[p] = times[p].Own + after;
            after += travelMinuteCost * times[p].LegMinutes + times[p].Own;
        }
    }

    public void CopyFrom(RouteCache other, int length)
    {
        Array.Copy(other.Starts, Starts, length);
        Array.Copy(other.Ends, Ends, length);
        Array.Copy(other.Prefix, Prefix, length);
        Array.Copy(other.Suffix, Suffix, length);
    }
}
