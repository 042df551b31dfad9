namespace Fieldline.Bench.Routing;

internal static class DayBench
{
    public static void Run(BenchOptions options) => Console.WriteLine("day bench: pending");
}
