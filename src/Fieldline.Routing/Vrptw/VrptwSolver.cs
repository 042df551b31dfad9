using System.Diagnostics;

namespace Fieldline.Routing.Vrptw;

public sealed record SolverOptions
{
    public TimeSpan? TimeLimit { get; init; }
    // Plans the search schedule; with no time limit it is also the stopping rule (fully reproducible runs).
    public long? MaxIterations { get; init; }
    public long Seed { get; init; } = 1;
    public SisrParameters Parameters { get; init; } = new();
}

// FollowedClock: the machine could not keep up with the planned iterations, so the clock shaped the schedule and
// the same seed may give another result; false means the run is reproducible from its seed and iteration budget.
public sealed record VrptwResult(
    string Instance, IReadOnlyList<IReadOnlyList<int>> Routes, int Vehicles, double Distance, long Iterations, TimeSpan Elapsed,
    bool FollowedClock = false);

// Several independent searches (SearchRun: construction, fleet minimisation, distance annealing), each with an equal
// share of the budget, and the best by fewest vehicles, then shortest distance. Independent runs, because a single
// run at a tight fleet (two or three long routes, or the minimum fleet on R1) sometimes settles in a poor basin
// that no amount of further annealing leaves; in our screens the best of three runs was closer to the best-known
// distances than one run three times as long (see src/Fieldline.Routing/README.md).
public static class VrptwSolver
{
    // Iterations planned per second of time limit on a 100-customer instance, when only a time limit is given. It
    // is a constant, not a measurement, so that a seed reproduces the run on any machine that keeps up. One thread
    // on the 2-core benchmark machine does about 80-190 k iterations/s on 100 customers (long routes with wide
    // windows, C2, R2 and RC2, are the slowest), so 65 k leaves those about 20 % to spare: each run must finish its
    // share of the iterations within its share of the limit. A machine that cannot keep up follows the clock
    // instead (SearchRun): every run still cools down and finishes within its share of the limit, and the result
    // then depends on the timing. At 75 k, RC207 was already partly clock-driven here. Larger instances get
    // √(100 / customers) of it: an iteration removes about ten customers whatever the size, and on the 200-customer
    // instances one did 76-113 k iterations/s, so scaling by 100 / customers left half the time limit unused.
    private const double PlannedIterationsPerSecondAt100 = 65_000;

    public static VrptwResult Solve(VrptwInstance instance, SolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(options);
        if (options.TimeLimit is null && options.MaxIterations is null)
            throw new ArgumentException("Give a time limit, an iteration limit, or both.", nameof(options));
        var clock = Stopwatch.StartNew();
        var p = options.Parameters;
        var m = new VrptwModel(instance);
        var ls = p.LocalSearchNeighbours > 0 ? new LocalSearch(m, p.LocalSearchNeighbours) : null;
        var customers = instance.CustomerCount;
        var budget = options.MaxIterations
            ?? (long)Math.Max(1000, options.TimeLimit!.Value.TotalSeconds * PlannedIterationsPerSecondAt100 * Math.Sqrt(100.0 / customers));
        var runs = Math.Max(1, p.Runs);
        var lowerBound = instance.CapacityLowerBound();

        Plan? best = null;
        var iterations = 0L;
        var followedClock = false;
        for (var k = 0; k < runs; k++)
        {
            // Run k ends by (k + 1) / runs of the time limit, so a slow machine still completes every run.
            var deadline = options.TimeLimit is { } limit ? limit * (k + 1) / runs : TimeSpan.MaxValue;
            if (k > 0 && clock.Elapsed >= deadline) { followedClock = true; continue; }
            var share = budget / runs + (k == runs - 1 ? budget % runs : 0);
            var run = new SearchRun(m, p, ls, RunSeed(options.Seed, k), share, clock, deadline);
            run.Execute(best?.TourCount, lowerBound);
            iterations += run.Iterations;
            followedClock |= run.FollowedClock;
            if (best is null || run.Best.TourCount < best.TourCount ||
                (run.Best.TourCount == best.TourCount && run.Best.Distance < best.Distance - 1e-9))
                best = run.Best;
        }

        var routes = best!.ToRoutes(instance);
        var check = SolutionChecker.Check(instance, routes);
        return new VrptwResult(instance.Name, routes, check.Vehicles, check.Distance, iterations, clock.Elapsed, followedClock);
    }

    // Run 0 uses the seed itself, so a one-run configuration reproduces the single-run solver of a given seed.
    private static long RunSeed(long seed, int run) => run == 0 ? seed : unchecked(seed * 1_000_003L + run);
}
