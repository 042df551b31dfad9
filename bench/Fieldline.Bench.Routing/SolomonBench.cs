using System.Globalization;
using System.Text;
using Fieldline.Routing.Vrptw;

namespace Fieldline.Bench.Routing;

internal static class SolomonBench
{
    private sealed record Outcome(int Vehicles, double Distance, double Seconds, bool Feasible, long Iterations = 0, bool FollowedClock = false);

    public static void Run(BenchOptions options)
    {
        var bks = ReadBks(Path.Combine(options.DataDirectory, "BKS.csv"));
        var files = Directory.GetFiles(options.DataDirectory, "*.txt").OrderBy(f => Order(Path.GetFileNameWithoutExtension(f))).ToList();
        if (options.Gh200)
            files.AddRange(Directory.GetFiles(Path.Combine(options.DataDirectory, "gh200"), "*.txt").Order(StringComparer.Ordinal));
        files = files.Where(f => Selected(Path.GetFileNameWithoutExtension(f), options.Instances)).ToList();
        var limit = TimeSpan.FromSeconds(options.Seconds);
        var runFieldline = options.Solvers.Contains("fieldline");
        var runOrTools = options.Solvers.Contains("ortools");
        Console.WriteLine($"# Solomon VRPTW: {files.Count} instances, {options.Seconds:0.#} s each, seed {options.Seed}, one thread each; hierarchical objective (vehicles, then distance)");
        Console.WriteLine("| instance | BKS | Fieldline veh | Fieldline dist | gap % | s | OR-Tools veh | OR-Tools dist | gap % | s | result |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        var csv = new StringBuilder("instance,bks_vehicles,bks_distance,fl_vehicles,fl_distance,fl_seconds,fl_feasible,or_vehicles,or_distance,or_seconds,or_feasible,result,fl_iterations,fl_followed_clock\n");
        int wins = 0, ties = 0, losses = 0, flVehicles = 0, orVehicles = 0, bksVehicles = 0;
        var flGapsAtBks = new List<double>();
        var orGapsAtBks = new List<double>();
        var flGaps = new List<double>();
        var orGaps = new List<double>();
        long flIterations = 0;
        var flFollowedClock = 0;
        double flSeconds = 0;
        foreach (var file in files)
        {
            var instance = SolomonReader.Read(file);
            var name = Path.GetFileNameWithoutExtension(file);
            var best = bks.GetValueOrDefault(name);
            Outcome? fl = null, or = null;
            if (runFieldline)
            {
                var r = VrptwSolver.Solve(instance, options.Iterations is { } cap
                    ? new SolverOptions { MaxIterations = cap, Seed = options.Seed, Parameters = options.Parameters }
                    : new SolverOptions { TimeLimit = limit, Seed = options.Seed, Parameters = options.Parameters });
                var check = SolutionChecker.Check(instance, r.Routes);
                fl = new Outcome(check.Vehicles, check.Distance, r.Elapsed.TotalSeconds, check.IsFeasible, r.Iterations, r.FollowedClock);
                if (r.FollowedClock) flFollowedClock++;
                flIterations += r.Iterations;
                flSeconds += r.Elapsed.TotalSeconds;
            }
            if (runOrTools)
            {
                var (routes, elapsed) = OrToolsPeer.Solve(instance, limit, options.FirstSolution);
                var check = SolutionChecker.Check(instance, routes);
                or = new Outcome(check.Vehicles, check.Distance, elapsed.TotalSeconds, check.IsFeasible);
            }
            var result = "";
            if (fl is not null && or is not null)
            {
                var c = Compare(fl, or);
                result = c < 0 ? "win" : c == 0 ? "tie" : "loss";
                if (c < 0) wins++; else if (c == 0) ties++; else losses++;
            }
            if (best is not null) bksVehicles += best.Value.Vehicles;
            if (fl is not null) { flVehicles += fl.Vehicles; Track(fl, best, flGaps, flGapsAtBks); }
            if (or is not null) { orVehicles += or.Vehicles; Track(or, best, orGaps, orGapsAtBks); }
            Console.WriteLine($"| {name} | {Bks(best)} | {Cells(fl, best)} | {Cells(or, best)} | {result} |");
            csv.Append(CultureInfo.InvariantCulture,
                $"{name},{best?.Vehicles},{best?.Distance},{fl?.Vehicles},{fl?.Distance:0.####},{fl?.Seconds:0.###},{fl?.Feasible},{or?.Vehicles},{or?.Distance:0.####},{or?.Seconds:0.###},{or?.Feasible},{result},{fl?.Iterations},{fl?.FollowedClock}\n");
        }
        Console.WriteLine();
        var total = wins + ties + losses;
        if (total > 0)
            Console.WriteLine($"Fieldline vs OR-Tools: {wins} wins, {ties} ties, {losses} losses; beats or ties on {wins + ties}/{total} = {100.0 * (wins + ties) / total:0.0} % (target >= 75 %)");
        Console.WriteLine($"Total vehicles: best-known {bksVehicles}" + (runFieldline ? $", Fieldline {flVehicles}" : "") + (runOrTools ? $", OR-Tools {orVehicles}" : ""));
        if (runFieldline) Console.WriteLine($"Fieldline: average gap {Pct(Avg(flGaps))} % over all; {Pct(Avg(flGapsAtBks))} % on the {flGapsAtBks.Count} instances at the best-known vehicle count (target <= 1 %)");
        if (runFieldline && flSeconds > 0) Console.WriteLine($"Fieldline: {flIterations / flSeconds:0} ruin-and-recreate iterations per second on average ({flIterations:N0} in {flSeconds:0.0} s)");
        if (runFieldline && options.Iterations is null)
            Console.WriteLine($"Fieldline: {files.Count - flFollowedClock} of {files.Count} runs kept up with the planned iterations (reproducible from the seed); {flFollowedClock} followed the clock");
        if (runOrTools) Console.WriteLine($"OR-Tools:  average gap {Pct(Avg(orGaps))} % over all; {Pct(Avg(orGapsAtBks))} % on the {orGapsAtBks.Count} instances at the best-known vehicle count");
        if (options.Csv is not null) File.WriteAllText(options.Csv, csv.ToString());
    }

    // Hierarchical: fewer vehicles wins; at equal vehicles, distances within 0.005 (2 decimals) tie. Infeasible loses.
    private static int Compare(Outcome a, Outcome b)
    {
        if (a.Feasible != b.Feasible) return a.Feasible ? -1 : 1;
        if (a.Vehicles != b.Vehicles) return a.Vehicles.CompareTo(b.Vehicles);
        if (Math.Abs(a.Distance - b.Distance) < 0.005) return 0;
        return a.Distance.CompareTo(b.Distance);
    }

    private static void Track(Outcome o, (int Vehicles, double Distance)? best, List<double> gaps, List<double> gapsAtBks)
    {
        if (best is null || !o.Feasible) return;
        var gap = 100.0 * (o.Distance - best.Value.Distance) / best.Value.Distance;
        gaps.Add(gap);
        if (o.Vehicles == best.Value.Vehicles) gapsAtBks.Add(gap);
    }

    private static string Bks((int Vehicles, double Distance)? b) => b is null ? "-" : $"{b.Value.Vehicles} / {b.Value.Distance:0.00}";

    private static string Cells(Outcome? o, (int Vehicles, double Distance)? best)
    {
        if (o is null) return "- | - | - | -";
        var gap = best is null ? "-" : Pct(100.0 * (o.Distance - best.Value.Distance) / best.Value.Distance);
        return $"{o.Vehicles}{(o.Feasible ? "" : " INFEASIBLE")} | {o.Distance:0.00} | {gap} | {o.Seconds:0.0}";
    }

    private static string Pct(double value) =>
        double.IsNaN(value) ? "n/a" : Math.Round(value, 2).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);

    private static double Avg(List<double> xs) => xs.Count == 0 ? double.NaN : xs.Average();

    private static Dictionary<string, (int Vehicles, double Distance)?> ReadBks(string path)
    {
        var map = new Dictionary<string, (int, double)?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path)) return map;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            if (f.Length < 5) continue;
            map[f[0]] = (int.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture));
        }
        return map;
    }

    // C1, C2, R1, R2, RC1, RC2 in the usual order.
    private static string Order(string name) =>
        (name.StartsWith("RC", StringComparison.OrdinalIgnoreCase) ? "3" : name.StartsWith('R') ? "2" : "1") + name;

    // "all", exact names, or prefixes such as "R1" (R101..R112) or "RC2".
    private static bool Selected(string name, IReadOnlyList<string> patterns) =>
        patterns.Contains("all") || patterns.Any(p => name.Equals(p, StringComparison.OrdinalIgnoreCase) ||
            (name.StartsWith(p, StringComparison.OrdinalIgnoreCase) && name.Length > p.Length && char.IsDigit(name[p.Length])));
}
