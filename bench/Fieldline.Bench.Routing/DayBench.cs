using System.Diagnostics;
using Fieldline.Routing.Dispatch;

namespace Fieldline.Bench.Routing;

// The product-shaped day: 40 technicians, 300 orders around Changsha. Fieldline's plan vs the greedy rule
// dispatchers apply by hand, then the latency of real-time insertion of new urgent orders into the plan.
internal static class DayBench
{
    public static void Run(BenchOptions options)
    {
        var request = DayGenerator.Generate(40, 300, options.Seed);
        Console.WriteLine();
        Console.WriteLine($"# Product day: {request.Technicians.Count} technicians, {request.Orders.Count} orders around Changsha, seed {options.Seed}, plan time limit {options.DaySeconds:0.#} s");
        var greedy = DispatchPlanner.PlanGreedy(request);
        var plan = DispatchPlanner.Plan(request, new DispatchOptions { TimeLimit = TimeSpan.FromSeconds(options.DaySeconds), Seed = options.Seed });
        Console.WriteLine("| plan | served | unserved | SLA deadlines met | late min | travel km | travel min | orders/tech min-max | plan time s | iterations |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        Row("greedy (nearest free qualified)", greedy.Summary);
        Row("Fieldline", plan.Summary);
        var pinnedKept = request.Orders.Where(o => o.PinnedTechnicianId is not null)
            .Count(o => plan.Routes.Any(r => r.TechnicianId == o.PinnedTechnicianId && r.Stops.Any(s => s.OrderId == o.Id)));
        Console.WriteLine($"Pinned orders kept: {pinnedKept}/{request.Orders.Count(o => o.PinnedTechnicianId is not null)}");
        foreach (var u in plan.Unserved.Where(u => request.Orders.Any(o => o.Id == u.OrderId && o.PinnedTechnicianId is not null)))
            Console.WriteLine($"  pinned order {u.OrderId} unserved: {u.Reason}");
        var stops = plan.Routes.SelectMany(r => r.Stops).ToList();
        foreach (var example in new[] { stops.FirstOrDefault(s => s.Explanation.NextBestTechnicianId is not null && s.Explanation.DeadlineSlackMinutes is not null), stops.FirstOrDefault(s => s.Explanation.NextBestTechnicianId is null) })
            if (example is not null) Console.WriteLine($"Example explanation ({example.OrderId}): {example.Explanation.Text}");

        // Real-time insertion: urgent orders arriving at 14:10 into the accepted plan.
        var assignments = plan.ToAssignments();
        var now = request.Technicians[0].ShiftStart.Date.Add(TimeSpan.FromHours(14) + TimeSpan.FromMinutes(10));
        var at = new DateTimeOffset(now.Ticks, request.Technicians[0].ShiftStart.Offset);
        var extra = DayGenerator.Generate(40, 60, options.Seed + 1000).Orders
            .Select((o, i) => o with { Id = $"NEW{i + 1:00}", Priority = OrderPriority.Urgent, WindowStart = at, WindowEnd = at.AddHours(3.5), SlaDeadline = at.AddHours(4), PinnedTechnicianId = null })
            .ToList();
        DispatchPlanner.SuggestInsertion(request, assignments, extra[0], at); // warm-up (JIT)
        var latencies = new List<double>();
        var feasible = 0;
        foreach (var order in extra)
        {
            var sw = Stopwatch.StartNew();
            var suggestion = DispatchPlanner.SuggestInsertion(request, assignments, order, at);
            latencies.Add(sw.Elapsed.TotalMilliseconds);
            if (suggestion.Feasible) feasible++;
        }
        latencies.Sort();
        Console.WriteLine($"Real-time insertion at {at:HH:mm} of {extra.Count} new urgent orders into the plan: median {latencies[latencies.Count / 2]:0.0} ms, " +
                          $"p95 {latencies[(int)(latencies.Count * 0.95)]:0.0} ms, max {latencies[^1]:0.0} ms (target < 50 ms); {feasible} placed, {extra.Count - feasible} had no feasible place");
    }

    private static void Row(string name, PlanSummary s) =>
        Console.WriteLine($"| {name} | {s.Served} | {s.Unserved} | {s.DeadlinesMet}/{s.OrdersWithDeadline} | {s.TotalLateMinutes:0} | {s.TotalTravelKilometres:0.0} | {s.TotalTravelMinutes:0} | {s.MinOrdersPerTechnician}-{s.MaxOrdersPerTechnician} | {s.Elapsed.TotalSeconds:0.00} | {s.Iterations} |");
}
