using System.Diagnostics;
using Fieldline.Routing.Search;

namespace Fieldline.Routing.Vrptw;

public sealed record SolverOptions
{
    public TimeSpan? TimeLimit { get; init; }
    // Plans the annealing schedule; with no time limit it is also the stopping rule (fully reproducible runs).
    public long? MaxIterations { get; init; }
    public long Seed { get; init; } = 1;
    public SisrParameters Parameters { get; init; } = new();
}

public sealed record VrptwResult(
    string Instance, IReadOnlyList<IReadOnlyList<int>> Routes, int Vehicles, double Distance, long Iterations, TimeSpan Elapsed);

// Construction by greedy insertion, then fleet minimisation (drop a route, keep its customers "absent" and let SISR
// ruin-and-recreate absorb them, steering with absence counters), then distance minimisation by SISR under
// simulated annealing. Decisions depend only on the seed and the iteration count; the clock only stops the run.
public static class VrptwSolver
{
    // Iterations we plan for per second of time limit on a 100-customer instance; only sizes the annealing schedule
    // when no iteration budget is given (it is a constant, not a measurement, so runs stay reproducible). On the
    // 2-core benchmark machine one search thread does 35-190 k iterations/s on 100 customers depending on the
    // instance (long routes are the slowest) and on the other load; 40 k keeps the planned schedule within the
    // limit on the slow instances under load, and time left over goes to further runs.
    private const double PlannedIterationsPerSecondAt100 = 40_000;

    public static VrptwResult Solve(VrptwInstance instance, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(options);
        if (options.TimeLimit is null && options.MaxIterations is null)
            throw new ArgumentException("Give a time limit, an iteration limit, or both.", nameof(options));
        var clock = Stopwatch.StartNew();
        var limit = options.TimeLimit ?? TimeSpan.MaxValue;
        var p = options.Parameters;
        var m = new VrptwModel(instance);
        var rng = new Rng(options.Seed);
        var ops = new SisrOperators(m, rng, p);
        var ls = p.LocalSearchNeighbours > 0 ? new LocalSearch(m, p.LocalSearchNeighbours) : null;
        var customers = instance.CustomerCount;
        var budget = options.MaxIterations
            ?? (long)Math.Max(1000, limit.TotalSeconds * PlannedIterationsPerSecondAt100 * 100.0 / customers);
        var iterations = 0L;
        bool Stop() => clock.Elapsed >= limit || (options.MaxIterations is { } cap && iterations >= cap);

        var best = new Plan(m);
        ops.Recreate(best, Enumerable.Range(1, customers).ToList(), m.N);
        var unit = best.Distance / (customers + best.TourCount);
        var current = new Plan(m);
        var candidate = new Plan(m);

        // 1. A short distance-only annealing with any number of routes, so the fleet phase starts from a solution
        //    with a good structure (on clustered instances, removing routes from a poor one leaves it poor).
        current.CopyFrom(best);
        Anneal((long)(budget * p.WarmUpShare), m.N, p.StartTemperature, polish: false);

        // 2. Fleet minimisation: drop the smallest route and let ruin-and-recreate absorb its customers (steered by
        //    absence counters); repeat while it succeeds. There is no early exit on a stall: an attempt can go tens
        //    of thousands of iterations without progress before it succeeds (RC106, R104 in our measurements).
        var fleetEnd = iterations + (long)(budget * p.FleetShare);
        var s = new Plan(m);
        var absence = new long[m.N];
        var lowerBound = instance.CapacityLowerBound();
        var removedTour = new List<int>();
        while (iterations < fleetEnd && best.TourCount > lowerBound && !Stop() && RemoveRoute(best, fleetEnd))
            best.CopyFrom(s);

        // 3. Distance minimisation with the fleet capped at the best found: one annealing run over the rest of the
        //    planned budget. Time left after it goes to further runs of the same length, each from the best solution
        //    and starting at RestartTemperature (as hot as the first: cooler restarts could not leave a poor basin).
        var length = Math.Max(1, budget - iterations);
        current.CopyFrom(best);
        Anneal(length, best.TourCount, p.StartTemperature, polish: true);
        while (!Stop())
        {
            current.CopyFrom(best);
            Anneal(length, best.TourCount, p.RestartTemperature, polish: true);
        }

        var routes = best.ToRoutes(instance);
        var check = SolutionChecker.Check(instance, routes);
        return new VrptwResult(instance.Name, routes, check.Vehicles, check.Distance, iterations, clock.Elapsed);

        // One route fewer than `from`; on success `s` holds the complete plan.
        bool RemoveRoute(Plan from, long end)
        {
            s.CopyFrom(from);
            s.RemoveTour(SmallestTour(s, rng), removedTour);
            s.Absent.AddRange(removedTour);
            removedTour.Clear();
            candidate.CopyFrom(s);
            while (iterations < end && !Stop())
            {
                ops.Ruin(candidate);
                // The fleet target is s's route count: a route the ruin empties may be opened again.
                ops.Recreate(candidate, ops.Removed, s.TourCount);
                iterations++;
                if (candidate.Absent.Count < s.Absent.Count || Sum(absence, candidate.Absent) < Sum(absence, s.Absent))
                    (s, candidate) = (candidate, s);
                candidate.SyncFrom(s);
                foreach (var c in s.Absent) absence[c]++;
                if (s.Absent.Count == 0) return true;
            }
            return false;
        }

        // `best` stays hierarchical: fewer routes, then shorter. Each new best is polished by the local search.
        void Anneal(long length, int maxTours, double startTemperature, bool polish)
        {
            var annealing = new Annealing(startTemperature * unit, p.EndTemperature * unit, length);
            var from = iterations;
            candidate.CopyFrom(current);
            while (iterations - from < length && !Stop())
            {
                ops.Ruin(candidate);
                // A candidate that leaves anyone out is rejected, so its recreate stops at the first such customer.
                ops.Recreate(candidate, ops.Removed, maxTours, stopWhenAbsent: true);
                iterations++;
                if (candidate.Absent.Count == 0 &&
                    Annealing.Accept(candidate.Distance, current.Distance, annealing.Temperature(iterations - from), rng))
                {
                    (current, candidate) = (candidate, current);
                    if (current.TourCount < best.TourCount ||
                        (current.TourCount == best.TourCount && current.Distance < best.Distance - 1e-9))
                    {
                        if (polish) ls?.Improve(current);
                        best.CopyFrom(current);
                    }
                }
                // The candidate differs from the current solution only in the routes this iteration touched.
                candidate.SyncFrom(current);
            }
        }
    }

    private static int SmallestTour(Plan plan, Rng rng)
    {
        var best = -1;
        var bestKey = double.MaxValue;
        for (var t = 0; t < plan.TourCount; t++)
        {
            var key = plan.Tours[t].Count + rng.NextDouble();
            if (key < bestKey) { bestKey = key; best = t; }
        }
        return best;
    }

    private static long Sum(long[] absence, List<int> customers)
    {
        long total = 0;
        foreach (var c in customers) total += absence[c];
        return total;
    }
}
