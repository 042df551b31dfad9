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
    private const double PlannedIterationsPerSecondAt100 = 60_000;

    private static readonly bool Trace = Environment.GetEnvironmentVariable("FIELDLINE_TRACE") == "1";

    public static VrptwResult Solve(VrptwInstance instance, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(options);
        if (options.TimeLimit is null && options.MaxIterations is null)
            throw new ArgumentException("Give a time limit, an iteration limit, or both.", nameof(options));
        var clock = Stopwatch.StartNew();
        var limit = options.TimeLimit ?? TimeSpan.MaxValue;
        var p = options.Parameters;
        if (Environment.GetEnvironmentVariable("FL_T0") is { } t0) p = p with { StartTemperature = double.Parse(t0, System.Globalization.CultureInfo.InvariantCulture) };
        if (Environment.GetEnvironmentVariable("FL_TF") is { } tf) p = p with { EndTemperature = double.Parse(tf, System.Globalization.CultureInfo.InvariantCulture) };
        if (Environment.GetEnvironmentVariable("FL_FLEET") is { } fl) p = p with { FleetShare = double.Parse(fl, System.Globalization.CultureInfo.InvariantCulture) };
        if (Environment.GetEnvironmentVariable("FL_SD") is { } sd) p = p with { SplitDepth = double.Parse(sd, System.Globalization.CultureInfo.InvariantCulture) };
        var m = new VrptwModel(instance);
        var rng = new Rng(options.Seed);
        var ops = new SisrOperators(m, rng, p);
        var customers = instance.CustomerCount;
        var budget = options.MaxIterations
            ?? (long)Math.Max(1000, limit.TotalSeconds * PlannedIterationsPerSecondAt100 * 100.0 / customers);
        var fleetBudget = (long)(budget * p.FleetShare);
        bool TimeUp() => clock.Elapsed >= limit;

        var best = new Plan(m);
        var all = Enumerable.Range(1, customers).ToList();
        ops.Recreate(best, all, m.N);
        var iterations = 0L;

        // Fleet minimisation.
        var s = new Plan(m);
        var candidate = new Plan(m);
        var absence = new long[m.N];
        var lowerBound = instance.CapacityLowerBound();
        var removedTour = new List<int>();
        while (iterations < fleetBudget && best.TourCount > lowerBound && !TimeUp())
        {
            s.CopyFrom(best);
            s.RemoveTour(SmallestTour(s, rng), removedTour);
            s.Absent.AddRange(removedTour);
            removedTour.Clear();
            while (iterations < fleetBudget && !TimeUp())
            {
                candidate.CopyFrom(s);
                ops.Ruin(candidate);
                // The fleet target is s's route count: a route the ruin empties may be opened again.
                ops.Recreate(candidate, ops.Removed, s.TourCount);
                iterations++;
                if (candidate.Absent.Count < s.Absent.Count || Sum(absence, candidate.Absent) < Sum(absence, s.Absent))
                    (s, candidate) = (candidate, s);
                foreach (var c in s.Absent) absence[c]++;
                if (Trace && iterations % 100 == 0) Console.Error.WriteLine($"  it {iterations} tours {s.TourCount} absent [{string.Join(",", s.Absent)}] cand [{string.Join(",", candidate.Absent)}] candTours {candidate.TourCount}");
                if (s.Absent.Count == 0)
                {
                    if (Trace) Console.Error.WriteLine($"fleet {s.TourCount} at {iterations} {clock.Elapsed.TotalSeconds:0.00}s");
                    best.CopyFrom(s);
                    break;
                }
            }
        }

        if (Trace) Console.Error.WriteLine($"fleet phase ends {best.TourCount} {best.Distance:0.00} at {iterations} {clock.Elapsed.TotalSeconds:0.00}s");
        // Distance minimisation; the fleet never grows past the best found.
        var current = new Plan(m);
        current.CopyFrom(best);
        var unit = best.Distance / (customers + best.TourCount);
        var cycle = Math.Max(1, budget - iterations);
        var cycleStart = iterations;
        var startT = p.StartTemperature * unit;
        var annealing = new Annealing(startT, p.EndTemperature * unit, cycle);
        while (!TimeUp() && (options.MaxIterations is null || iterations < options.MaxIterations))
        {
            if (iterations - cycleStart >= cycle)
            {
                // Time left after the planned schedule: anneal again from the best, cooler and shorter.
                cycleStart = iterations;
                cycle = Math.Max(1, cycle / 2);
                startT *= 0.5;
                annealing = new Annealing(startT, p.EndTemperature * unit, cycle);
                current.CopyFrom(best);
            }
            candidate.CopyFrom(current);
            ops.Ruin(candidate);
            ops.Recreate(candidate, ops.Removed, best.TourCount);
            iterations++;
            if (candidate.Absent.Count > 0) continue;
            if (Annealing.Accept(candidate.Distance, current.Distance, annealing.Temperature(iterations - cycleStart), rng))
            {
                (current, candidate) = (candidate, current);
                if (current.TourCount < best.TourCount ||
                    (current.TourCount == best.TourCount && current.Distance < best.Distance - 1e-9))
                    best.CopyFrom(current);
            }
        }

        if (Trace) Console.Error.WriteLine($"end {best.TourCount} {best.Distance:0.00} at {iterations} {clock.Elapsed.TotalSeconds:0.00}s");
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
