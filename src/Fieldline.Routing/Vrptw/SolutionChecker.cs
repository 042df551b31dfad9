namespace Fieldline.Routing.Vrptw;

public sealed record CheckResult(bool IsFeasible, IReadOnlyList<string> Violations, int Vehicles, double Distance);

// Verifies a solution from scratch, sharing no code with the search: capacity, time windows (service starts by the
// due date, waiting allowed), the depot horizon, and every customer visited exactly once.
public static class SolutionChecker
{
    private const double Tolerance = 1e-6;

    public static CheckResult Check(VrptwInstance instance, IReadOnlyList<IReadOnlyList<int>> routes)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(routes);
        var violations = new List<string>();
        var seen = new int[instance.Nodes.Count];
        var depot = instance.Nodes[0];
        double total = 0;
        var vehicles = 0;
        for (var r = 0; r < routes.Count; r++)
        {
            var route = routes[r];
            if (route.Count == 0) continue;
            vehicles++;
            var load = 0;
            var time = depot.Ready;
            var at = 0;
            foreach (var id in route)
            {
                var i = instance.IndexOf(id);
                if (i <= 0) { violations.Add($"route {r + 1}: unknown customer {id}"); continue; }
                seen[i]++;
                var node = instance.Nodes[i];
                load += node.Demand;
                var leg = instance.Distance(at, i);
                total += leg;
                time = Math.Max(time + leg, node.Ready);
                if (time > node.Due + Tolerance)
                    violations.Add($"route {r + 1}: customer {id} served at {time:0.###} after its window closes at {node.Due}");
                time += node.Service;
                at = i;
            }
            var back = instance.Distance(at, 0);
            total += back;
            time += back;
            if (time > depot.Due + Tolerance)
                violations.Add($"route {r + 1}: returns to the depot at {time:0.###} after the horizon {depot.Due}");
            if (load > instance.Capacity)
                violations.Add($"route {r + 1}: load {load} exceeds capacity {instance.Capacity}");
        }
        for (var i = 1; i < seen.Length; i++)
        {
            if (seen[i] == 0) violations.Add($"customer {instance.Nodes[i].Id} is not visited");
            else if (seen[i] > 1) violations.Add($"customer {instance.Nodes[i].Id} is visited {seen[i]} times");
        }
        if (vehicles > instance.VehicleLimit)
            violations.Add($"{vehicles} vehicles used, the instance allows {instance.VehicleLimit}");
        return new CheckResult(violations.Count == 0, violations, vehicles, total);
    }
}
