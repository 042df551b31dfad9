using Fieldline.Routing.Search;
using Fieldline.Routing.Vrptw;

namespace Fieldline.Tests.Routing;

public class LocalSearchTests
{
    [Theory]
    [InlineData("C101")]
    [InlineData("R101")]
    [InlineData("RC201")]
    public void Local_search_keeps_plans_feasible_and_never_lengthens_them(string name)
    {
        var instance = TestData.Load(name);
        var m = new VrptwModel(instance);
        var rng = new Rng(5);
        var ops = new SisrOperators(m, rng, new SisrParameters());
        var ls = new LocalSearch(m, neighbours: 20);
        var plan = new Plan(m);
        ops.Recreate(plan, Enumerable.Range(1, instance.CustomerCount).ToList(), m.N);
        var improvedSome = false;
        for (var round = 0; round < 200; round++)
        {
            // Perturb, then descend: each result must pass the independent checker and be no longer than before.
            ops.Ruin(plan);
            ops.Recreate(plan, ops.Removed, m.N);
            var before = plan.Distance;
            improvedSome |= ls.Improve(plan);
            Assert.True(plan.Distance <= before + 1e-9);
            var routes = plan.ToRoutes(instance);
            var check = SolutionChecker.Check(instance, routes);
            Assert.True(check.IsFeasible, string.Join("; ", check.Violations));
            Assert.Equal(check.Distance, plan.Distance, 6);
            Assert.Equal(check.Vehicles, plan.TourCount);
            for (var t = 0; t < plan.TourCount; t++)
                for (var i = 0; i < plan.Tours[t].Count; i++)
                {
                    Assert.Equal(t, plan.TourOf[plan.Tours[t].Nodes[i]]);
                    Assert.Equal(i, plan.PosOf[plan.Tours[t].Nodes[i]]);
                }
        }
        Assert.True(improvedSome);
    }

    [Fact]
    public void Solver_with_local_search_is_deterministic_and_feasible()
    {
        var instance = TestData.Load("RC201");
        var options = new SolverOptions { MaxIterations = 4000, Seed = 9, Parameters = new SisrParameters { LocalSearchNeighbours = 20 } };
        var a = VrptwSolver.Solve(instance, options);
        var b = VrptwSolver.Solve(instance, options);
        Assert.Equal(a.Routes, b.Routes);
        Assert.True(SolutionChecker.Check(instance, a.Routes).IsFeasible);
    }
}
