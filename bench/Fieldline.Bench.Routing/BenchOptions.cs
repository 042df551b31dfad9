using System.Globalization;
using Fieldline.Routing.Vrptw;

namespace Fieldline.Bench.Routing;

internal sealed record BenchOptions(
    double Seconds, IReadOnlyList<string> Instances, long Seed, IReadOnlyList<string> Solvers, bool Gh200, string Day,
    string DataDirectory, string? Csv, string FirstSolution, double DaySeconds, long? Iterations = null,
    SisrParameters? SolverParameters = null)
{
    public static BenchOptions Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected '{args[i]}'");
            map[args[i][2..]] = args[i + 1];
        }
        string Get(string key, string fallback) => map.TryGetValue(key, out var v) ? v : fallback;
        return new BenchOptions(
            double.Parse(Get("seconds", "10"), CultureInfo.InvariantCulture),
            Get("instances", "all").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            long.Parse(Get("seed", "1"), CultureInfo.InvariantCulture),
            Get("solvers", "fieldline,ortools").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            bool.Parse(Get("gh200", "false")),
            Get("day", "true"),
            Get("data", FindData()),
            map.GetValueOrDefault("csv"),
            Get("ortools-first", "parallel"),
            double.Parse(Get("day-seconds", "3"), CultureInfo.InvariantCulture),
            map.TryGetValue("iterations", out var it) ? long.Parse(it, CultureInfo.InvariantCulture) : null,
            ParseParameters(map.GetValueOrDefault("params")));
    }

    public SisrParameters Parameters => SolverParameters ?? new SisrParameters();

    // --params Name=value,Name=value overrides solver parameters for tuning screens (e.g. AverageRemoved=15).
    private static SisrParameters? ParseParameters(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        object boxed = new SisrParameters();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = (pair[..pair.IndexOf('=')], pair[(pair.IndexOf('=') + 1)..]);
            var property = typeof(SisrParameters).GetProperty(name)
                ?? throw new ArgumentException($"--params: no solver parameter '{name}'");
            property.SetValue(boxed, Convert.ChangeType(value, property.PropertyType, CultureInfo.InvariantCulture));
        }
        return (SisrParameters)boxed;
    }

    // The shared bench data sits next to the repository (../shared/bench-data/solomon); walk up to find it.
    private static string FindData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "bench-data", "solomon");
            if (Directory.Exists(candidate)) return candidate;
        }
        return "/work/shared/bench-data/solomon";
    }
}
