using System.Runtime.InteropServices;
using Fieldline.Routing.Dispatch;

namespace Fieldline.Tests.Routing;

public class IncrementalInsertionTests
{
    [Fact]
    public void Incremental_insertion_cost_matches_a_full_route_evaluation()
    {
        var request = DayGenerator.Generate(technicians: 6, orders: 60, seed: 21);
        var options = new DispatchOptions();
        var model = new DayModel(request, options);
        // Feasible routes from the greedy dispatcher; take every third order out and try it everywhere.
        var state = GreedyDispatcher.Assign(model);
        var removed = new List<int>();
        for (var i = 0; i < model.O; i += 3)
            if (state.TechOf[i] >= 0) { state.Routes[state.TechOf[i]].Remove(i); state.TechOf[i] = -1; removed.Add(i); }
        for (var k = 0; k < model.T; k++) state.Refresh(k);
        var checkedPositions = 0;
        foreach (var o in removed)
            for (var k = 0; k < model.T; k++)
            {
                var route = state.Routes[k];
                for (var p = 0; p <= route.Count; p++)
                foreach (var hold in new[] { double.NegativeInfinity, 240.0 }) // no hold, or "not before noon"
                {
                    var with = route.ToList();
                    with.Insert(p, o);
                    var full = model.Evaluate(k, CollectionsMarshal.AsSpan(with), p, hold);
                    var fast = model.TryInsert(k, CollectionsMarshal.AsSpan(route), state.Cache[k], p, o, hold, out var cost);
                    if (!model.Evaluate(k, CollectionsMarshal.AsSpan(route)).Feasible) continue; // the shortcut assumes a feasible route
                    Assert.Equal(full.Feasible, fast);
                    if (fast) { Assert.Equal(full.Cost, cost, 6); checkedPositions++; }
                }
            }
        Assert.True(checkedPositions > 100);
    }
}
