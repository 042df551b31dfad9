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
        Assert.False(a.FollowedClock);
    }

    [Fact]
    public void Solver_finds_the_best_known_solution_of_C101()
    {
        var result = VrptwSolver.Solve(TestData.Load("C101"), new SolverOptions { MaxIterations = 20000, Seed = 1 });
        Assert.Equal(10, result.Vehicles);
        Assert.Equal(828.94, result.Distance, 2);
    }

    [Fact]
    public void Solver_with_only_a_time_limit_returns_a_feasible_plan_within_it()
    {
        var result = VrptwSolver.Solve(TestData.Load("R101"), new SolverOptions { TimeLimit = TimeSpan.FromSeconds(0.5) });
        Assert.InRange(result.Elapsed.TotalSeconds, 0.0, 2.0);
        Assert.True(SolutionChecker.Check(TestData.Load("R101"), result.Routes).IsFeasible);
    }

    [Fact]
    public void Solver_that_cannot_keep_up_with_its_planned_iterations_follows_the_clock_ends_at_the_time_limit_and_says_so()
    {
        var instance = TestData.Load("RC201");
        var result = VrptwSolver.Solve(instance, new SolverOptions
        {
            TimeLimit = TimeSpan.FromSeconds(0.6),
            MaxIterations = 1_000_000_000,
        });
        Assert.InRange(result.Elapsed.TotalSeconds, 0.55, 2.0);
        Assert.True(result.Iterations < 1_000_000_000);
        Assert.True(result.FollowedClock);
        Assert.True(SolutionChecker.Check(instance, result.Routes).IsFeasible);
    }

    [Fact]
    public void Best_of_three_runs_is_never_worse_than_its_first_run_alone()
    {
        var instance = TestData.Load("R101");
        var one = VrptwSolver.Solve(instance, new SolverOptions
        {
            MaxIterations = 3000, Seed = 11, Parameters = new SisrParameters { Runs = 1 },
        });
        var three = VrptwSolver.Solve(instance, new SolverOptions
        {
            MaxIterations = 9000, Seed = 11, Parameters = new SisrParameters { Runs = 3 },
        });
        Assert.Equal(9000, three.Iterations);
        Assert.True(three.Vehicles < one.Vehicles || (three.Vehicles == one.Vehicles && three.Distance <= one.Distance + 1e-9),
            $"three runs: {three.Vehicles} / {three.Distance}; first run alone: {one.Vehicles} / {one.Distance}");
    }
}
