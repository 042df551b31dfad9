using Fieldline.Routing.Vrptw;

namespace Fieldline.Tests.Routing;

public class SolutionCheckerTests
{
    private static readonly VrptwInstance Tiny = SolomonReader.Parse(TestData.Tiny);

    private static CheckResult Check(params int[][] routes) => SolutionChecker.Check(Tiny, routes);

    [Fact]
    public void Checker_accepts_a_valid_solution_and_measures_its_distance()
    {
        var result = Check([1, 2], [3]);
        Assert.True(result.IsFeasible, string.Join("; ", result.Violations));
        Assert.Equal(2, result.Vehicles);
        Assert.Equal(5 + 5 + 10 + 10 + 10, result.Distance, 9);
    }

    [Fact]
    public void Checker_rejects_a_route_that_arrives_after_the_window_closes()
    {
        // Customer 2 first (served 10-12), then customer 1 at 17: its window closed at 15.
        var result = Check([2, 1], [3]);
        Assert.False(result.IsFeasible);
        Assert.Contains(result.Violations, v => v.Contains("customer 1", StringComparison.Ordinal) && v.Contains("window", StringComparison.Ordinal));
    }

    [Fact]
    public void Checker_rejects_a_route_over_capacity()
    {
        var result = SolutionChecker.Check(SolomonReader.Parse(TestData.Tiny.Replace("  2          10", "  2          9", StringComparison.Ordinal)), [[1, 2], [3]]);
        Assert.False(result.IsFeasible);
        Assert.Contains(result.Violations, v => v.Contains("exceeds capacity", StringComparison.Ordinal));
    }

    [Fact]
    public void Checker_rejects_a_missing_customer()
    {
        var result = Check([1, 2]);
        Assert.False(result.IsFeasible);
        Assert.Contains(result.Violations, v => v.Contains("customer 3 is not visited", StringComparison.Ordinal));
    }

    [Fact]
    public void Checker_rejects_a_customer_visited_twice()
    {
        var result = Check([1, 2], [3, 1]);
        Assert.False(result.IsFeasible);
        Assert.Contains(result.Violations, v => v.Contains("visited 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public void Checker_rejects_a_route_that_returns_after_the_depot_closes()
    {
        var shortDay = SolomonReader.Parse(TestData.Tiny.Replace("0        100          0", "0         20          0", StringComparison.Ordinal));
        var result = SolutionChecker.Check(shortDay, [[1, 2], [3]]);
        Assert.False(result.IsFeasible);
        Assert.Contains(result.Violations, v => v.Contains("returns to the depot", StringComparison.Ordinal));
    }

    [Fact]
    public void Checker_rejects_an_unknown_customer_and_too_many_vehicles()
    {
        Assert.Contains(Check([1, 2], [3, 9]).Violations, v => v.Contains("unknown customer 9", StringComparison.Ordinal));
        Assert.Contains(Check([1], [2], [3]).Violations, v => v.Contains("3 vehicles used", StringComparison.Ordinal));
    }
}
