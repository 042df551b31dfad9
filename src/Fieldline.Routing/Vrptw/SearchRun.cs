using System.Diagnostics;
using Fieldline.Routing.Search;

namespace Fieldline.Routing.Vrptw;

// One independent search from scratch: construction by greedy insertion, a short distance-only warm-up, fleet
// minimisation (drop a route, keep its customers "absent" and let SISR ruin-and-recreate absorb them, steered by
// absence counters), then distance minimisation by SISR under simulated annealing with the fleet fixed.
//
// The schedule is planned in iterations. A deadline only speeds it up, and only once the run is behind it (its
// share of the time used exceeds its share of the iterations done by more than a grace for start-up and JIT): then
// the stages end on time and the annealing progress is the larger of its iteration and time shares. So a machine
// that keeps up follows the iteration schedule exactly (the seed reproduces the run), and a slow one still cools
// down and finishes by the deadline.
internal sealed class SearchRun
{
    private readonly VrptwModel _m;
    private readonly SisrParameters _p;
    private readonly Rng _rng;
    private readonly SisrOperators _ops;
    private readonly LocalSearch? _ls;
    private readonly Stopwatch _clock;
    private readonly TimeSpan _deadline;
    private readonly long _budget;
    private Plan _best, _current, _candidate, _s;
    private readonly long[] _absence;
    private readonly List<int> _removedTour = [];
    private readonly double _unit;
    private TimeSpan _runStart;
    private long _slice = long.MaxValue;
    private const double Grace = 0.05;

    public SearchRun(VrptwModel m, SisrParameters p, LocalSearch? ls, long seed, long budget, Stopwatch clock, TimeSpan deadline)
    {
        _m = m;
        _p = p;
        _ls = ls;
        _rng = new Rng(seed);
        _ops = new SisrOperators(m, _rng, p);
        _clock = clock;
        _deadline = deadline;
        _budget = budget;
        _best = new Plan(m);
        _current = new Plan(m);
        _candidate = new Plan(m);
        _s = new Plan(m);
        _absence = new long[m.N];
        var customers = m.N - 1;
        _ops.Recreate(_best, Enumerable.Range(1, customers).ToList(), m.N);
        _unit = _best.Distance / (customers + _best.TourCount);
    }

    public long Iterations { get; private set; }

    // True once the clock, not the iteration count, has decided anything (a stage's progress, its end, or the stop):
    // the run is then not reproducible from its seed.
    public bool FollowedClock { get; private set; }

    public Plan Best => _best;

    // Behind schedule: more of the run's time used than of its iterations, by more than the grace.
    private bool Behind() =>
        _slice != long.MaxValue && (_clock.Elapsed - _runStart).Ticks > ((double)Iterations / _budget + Grace) * _slice;

    private bool Stop()
    {
        if (Iterations >= _budget) return true;
        if (_clock.Elapsed < _deadline) return false;
        FollowedClock = true;
        return true;
    }

    // `fleetToBeat` is the fewest routes an earlier run reached: this run keeps removing routes (past its fleet
    // share, up to its whole budget) until it has no more, since with more routes it cannot win.
    public void Execute(int? fleetToBeat, int lowerBound)
    {
        var start = _clock.Elapsed;
        var slice = _deadline == TimeSpan.MaxValue ? TimeSpan.MaxValue : _deadline - start;
        _runStart = start;
        if (slice != TimeSpan.MaxValue) _slice = Math.Max(1, slice.Ticks);
        TimeSpan At(double share) => slice == TimeSpan.MaxValue ? TimeSpan.MaxValue : start + slice * share;

        // 1. Warm-up: distance-only annealing with any number of routes, so the fleet phase starts from a solution
        //    with a good structure (on clustered instances, removing routes from a poor one leaves it poor).
        _current.CopyFrom(_best);
        Anneal((long)(_budget * _p.WarmUpShare), At(_p.WarmUpShare), _m.N, _p.StartTemperature);

        // 2. Fleet minimisation: drop the smallest route and let ruin-and-recreate absorb its customers; repeat while
        //    it succeeds. There is no early exit on a stall: an attempt can go tens of thousands of iterations
        //    without progress before it succeeds (RC106, R104 in our measurements).
        var fleetEnd = Iterations + (long)(_budget * _p.FleetShare);
        var fleetTime = At(_p.WarmUpShare + _p.FleetShare);
        while (_best.TourCount > lowerBound && !Stop())
        {
            var chasing = fleetToBeat is { } f && _best.TourCount > f; // an earlier run has fewer routes
            var end = chasing ? _budget : fleetEnd;
            var endTime = chasing ? _deadline : fleetTime;
            if (Iterations >= end) break;
            if (_clock.Elapsed >= endTime && Behind()) { FollowedClock = true; break; }
            if (!RemoveRoute(end, endTime)) break;
            _best.CopyFrom(_s);
        }

        // 3. Distance minimisation with the fleet capped at the best found: one annealing run over the rest of the
        //    budget; each new best is polished by the local search.
        _current.CopyFrom(_best);
        Anneal(_budget - Iterations, _deadline, _best.TourCount, _p.StartTemperature, polish: true);
    }

