using System.Globalization;
using Fieldline.Bench.Routing;

// dotnet run -c Release --project bench/Fieldline.Bench.Routing -- [--seconds 10] [--instances C1,R101,...]
//   [--seed 1] [--iterations N (fixed budget instead of a time limit, reproducible)] [--solvers fieldline,ortools] [--gh200 true] [--day true|only] [--data <solomon dir>] [--csv out.csv]
//   [--params Name=value,... (solver parameters for tuning screens, e.g. Runs=1,AverageRemoved=15)]
var options = BenchOptions.Parse(args);
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (options.Day != "only") SolomonBench.Run(options);
if (options.Day is "true" or "only") DayBench.Run(options);
return 0;
