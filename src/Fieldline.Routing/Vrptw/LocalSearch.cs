namespace Fieldline.Routing.Vrptw;

// A descent between routes applied to each new best solution of the distance phase: relocate one customer, swap two customers in place,
// and 2-opt* (exchange route tails). Only pairs of a customer and one of its nearest neighbours are tried, and every
// move is checked in O(1) from the routes' schedule caches (earliest start forward, latest start backward) and loads,
// so a pass costs a few microseconds per customer. Moves that do not shorten the plan by more than a small epsilon
// are not taken, so the descent ends. Removing a customer never breaks a route (the distances obey the triangle
// inequality), which the relocate check relies on.
internal sealed class LocalSearch
{
    private const double Epsilon = 1e-7;
    private readonly VrptwModel _m;
    private readonly int _k;
    private readonly int[][] _prefixLoad;

    public LocalSearch(VrptwModel m, int neighbours)
    {
        _m = m;
        _k = Math.Min(neighbours, m.N - 2);
        _prefixLoad = new int[m.N][];
        for (var t = 0; t < m.N; t++) _prefixLoad[t] = new int[m.N + 2];
    }

    public long Moves { get; private set; }

    // Improves `plan` (complete or not; absent customers are left alone) until no move helps. True if it changed.
    public bool Improve(Plan plan)
    {
        var changed = false;
        for (var t = 0; t < plan.TourCount; t++) FillLoads(plan, t);
        var improved = true;
        while (improved)
        {
            improved = false;
            for (var c = 1; c < _m.N; c++)
            {
                if (plan.TourOf[c] < 0) continue;
                var neighbours = _m.Neighbours[c];
                for (var k = 0; k < _k; k++)
                {
                    var v = neighbours[k];
                    if (plan.TourOf[v] < 0 || plan.TourOf[v] == plan.TourOf[c]) continue;
                    if (TryRelocate(plan, c, v) || TrySwap(plan, c, v) || TryTwoOptStar(plan, c, v))
                    {
                        improved = changed = true;
                        Moves++;
                        break;
                    }
                }
            }
        }
        if (changed)
        {
            plan.Compact();
            plan.UpdateDistance();
        }
        return changed;
    }

    private void FillLoads(Plan plan, int t)
    {
        var tour = plan.Tours[t];
        var loads = _prefixLoad[t];
        loads[0] = 0;
        for (var i = 0; i < tour.Count; i++) loads[i + 1] = loads[i] + _m.Demand[tour.Nodes[i]];
    }

    private void Apply(Plan plan, int a, int b)
    {
        plan.Refresh(a);
        FillLoads(plan, a);
        if (b != a)
        {
            plan.Refresh(b);
            FillLoads(plan, b);
        }
    }

    // Can customer x start service in tour `tour` between path positions p-1 and p+1 (whatever sits at p is taken
    // out), given the earliest departure from p-1? Returns the added travel, or NaN if infeasible.
    private bool FitsBetween(Tour tour, int prevPath, int nextPath, int x, out double added)
    {
        var d = _m.D;
        var n = _m.N;
        var prev = tour.NodeAt(prevPath);
        var next = tour.NodeAt(nextPath);
        added = d[prev * n + x] + d[x * n + next];
        var arrive = tour.Start[prevPath] + _m.Service[prev] + d[prev * n + x];
        if (arrive > _m.Due[x]) return false;
        var begin = Math.Max(arrive, _m.Ready[x]);
        return begin + _m.Service[x] + d[x * n + next] <= tour.Latest[nextPath];
    }

    // Move c next to v (just before or just after it) in v's route.
    private bool TryRelocate(Plan plan, int c, int v)
    {
        var d = _m.D;
        var n = _m.N;
        var a = plan.TourOf[c];
        var b = plan.TourOf[v];
        var from = plan.Tours[a];
        var to = plan.Tours[b];
        if (to.Load + _m.Demand[c] > _m.Capacity) return false;
        var pc = plan.PosOf[c] + 1; // path position
        var prevC = from.NodeAt(pc - 1);
        var nextC = from.NodeAt(pc + 1);
        var gain = d[prevC * n + c] + d[c * n + nextC] - d[prevC * n + nextC];
        var pv = plan.PosOf[v] + 1;
        // Before v: between path positions pv-1 and pv; after v: between pv and pv+1.
        for (var side = 0; side < 2; side++)
        {
            var left = side == 0 ? pv - 1 : pv;
            var right = left + 1;
            var prev = to.NodeAt(left);
            var next = to.NodeAt(right);
            var arrive = to.Start[left] + _m.Service[prev] + d[prev * n + c];
            if (arrive > _m.Due[c]) continue;
            var begin = Math.Max(arrive, _m.Ready[c]);
            if (begin + _m.Service[c] + d[c * n + next] > to.Latest[right]) continue;
            var cost = d[prev * n + c] + d[c * n + next] - d[prev * n + next];
            if (cost < gain - Epsilon)
            {
                RemoveAt(from, pc - 1);
                to.Insert(left, c);
                Apply(plan, a, b);
                return true;
            }
        }
        return false;
    }