    // One route fewer than the best; on success `_s` holds the complete plan.
    private bool RemoveRoute(long end, TimeSpan endTime)
    {
        _s.CopyFrom(_best);
        _s.RemoveTour(SmallestTour(_s), _removedTour);
        _s.Absent.AddRange(_removedTour);
        _removedTour.Clear();
        _candidate.CopyFrom(_s);
        while (Iterations < end && !Stop())
        {
            if (_clock.Elapsed >= endTime && Behind()) { FollowedClock = true; break; }
            _ops.Ruin(_candidate);
            // The fleet target is s's route count: a route the ruin empties may be opened again.
            _ops.Recreate(_candidate, _ops.Removed, _s.TourCount);
            Iterations++;
            if (_candidate.Absent.Count < _s.Absent.Count ||
                Sum(_candidate.Absent) < Sum(_s.Absent))
                (_s, _candidate) = (_candidate, _s);
            _candidate.SyncFrom(_s);
            foreach (var c in _s.Absent) _absence[c]++;
            if (_s.Absent.Count == 0) return true;
        }
        return false;
    }

    // `_best` stays hierarchical: fewer routes, then shorter.
    private void Anneal(long length, TimeSpan endTime, int maxTours, double startTemperature, bool polish = false)
    {
        if (length <= 0) return;
        var annealing = new Annealing(startTemperature * _unit, _p.EndTemperature * _unit);
        var from = Iterations;
        var fromTime = _clock.Elapsed;
        var timed = endTime != TimeSpan.MaxValue;
        var span = timed ? (endTime - fromTime).Ticks : 1;
        _candidate.CopyFrom(_current);
        while (Iterations - from < length && !Stop())
        {
            var now = _clock.Elapsed;
            var behind = timed && Behind();
            if (behind && now >= endTime) { FollowedClock = true; break; }
            var progress = (double)(Iterations - from) / length;
            if (behind && span > 0)
            {
                var timeShare = (double)(now - fromTime).Ticks / span;
                if (timeShare > progress) { progress = timeShare; FollowedClock = true; }
            }
            _ops.Ruin(_candidate);
            // A candidate that leaves anyone out is rejected, so its recreate stops at the first such customer.
            _ops.Recreate(_candidate, _ops.Removed, maxTours, stopWhenAbsent: true);
            Iterations++;
            if (_candidate.Absent.Count == 0 &&
                Annealing.Accept(_candidate.Distance, _current.Distance, annealing.Temperature(progress), _rng))
            {
                (_current, _candidate) = (_candidate, _current);
                if (_current.TourCount < _best.TourCount ||
                    (_current.TourCount == _best.TourCount && _current.Distance < _best.Distance - 1e-9))
                {
                    if (polish) _ls?.Improve(_current);
                    _best.CopyFrom(_current);
                }
            }
            // The candidate differs from the current solution only in the routes this iteration touched.
            _candidate.SyncFrom(_current);
        }
    }

    private int SmallestTour(Plan plan)
    {
        var best = -1;
        var bestKey = double.MaxValue;
        for (var t = 0; t < plan.TourCount; t++)
        {
            var key = plan.Tours[t].Count + _rng.NextDouble();
            if (key < bestKey) { bestKey = key; best = t; }
        }
        return best;
    }

    private long Sum(List<int> customers)
    {
        long total = 0;
        foreach (var c in customers) total += _absence[c];
        return total;
    }
}
