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
    // when no iteration budget is given (it is a constant, not a measurement, so runs stay reproducible).
    private const double PlannedIterationsPerSecondAt100 = 30_000;

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
        var customers = instance.CustomerCount;
        var budget = options.MaxIterations
            ?? (long)Math.Max(1000, limit.TotalSeconds * PlannedIterationsPerSecondAt100 * 100.0 / customers);
        bool TimeUp() => clock.Elapsed >= limit;

        var best = new Plan(m);
        var all = Enumerable.Range(1, customers).ToList();
        ops.Recreate(best, all, m.N);
        var iterations = 0L;
        var unit = best.Distance / (customers + best.TourCount);
        var current = new Plan(m);
        var candidate = new Plan(m);

        // 1. A short distance-only annealing with any number of routes, so the fleet phase starts from a solution
        //    with a good structure (on clustered instances, removing routes from a poor one leaves it poor).
        current.CopyFrom(best);
        var warm = (long)(budget * p.WarmUpShare);
        Anneal(warm, m.N);

        // 2. Fleet minimisation.
        var fleetEnd = iterations + (long)(budget * p.FleetShare);
        var s = new Plan(m);
        var absence = new long[m.N];
        var lowerBound = instance.CapacityLowerBound();
        var removedTour = new List<int>();
        while (iterations < fleetEnd && best.TourCount > lowerBound && !TimeUp())
        {
            s.CopyFrom(best);
            s.RemoveTour(SmallestTour(s, rng), removedTour);
            s.Absent.AddRange(removedTour);
            removedTour.Clear();
            while (iterations < fleetEnd && !TimeUp())
            {
                candidate.CopyFrom(s);
                ops.Ruin(candidate);
                // The fleet target is s's route count: a route the ruin empties may be opened again.
                ops.Recreate(candidate, ops.Removed, s.TourCount);
                iterations++;
                if (candidate.Absent.Count < s.Absent.Count || Sum(absence, candidate.Absent) < Sum(absence, s.Absent))
                    (s, candidate) = (candidate, s);
                foreach (var c in s.Absent) absence[c]++;
                if (s.Absent.Count == 0)
                {
                    best.CopyFrom(s);
                    break;
                }
            }
        }

        // 3. Distance minimisation; the fleet never grows past the best found. Time left after the planned schedule
        //    goes to further annealing runs of the same length, each restarting from the best solution.
        var cycle = Math.Max(1, budget - iterations);
        while (!TimeUp() && (options.MaxIterations is null || iterations < options.MaxIterations))
        {
            current.CopyFrom(best);
            Anneal(cycle, best.TourCount);
        }

        // `best` stays hierarchical: fewer routes, then shorter.
        void Anneal(long length, int maxTours)
        {
            var annealing = new Annealing(p.StartTemperature * unit, p.EndTemperature * unit, length);
            var from = iterations;
            while (iterations - from < length && !TimeUp() && (options.MaxIterations is null || iterations < options.MaxIterations))
            {
                candidate.CopyFrom(current);
                ops.Ruin(candidate);
                ops.Recreate(candidate, ops.Removed, maxTours);
                iterations++;
                if (candidate.Absent.Count > 0) continue;
                if (Annealing.Accept(candidate.Distance, current.Distance, annealing.Temperature(iterations - from), rng))
                {
                    (current, candidate) = (candidate, current);
                    if (current.TourCount < best.TourCount ||
                        (current.TourCount == best.TourCount && current.Distance < best.Distance - 1e-9))
                        best.CopyFrom(current);
                }
            }
        }

        var routes = best.ToRoutes(instance);
        var check = SolutionChecker.Check(instance, routes);
        return new VrptwResult(instance.Name, routes, check.Vehicles, check.Distance, iterations, clock.Elapsed);
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
