using System.Globalization;
using System.Text.Json;
using Fieldline.Routing.Vrptw;

namespace Fieldline.Cli;

// `fieldline solve <instance.txt> --seconds N [--seed S] [--iterations K]` and
// `fieldline check <instance.txt> <solution.json>` and
// `fieldline generate <C1|C2|R1|R2|RC1|RC2> [--seed S] [--customers N]` (a fresh Solomon-kind instance on stdout).
// `fieldline backup --to <folder> [--database data/fieldline.db] [--blobs data/blobs]` and
// `fieldline restore --from <folder> [--database data/fieldline.db] [--blobs data/blobs] [--force true]` (SQLite; see Backup).
public static class CliApp
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var (positional, options) = Parse(args);
            switch (positional.FirstOrDefault())
            {
                case "solve" when positional.Count == 2:
                    return await SolveAsync(positional[1], options, stdout, stderr);
                case "check" when positional.Count == 3:
                    return await CheckAsync(positional[1], positional[2], stdout);
                case "generate" when positional.Count == 2:
                    await stdout.WriteAsync(SolomonGenerator.ToSolomonText(SolomonGenerator.Generate(
                        positional[1],
                        options.TryGetValue("seed", out var seed) ? long.Parse(seed, CultureInfo.InvariantCulture) : 1,
                        options.TryGetValue("customers", out var n) ? int.Parse(n, CultureInfo.InvariantCulture) : 100)));
                    return 0;
                case "backup" when positional.Count == 1 && options.TryGetValue("to", out var to):
                    return await Backup.BackupAsync(Database(options), Blobs(options), to, stdout);
                case "restore" when positional.Count == 1 && options.TryGetValue("from", out var from):
                    return await Backup.RestoreAsync(from, Database(options), Blobs(options), options.GetValueOrDefault("force") == "true", stdout);
                default:
                    await stderr.WriteLineAsync(
                        "usage: fieldline solve <instance.txt> --seconds N [--seed S] [--iterations K]\n" +
                        "       fieldline check <instance.txt> <solution.json>\n" +
                        "       fieldline generate <C1|C2|R1|R2|RC1|RC2> [--seed S] [--customers N]\n" +
                        "       fieldline backup --to <folder> [--database data/fieldline.db] [--blobs data/blobs]\n" +
                        "       fieldline restore --from <folder> [--database data/fieldline.db] [--blobs data/blobs] [--force true]\n" +
                        "       (PostgreSQL: pg_dump / pg_restore and a copy of the blob folder; see the README)");
                    return 2;
            }
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException or JsonException or Microsoft.Data.Sqlite.SqliteException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
    }

    private static string Database(Dictionary<string, string> options) => options.GetValueOrDefault("database") ?? Path.Combine("data", Backup.DatabaseFile);

    private static string Blobs(Dictionary<string, string> options) => options.GetValueOrDefault("blobs") ?? Path.Combine("data", Backup.BlobFolder);

    private static (List<string> Positional, Dictionary<string, string> Options) Parse(string[] args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Length) throw new ArgumentException($"option {args[i]} needs a value");
                options[args[i][2..]] = args[++i];
            }
            else positional.Add(args[i]);
        }
        return (positional, options);
    }

    private static async Task<int> SolveAsync(string path, Dictionary<string, string> options, TextWriter stdout, TextWriter stderr)
    {
        var instance = SolomonReader.Read(path);
        var seconds = options.TryGetValue("seconds", out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : (double?)null;
        var iterations = options.TryGetValue("iterations", out var it) ? long.Parse(it, CultureInfo.InvariantCulture) : (long?)null;
        if (seconds is null && iterations is null) seconds = 10;
        var seed = options.TryGetValue("seed", out var sd) ? long.Parse(sd, CultureInfo.InvariantCulture) : 1;
        var result = VrptwSolver.Solve(instance, new SolverOptions
        {
            TimeLimit = seconds is null ? null : TimeSpan.FromSeconds(seconds.Value),
            MaxIterations = iterations,
            Seed = seed,
        });
        var output = new SolveOutput(instance.Name, result.Vehicles, result.Distance, result.Routes,
            Math.Round(result.Elapsed.TotalSeconds, 3));
        await stdout.WriteLineAsync(JsonSerializer.Serialize(output, Json));
        if (result.FollowedClock)
            await stderr.WriteLineAsync(
                "note: this machine did not keep up with the planned iterations, so the time limit shaped the search and " +
                "the same seed may give another result; --iterations K makes a run reproducible.");
        return 0;
    }

    private static async Task<int> CheckAsync(string instancePath, string solutionPath, TextWriter stdout)
    {
        var instance = SolomonReader.Read(instancePath);
        await using var file = File.OpenRead(solutionPath);
        var solution = await JsonSerializer.DeserializeAsync<SolveOutput>(file, Json)
            ?? throw new FormatException("empty solution file");
        var check = SolutionChecker.Check(instance, solution.Routes);
        await stdout.WriteLineAsync(JsonSerializer.Serialize(
            new { feasible = check.IsFeasible, vehicles = check.Vehicles, distance = Math.Round(check.Distance, 4), violations = check.Violations }, Json));
        return check.IsFeasible ? 0 : 1;
    }

    private sealed record SolveOutput(string Instance, int Vehicles, double Distance, IReadOnlyList<IReadOnlyList<int>> Routes, double Seconds);
}
