using Fieldline.Routing.Vrptw;

namespace Fieldline.Tests.Routing;

public class VrptwSolverTests
{
    [Theory]
    [InlineData("C101")]
    [InlineData("R101")]
    [InlineData("RC201")]
    public void Solver_output_passes_the_independent_checker(string name)
    {
        var instance = TestData.Load(name);
        var result = VrptwSolver.Solve(instance, new SolverOptions { MaxIterations = 3000, Seed = 7 });
        var check = SolutionChecker.Check(instance, result.Routes);
        Assert.True(check.IsFeasible, string.Join("; ", check.Violations));
        Assert.Equal(check.Vehicles, result.Vehicles);
        Assert.Equal(check.Distance, result.Distance, 9);
    }

    [Fact]
    public void Solver_with_the_same_seed_and_iteration_limit_returns_the_same_routes()
    {
        var instance = TestData.Load("R101");
        var options = new SolverOptions { MaxIterations = 2000, Seed = 42 };
        var a = VrptwSolver.Solve(instance, options);
        var b = VrptwSolver.Solve(instance, options);
        Assert.Equal(a.Routes, b.Routes);
        Assert.Equal(a.Distance, b.Distance);
    }

    [Fact]
    public void Solver_finds_the_best_known_solution_of_C101()
    {
        var result = VrptwSolver.Solve(TestData.Load("C101"), new SolverOptions { MaxIterations = 20000, Seed = 1 });
        Assert.Equal(10, result.Vehicles);
        Assert.Equal(828.94, result.Distance, 2);
    }

    [Fact]
    public void Solver_stops_at_the_time_limit()
    {
        var result = VrptwSolver.Solve(TestData.Load("R101"), new SolverOptions { TimeLimit = TimeSpan.FromSeconds(0.5) });
        Assert.InRange(result.Elapsed.TotalSeconds, 0.5, 2.0);
        Assert.True(SolutionChecker.Check(TestData.Load("R101"), result.Routes).IsFeasible);
    }
}
