using System.Diagnostics;
using Fieldline.Routing.Vrptw;
using Google.OrTools.ConstraintSolver;
using Google.Protobuf.WellKnownTypes;

namespace Fieldline.Bench.Routing;

// The peer: OR-Tools routing with hard windows and capacity, a fixed cost per vehicle large enough to make the
// objective hierarchical, PATH_CHEAPEST_ARC then GUIDED_LOCAL_SEARCH, one search thread, the same time limit.
// Distances are scaled ×100 (OR-Tools needs integers): rounded for the cost, rounded up for travel time so that every
// solution it returns is also feasible in full precision; the reported distance is recomputed in double precision.
internal static class OrToolsPeer
{
    private const long Scale = 100;

    public static (IReadOnlyList<IReadOnlyList<int>> Routes, TimeSpan Elapsed) Solve(VrptwInstance instance, TimeSpan limit, string firstSolution)
    {
        var clock = Stopwatch.StartNew();
        var n = instance.Nodes.Count;
        var vehicles = instance.VehicleLimit;
        var cost = new long[n, n];
        var time = new long[n, n];
        for (var a = 0; a < n; a++)
            for (var b = 0; b < n; b++)
            {
                var d = instance.Distance(a, b);
                cost[a, b] = (long)Math.Round(d * Scale);
                time[a, b] = (long)Math.Ceiling(d * Scale - 1e-9) + (long)Math.Round(instance.Nodes[a].Service * Scale);
            }
        var manager = new RoutingIndexManager(n, vehicles, 0);
        var routing = new RoutingModel(manager);
        var costCallback = routing.RegisterTransitCallback((from, to) => cost[manager.IndexToNode(from), manager.IndexToNode(to)]);
        routing.SetArcCostEvaluatorOfAllVehicles(costCallback);
        var horizon = (long)Math.Round(instance.Nodes[0].Due * Scale);
        var timeCallback = routing.RegisterTransitCallback((from, to) => time[manager.IndexToNode(from), manager.IndexToNode(to)]);
        routing.AddDimension(timeCallback, horizon, horizon, false, "Time");
        var timeDimension = routing.GetMutableDimension("Time");
        for (var i = 1; i < n; i++)
        {
            var node = instance.Nodes[i];
            timeDimension.CumulVar(manager.NodeToIndex(i)).SetRange((long)Math.Round(node.Ready * Scale), (long)Math.Round(node.Due * Scale));
        }
        for (var v = 0; v < vehicles; v++)
        {
            timeDimension.CumulVar(routing.Start(v)).SetRange(0, horizon);
            timeDimension.CumulVar(routing.End(v)).SetRange(0, horizon);
        }
        var demandCallback = routing.RegisterUnaryTransitCallback(from => instance.Nodes[manager.IndexToNode(from)].Demand);
        routing.AddDimensionWithVehicleCapacity(demandCallback, 0, Enumerable.Repeat((long)instance.Capacity, vehicles).ToArray(), true, "Capacity");
        // Larger than any possible total distance, so one vehicle fewer always wins.
        routing.SetFixedCostOfAllVehicles(cost.Cast<long>().Max() * n);

        var parameters = operations_research_constraint_solver.DefaultRoutingSearchParameters();
        parameters.FirstSolutionStrategy = firstSolution switch
        {
            "parallel" => FirstSolutionStrategy.Types.Value.ParallelCheapestInsertion,
            _ => FirstSolutionStrategy.Types.Value.PathCheapestArc,
        };
        parameters.LocalSearchMetaheuristic = LocalSearchMetaheuristic.Types.Value.GuidedLocalSearch;
        var remaining = limit - clock.Elapsed;
        parameters.TimeLimit = Duration.FromTimeSpan(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1));
        var solution = routing.SolveWithParameters(parameters);
        var routes = new List<IReadOnlyList<int>>();
        if (solution is not null)
        {
            for (var v = 0; v < vehicles; v++)
            {
                var route = new List<int>();
                var index = solution.Value(routing.NextVar(routing.Start(v)));
                while (!routing.IsEnd(index))
                {
                    route.Add(instance.Nodes[manager.IndexToNode(index)].Id);
                    index = solution.Value(routing.NextVar(index));
                }
                if (route.Count > 0) routes.Add(route);
            }
        }
        return (routes, clock.Elapsed);
    }
}
