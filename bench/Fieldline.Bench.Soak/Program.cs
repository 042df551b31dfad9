using System.Globalization;
using Fieldline.Bench.Soak;

// dotnet run -c Release --project bench/Fieldline.Bench.Soak -- --provider Sqlite|Postgres [--seconds 180] [--kill-every 15] [--clients 8]
// PostgreSQL: FIELDLINE_TEST_POSTGRES (as test.sh exports it; scripts/postgres.sh starts a throwaway server) or --postgres "<connection string>".
var options = new SoakOptions { Log = Console.Out, PostgresServer = Environment.GetEnvironmentVariable("FIELDLINE_TEST_POSTGRES") };
for (var i = 0; i + 1 < args.Length; i += 2)
{
    var value = args[i + 1];
    options = args[i] switch
    {
        "--provider" => options with { Provider = value },
        "--postgres" => options with { PostgresServer = value },
        "--seconds" => options with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
        "--kill-every" => options with { KillEvery = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
        "--clients" => options with { Clients = int.Parse(value, CultureInfo.InvariantCulture) },
        "--give-up-after" => options with { GiveUpAfter = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) },
        _ => throw new ArgumentException($"unknown option {args[i]}"),
    };
}
var started = System.Diagnostics.Stopwatch.StartNew();
var result = await Soak.RunAsync(options);
Console.WriteLine($"soak {options.Provider}, {options.Clients} clients, SIGKILL every {options.KillEvery.TotalSeconds:0} s for {options.Duration.TotalSeconds:0} s " +
                  $"(ran {started.Elapsed.TotalSeconds:0} s): {result}");
return result.Lost == 0 && result.Doubled == 0 ? 0 : 1;
