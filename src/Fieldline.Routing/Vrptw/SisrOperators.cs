using Fieldline.Routing.Search;

namespace Fieldline.Routing.Vrptw;

// Slack Induction by String Removals (Christiaens & Vanden Berghe, 2020): remove a few strings of consecutive
// customers from routes near a random seed customer, then reinsert the customers greedily, in a random order
// family, each at its cheapest position but skipping ("blinking" past) every position with a small probability.
internal sealed class SisrOperators
{
    private readonly VrptwModel _m;
    private readonly Rng _rng;
    private readonly SisrParameters _p;
    private readonly bool[] _ruined;
    private readonly bool[] _removed;
    private readonly List<int> _ruinedTours = [];
    private double[] _keys;
    private int[] _order;

    public SisrOperators(VrptwModel m, Rng rng, SisrParameters p)
    {
        _m = m;
        _rng = rng;
        _p = p;
        _ruined = new bool[m.N];
        _removed = new bool[m.N];
        _keys = new double[m.N];
        _order = new int[m.N];
    }

    public List<int> Removed { get; } = [];

    public void Ruin(Plan plan)
    {
        Removed.Clear();
        if (plan.TourCount == 0) return;
        var routed = 0;
        for (var t = 0; t < plan.TourCount; t++) routed += plan.Tours[t].Count;
        if (routed == 0) return;
        var lsMax = Math.Min(_p.MaxStringLength, (double)routed / plan.TourCount);
        var ksMax = 4.0 * _p.AverageRemoved / (1.0 + lsMax) - 1.0;
        var ks = (int)Math.Floor(_rng.NextDouble() * Math.Max(ksMax, 1.0)) + 1;

        int seed;
        do seed = 1 + _rng.Next(_m.N - 1); while (plan.TourOf[seed] < 0);

        _ruinedTours.Clear();
        foreach (var c in _m.Neighbours[seed])
        {
            if (_ruinedTours.Count >= ks) break;
            var t = plan.TourOf[c];
            if (t < 0 || _ruined[t] || _removed[c]) continue;
            var tour = plan.Tours[t];
            var lMax = Math.Min(tour.Count, lsMax);
            var l = Math.Min(tour.Count, (int)Math.Floor(_rng.NextDouble() * lMax) + 1);
            if (tour.Count > l && _rng.NextDouble() < _p.SplitRate) RemoveSplitString(tour, plan.PosOf[c], l);
            else RemoveString(tour, plan.PosOf[c], l);
            _ruined[t] = true;
            _ruinedTours.Add(t);
        }

        foreach (var t in _ruinedTours)
        {
            _ruined[t] = false;
            var tour = plan.Tours[t];
            var w = 0;
            for (var i = 0; i < tour.Count; i++)
            {
                var c = tour.Nodes[i];
                if (_removed[c]) { plan.TourOf[c] = -1; continue; }
                tour.Nodes[w++] = c;
            }
            tour.Count = w;
            plan.Refresh(t);
        }
        foreach (var c in Removed) _removed[c] = false;
        plan.Compact();
    }

    private void RemoveString(Tour tour, int pos, int l)
    {
        var start = _rng.Between(Math.Max(0, pos - l + 1), Math.Min(pos, tour.Count - l));
        for (var i = start; i < start + l; i++) Mark(tour.Nodes[i]);
    }

    // Removes l customers from a string of l + m, keeping a random block of m in place, so that removals are not
    // always contiguous (the "split string" of SISR).
    private void RemoveSplitString(Tour tour, int pos, int l)
    {
        var m = 1;
        while (l + m < tour.Count && _rng.NextDouble() < _p.SplitDepth) m++;
        var total = l + m;
        var start = _rng.Between(Math.Max(0, pos - total + 1), Math.Min(pos, tour.Count - total));
        var keepFrom = start + _rng.Between(0, l);
        for (var i = start; i < start + total; i++)
            if (i < keepFrom || i >= keepFrom + m) Mark(tour.Nodes[i]);
    }