    private static void RemoveAt(Tour tour, int index)
    {
        Array.Copy(tour.Nodes, index + 1, tour.Nodes, index, tour.Count - index - 1);
        tour.Count--;
    }

    // Exchange c and v in place.
    private bool TrySwap(Plan plan, int c, int v)
    {
        var d = _m.D;
        var n = _m.N;
        var a = plan.TourOf[c];
        var b = plan.TourOf[v];
        var ta = plan.Tours[a];
        var tb = plan.Tours[b];
        var qc = _m.Demand[c];
        var qv = _m.Demand[v];
        if (ta.Load - qc + qv > _m.Capacity || tb.Load - qv + qc > _m.Capacity) return false;
        var pc = plan.PosOf[c] + 1;
        var pv = plan.PosOf[v] + 1;
        var oldA = d[ta.NodeAt(pc - 1) * n + c] + d[c * n + ta.NodeAt(pc + 1)];
        var oldB = d[tb.NodeAt(pv - 1) * n + v] + d[v * n + tb.NodeAt(pv + 1)];
        if (!FitsBetween(ta, pc - 1, pc + 1, v, out var newA)) return false;
        if (newA - oldA >= oldB - Epsilon) return false; // cannot pay off whatever B costs
        if (!FitsBetween(tb, pv - 1, pv + 1, c, out var newB)) return false;
        if (newA + newB >= oldA + oldB - Epsilon) return false;
        ta.Nodes[pc - 1] = v;
        tb.Nodes[pv - 1] = c;
        Apply(plan, a, b);
        return true;
    }

    // Link c to v: route A keeps its part up to c and continues with v and the rest of v's route B; route B keeps
    // its part before v and continues with what followed c.
    private bool TryTwoOptStar(Plan plan, int c, int v)
    {
        var d = _m.D;
        var n = _m.N;
        var a = plan.TourOf[c];
        var b = plan.TourOf[v];
        var ta = plan.Tours[a];
        var tb = plan.Tours[b];
        var i = plan.PosOf[c] + 1; // A keeps path 1..i
        var j = plan.PosOf[v];     // B keeps path 1..j, v is at j+1
        var aNext = ta.NodeAt(i + 1);
        var bPrev = tb.NodeAt(j);
        var delta = d[c * n + v] + d[bPrev * n + aNext] - d[c * n + aNext] - d[bPrev * n + v];
        if (delta >= -Epsilon) return false;
        var la = _prefixLoad[a];
        var lb = _prefixLoad[b];
        if (la[i] + (tb.Load - lb[j]) > _m.Capacity) return false;
        if (lb[j] + (ta.Load - la[i]) > _m.Capacity) return false;
        // c then v
        var arrive = ta.Start[i] + _m.Service[c] + d[c * n + v];
        if (Math.Max(arrive, _m.Ready[v]) > tb.Latest[j + 1]) return false;
        // bPrev then aNext (aNext may be the depot)
        var arrive2 = tb.Start[j] + _m.Service[bPrev] + d[bPrev * n + aNext];
        if (Math.Max(arrive2, _m.Ready[aNext]) > ta.Latest[i + 1]) return false;
        // Build the new sequences: A = A[0..i) + B[j..), B = B[0..j) + A[i..)   (node indexes, 0-based)
        var tailA = ta.Count - i;
        var tailB = tb.Count - j;
        Span<int> buffer = tailA <= 256 ? stackalloc int[tailA] : new int[tailA];
        ta.Nodes.AsSpan(i, tailA).CopyTo(buffer);
        tb.Nodes.AsSpan(j, tailB).CopyTo(ta.Nodes.AsSpan(i));
        buffer.CopyTo(tb.Nodes.AsSpan(j));
        ta.Count = i + tailB;
        tb.Count = j + tailA;
        Apply(plan, a, b);
        return true;
    }
}
