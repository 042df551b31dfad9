using Fieldline.Routing.Search;
using Fieldline.Routing.Vrptw;

namespace Fieldline.Tests.Routing;

// The search keeps its candidate in line with the current solution by copying back only the routes an iteration
// touched; that must leave exactly what a full copy would.
public class PlanSyncTests
{
    [Theory]
    [InlineData("R101", 11)]
    [InlineData("RC201", 12)]
    public void Syncing_only_the_touched_routes_equals_a_full_copy(string name, int tours)
    {
        var instance = TestData.Load(name);
        var m = new VrptwModel(instance);
        var rng = new Rng(3);
        var ops = new SisrOperators(m, rng, new SisrParameters());
        var current = new Plan(m);
        ops.Recreate(current, Enumerable.Range(1, instance.CustomerCount).ToList(), m.N);
        var candidate = new Plan(m);
        candidate.CopyFrom(current);
        var reference = new Plan(m);
        for (var i = 0; i < 3000; i++)
        {
            ops.Ruin(candidate);
            // A capped fleet makes some candidates leave customers absent, as in fleet minimisation.
            ops.Recreate(candidate, ops.Removed, Math.Min(tours, current.TourCount + 1), stopWhenAbsent: i % 2 == 0);
            if (rng.NextDouble() < 0.5) (current, candidate) = (candidate, current);
            candidate.SyncFrom(current);
            reference.CopyFrom(current);
            AssertSame(reference, candidate, m.N);
        }
    }

    private static void AssertSame(Plan expected, Plan actual, int n)
    {
        Assert.Equal(expected.TourCount, actual.TourCount);
        Assert.Equal(expected.Distance, actual.Distance);
        Assert.Equal(expected.Absent, actual.Absent);
        for (var t = 0; t < expected.TourCount; t++)
        {
            var a = expected.Tours[t];
            var b = actual.Tours[t];
            Assert.Equal(a.Count, b.Count);
            Assert.Equal(a.Load, b.Load);
            Assert.Equal(a.Distance, b.Distance);
            for (var i = 0; i < a.Count; i++) Assert.Equal(a.Nodes[i], b.Nodes[i]);
            for (var i = 0; i < a.Count + 2; i++)
            {
                Assert.Equal(a.Start[i], b.Start[i]);
                Assert.Equal(a.Latest[i], b.Latest[i]);
            }
        }
        for (var c = 1; c < n; c++)
        {
            Assert.Equal(expected.TourOf[c], actual.TourOf[c]);
            if (expected.TourOf[c] >= 0) Assert.Equal(expected.PosOf[c], actual.PosOf[c]);
        }
    }
}
