using System.Diagnostics;
using System.Runtime.InteropServices;
using Fieldline.Routing.Search;

namespace Fieldline.Routing.Dispatch;

// The same SISR ruin-and-recreate under simulated annealing as the VRPTW solver, on the richer day model: remove
// strings of orders from technicians' routes near a random seed order, reinsert urgent orders first, each at its
// cheapest feasible place among qualified technicians (blinking past some places), accept by annealing.
internal sealed class DaySearch
{
    private const double AverageRemoved = 10;
    private const double MaxStringLength = 10;
    private const double BlinkRate = 0.01;
    private const double PlannedIterationsPerSecond = 8000;
    private const double StartTemperature = 20;
    private const double EndTemperature = 0.5;

    private readonly DayModel _m;
    private readonly Rng _rng;
    private readonly bool[] _ruined;
    private readonly List<int> _removed = [];
    private readonly List<int> _pending = [];

    public DaySearch(DayModel m, long seed)
    {
        _m = m;
        _rng = new Rng(seed);
        _ruined = new bool[m.T];
    }

    public long Iterations { get; private set; }

    public DayState Run(DispatchOptions options, Stopwatch clock)
    {
        var current = new DayState(_m);
        _pending.Clear();
        _pending.AddRange(Enumerable.Range(0, _m.O));
        Recreate(current, _pending);
        var best = new DayState(_m);
        best.CopyFrom(current);
        var candidate = new DayState(_m);
        if (_m.O == 0 || _m.T == 0) return best;

        var budget = options.MaxIterations ?? (long)Math.Max(500, options.TimeLimit.TotalSeconds * PlannedIterationsPerSecond);
        var annealing = new Annealing(StartTemperature, EndTemperature);
        var currentCost = current.Cost;
        var bestCost = currentCost;
        while (clock.Elapsed < options.TimeLimit && (options.MaxIterations is null || Iterations < options.MaxIterations))
        {
            candidate.CopyFrom(current);
            Ruin(candidate);
            _pending.Clear();
            _pending.AddRange(_removed);
            for (var i = 0; i < _m.O; i++) if (candidate.TechOf[i] < 0 && !_pending.Contains(i)) _pending.Add(i);
            Recreate(candidate, _pending);
            Iterations++;
            var cost = candidate.Cost;
            if (Annealing.Accept(cost, currentCost, annealing.Temperature((double)(Iterations % Math.Max(1, budget)) / Math.Max(1, budget)), _rng))
            {
                (current, candidate) = (candidate, current);
                currentCost = cost;
                if (cost < bestCost - 1e-9)
                {
                    best.CopyFrom(current);
                    bestCost = cost;
                }
            }
        }
        return best;
    }

    private void Ruin(DayState s)
    {
        _removed.Clear();
        var assigned = 0;
        var used = 0;
        for (var k = 0; k < _m.T; k++)
        {
            assigned += s.Routes[k].Count;
            if (s.Routes[k].Count > 0) used++;
        }
        if (assigned == 0) return;
        var lsMax = Math.Min(MaxStringLength, (double)assigned / used);
        var ksMax = 4.0 * AverageRemoved / (1.0 + lsMax) - 1.0;
        var ks = (int)Math.Floor(_rng.NextDouble() * Math.Max(1.0, ksMax)) + 1;
        var seed = _rng.Next(_m.O);
        var ruined = 0;
        foreach (var c in _m.Neighbours[seed])
        {
            if (ruined >= ks) break;
            var k = s.TechOf[c];
            if (k < 0 || _ruined[k]) continue;
            var route = s.Routes[k];
            var pos = route.IndexOf(c);
            var lMax = Math.Min(route.Count, lsMax);
            var l = Math.Min(route.Count, (int)Math.Floor(_rng.NextDouble() * lMax) + 1);
            var start = _rng.Between(Math.Max(0, pos - l + 1), Math.Min(pos, route.Count - l));
            for (var i = start; i < start + l; i++)
            {
                _removed.Add(route[i]);
                s.TechOf[route[i]] = -1;
            }
            route.RemoveRange(start, l);
            s.Refresh(k);
            _ruined[k] = true;
            ruined++;
        }
        Array.Clear(_ruined);
    }

    // Pinned orders first (their technician must keep room for them), then urgent ones; within a priority, by one of: random, earliest deadline, narrowest window.
    private void Recreate(DayState s, List<int> orders)
    {
        var draw = _rng.Next(10);
        var keys = new double[orders.Count];
        for (var j = 0; j < orders.Count; j++)
        {
            var i = orders[j];
            var noise = _rng.NextDouble();
            var key = draw switch
            {
                < 5 => noise,
                < 8 => Math.Min(_m.Deadline[i], 1e5) + noise,
                _ => _m.WinEnd[i] - _m.WinStart[i] + noise,
            };
            keys[j] = (_m.Pinned[i] >= 0 ? 0 : _m.Urgent[i] ? 1e7 : 2e7) + key;
        }
        var order = orders.ToArray();
        Array.Sort(keys, order);
        foreach (var i in order)
        {
            var (k, p, _) = BestInsertion(s, i, BlinkRate);
            if (k < 0) continue;
            s.Routes[k].Insert(p, i);
            s.TechOf[i] = k;
            s.Refresh(k);
        }
    }

    public (int Tech, int Position, double Delta) BestInsertion(DayState s, int order, double blink, int excludeTech = -1)
    {
        var bestDelta = double.MaxValue;
        int bestK = -1, bestP = -1;
        for (var k = 0; k < _m.T; k++)
        {
            if (k == excludeTech || !_m.CanServe(order, k)) continue;
            var (p, delta) = BestPositionIn(s, k, order, blink);
            if (p >= 0 && delta < bestDelta) { bestDelta = delta; bestK = k; bestP = p; }
        }
        return (bestK, bestP, bestDelta);
    }

    public (int Position, double Delta) BestPositionIn(DayState s, int k, int order, double blink,
        int firstPosition = 0, double holdUntil = double.NegativeInfinity)
    {
        var route = CollectionsMarshal.AsSpan(s.Routes[k]);
        var bestDelta = double.MaxValue;
        var bestP = -1;
        var cache = s.Cache[k];
        var latestStart = _m.WinEnd[order];
        for (var p = firstPosition; p <= route.Length; p++)
        {
            if (p > 0 && cache.Ends[p - 1] > latestStart) break; // every later position starts even later
            if (blink > 0 && _rng.NextDouble() < blink) continue;
            if (!_m.TryInsert(k, route, cache, p, order, holdUntil, out var cost)) continue;
            var delta = cost - s.RouteCost[k];
            if (delta < bestDelta) { bestDelta = delta; bestP = p; }
        }
        return (bestP, bestDelta);
    }
}
