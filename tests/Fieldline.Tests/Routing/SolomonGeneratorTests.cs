using Fieldline.Routing.Vrptw;

namespace Fieldline.Tests.Routing;

public class SolomonGeneratorTests
{
    public static TheoryData<string> Kinds() => [.. SolomonGenerator.Kinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_generated_customer_can_be_served_by_a_vehicle_of_its_own(string kind)
    {
        foreach (var seed in new long[] { 1, 2, 3 })
        {
            var instance = SolomonGenerator.Generate(kind, seed);
            var depot = instance.Nodes[0];
            Assert.Equal(101, instance.Nodes.Count);
            foreach (var c in instance.Nodes.Skip(1))
            {
                var i = instance.IndexOf(c.Id);
                var begin = Math.Max(c.Ready, instance.Distance(0, i));
                Assert.True(begin <= c.Due, $"{instance.Name}: customer {c.Id} cannot be reached by its due time");
                Assert.True(begin + c.Service + instance.Distance(i, 0) <= depot.Due, $"{instance.Name}: customer {c.Id} keeps a vehicle out too long");
                Assert.InRange(c.Demand, 1, instance.Capacity);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Generated_instance_round_trips_through_the_Solomon_reader_and_the_solver_plans_it_within_the_fleet(string kind)
    {
        var instance = SolomonGenerator.Generate(kind, 7);
        var read = SolomonReader.Parse(SolomonGenerator.ToSolomonText(instance));
        Assert.Equal(instance.Name, read.Name);
        Assert.Equal(instance.Capacity, read.Capacity);
        Assert.Equal(instance.VehicleLimit, read.VehicleLimit);
        Assert.Equal(instance.Nodes, read.Nodes);
        var result = VrptwSolver.Solve(read, new SolverOptions { MaxIterations = 3000, Seed = 1 });
        var check = SolutionChecker.Check(read, result.Routes);
        Assert.True(check.IsFeasible, string.Join("; ", check.Violations));
    }

    [Fact]
    public void Generator_with_the_same_seed_writes_the_same_instance_and_another_seed_a_different_one()
    {
        var a = SolomonGenerator.ToSolomonText(SolomonGenerator.Generate("RC2", 5));
        var b = SolomonGenerator.ToSolomonText(SolomonGenerator.Generate("RC2", 5));
        var c = SolomonGenerator.ToSolomonText(SolomonGenerator.Generate("RC2", 6));
        Assert.Equal(a, b);
        Assert.NotEqual(a.Split('\n').Skip(1), c.Split('\n').Skip(1));
    }

    [Fact]
    public void Type_two_kinds_have_the_long_horizon_and_large_capacity_of_the_published_files()
    {
        Assert.Equal(1000, SolomonGenerator.Generate("R2", 1).Capacity);
        Assert.Equal(230, SolomonGenerator.Generate("R1", 1).Nodes[0].Due);
        Assert.Equal(3390, SolomonGenerator.Generate("C2", 1).Nodes[0].Due);
        Assert.Equal(90, SolomonGenerator.Generate("C1", 1).Nodes[1].Service);
    }
}