    private void Mark(int c)
    {
        _removed[c] = true;
        Removed.Add(c);
    }

    // Reinserts `customers` (and the plan's absent ones). Opens a new route only while the plan has fewer than
    // maxTours; whatever cannot be placed stays absent. With stopWhenAbsent the first customer that cannot be placed
    // ends the recreate (the rest are left absent too): for callers that reject any plan with absent customers.
    public void Recreate(Plan plan, List<int> customers, int maxTours, bool stopWhenAbsent = false)
    {
        var count = 0;
        if (_order.Length < customers.Count + plan.Absent.Count)
        {
            _order = new int[customers.Count + plan.Absent.Count];
            _keys = new double[_order.Length];
        }
        foreach (var c in customers) _order[count++] = c;
        foreach (var c in plan.Absent) _order[count++] = c;
        plan.Absent.Clear();
        SortForInsertion(count);

        var d = _m.D;
        var n = _m.N;
        // Positions to evaluate before the next blink: geometric, the same law as one coin per position, one draw.
        var logKeep = Math.Log(1 - _p.BlinkRate);
        var untilBlink = NextGap(logKeep);
        for (var k = 0; k < count; k++)
        {
            var c = _order[k];
            var demand = _m.Demand[c];
            var ready = _m.Ready[c];
            var due = _m.Due[c];
            var service = _m.Service[c];
            var best = double.MaxValue;
            int bestTour = -1, bestPos = -1;
            for (var t = 0; t < plan.TourCount; t++)
            {
                var tour = plan.Tours[t];
                if (tour.Load + demand > _m.Capacity) continue;
                var nodes = tour.Nodes;
                var start = tour.Start;
                var latest = tour.Latest;
                var prev = 0;
                for (var p = 0; p <= tour.Count; p++)
                {
                    var next = p == tour.Count ? 0 : nodes[p];
                    var departPrev = start[p] + _m.Service[prev];
                    if (departPrev > due) break; // later positions only start later
                    if (--untilBlink < 0) { untilBlink = NextGap(logKeep); prev = next; continue; }
                    var toC = d[prev * n + c];
                    var arrive = departPrev + toC;
                    if (arrive <= due)
                    {
                        var cToNext = d[c * n + next];
                        var begin = arrive > ready ? arrive : ready;
                        if (begin + service + cToNext <= latest[p + 1])
                        {
                            var delta = toC + cToNext - d[prev * n + next];
                            if (delta < best) { best = delta; bestTour = t; bestPos = p; }
                        }
                    }
                    prev = next;
                }
            }
            if (bestTour >= 0)
            {
                plan.Tours[bestTour].Insert(bestPos, c);
                plan.Refresh(bestTour);
            }
            else if (plan.TourCount < maxTours) plan.AddTour(c);
            else
            {
                plan.Absent.Add(c);
                if (stopWhenAbsent)
                {
                    for (var rest = k + 1; rest < count; rest++) plan.Absent.Add(_order[rest]);
                    break;
                }
            }
        }
        plan.UpdateDistance();
    }

    private int NextGap(double logKeep) =>
        logKeep < 0 ? (int)Math.Min(int.MaxValue, Math.Log(1 - _rng.NextDouble()) / logKeep) : int.MaxValue;

    // Insertion order by weights (random 4, larger demand 4, far from the depot 2, close to the depot 1), ties random.
    private void SortForInsertion(int count)
    {
        var draw = _rng.Next(11);
        for (var i = 0; i < count; i++)
        {
            var c = _order[i];
            var noise = _rng.NextDouble();
            _keys[i] = draw switch
            {
                < 4 => noise,
                < 8 => -_m.Demand[c] + noise * 0.5,
                < 10 => -_m.D[c] - noise * 1e-6,
                _ => _m.D[c] + noise * 1e-6,
            };
        }
        Array.Sort(_keys, _order, 0, count);
    }
}
