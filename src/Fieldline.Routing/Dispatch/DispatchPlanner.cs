using System.Diagnostics;
using System.Globalization;

namespace Fieldline.Routing.Dispatch;

// The product-facing entry points: plan a branch's day, suggest a place for a new order in existing routes, and the
// greedy "nearest free qualified technician" rule dispatchers apply by hand (the baseline the plan must beat).
public static class DispatchPlanner
{
    public static DispatchPlan Plan(DispatchRequest request, DispatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        options ??= new DispatchOptions();
        var clock = Stopwatch.StartNew();
        var model = new DayModel(request, options);
        var search = new DaySearch(model, options.Seed);
        var state = search.Run(options, clock);
        return PlanBuilder.Build(model, state, search, clock.Elapsed);
    }

    public static DispatchPlan PlanGreedy(DispatchRequest request, DispatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        options ??= new DispatchOptions();
        var clock = Stopwatch.StartNew();
        var model = new DayModel(request, options);
        var state = GreedyDispatcher.Assign(model);
        return PlanBuilder.Build(model, state, new DaySearch(model, options.Seed), clock.Elapsed);
    }

    // Times, costs and explanations for routes as given, e.g. after the dispatcher edited the plan by hand.
    // Orders of the request that are on no route come back as unserved; TechnicianRoute.Feasible flags broken routes.
    public static DispatchPlan Evaluate(DispatchRequest request, IReadOnlyList<RouteAssignment> routes, DispatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(routes);
        options ??= new DispatchOptions();
        var clock = Stopwatch.StartNew();
        var model = new DayModel(request, options, withNeighbours: false);
        var state = new DayState(model);
        foreach (var route in routes)
        {
            if (!model.TechIndex.TryGetValue(route.TechnicianId, out var k))
                throw new ArgumentException($"Unknown technician '{route.TechnicianId}'.", nameof(routes));
            foreach (var id in route.OrderIds)
            {
                if (!model.OrderIndex.TryGetValue(id, out var i)) throw new ArgumentException($"Unknown order '{id}'.", nameof(routes));
                if (state.TechOf[i] >= 0) throw new ArgumentException($"Order '{id}' is on two routes.", nameof(routes));
                state.Routes[k].Add(i);
                state.TechOf[i] = k;
            }
            state.Refresh(k);
        }
        return PlanBuilder.Build(model, state, new DaySearch(model, options.Seed), clock.Elapsed);
    }

    // Best technician and position for a new order in the existing routes, without re-planning: stops that start
    // before `now` stay where they are and the new order cannot start before `now`.
    public static InsertionSuggestion SuggestInsertion(
        DispatchRequest request, IReadOnlyList<RouteAssignment> routes, DispatchOrder newOrder, DateTimeOffset now,
        DispatchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(newOrder);
        options ??= new DispatchOptions();
        var clock = Stopwatch.StartNew();
        var assigned = routes.SelectMany(r => r.OrderIds).ToHashSet(StringComparer.Ordinal);
        // Only the orders on the routes matter for the insertion; the new one goes last.
        var orders = request.Orders.Where(o => assigned.Contains(o.Id) && o.Id != newOrder.Id).Append(newOrder).ToList();
        var model = new DayModel(new DispatchRequest(request.Technicians, orders), options, withNeighbours: false);
        var state = new DayState(model);
        foreach (var route in routes)
        {
            if (!model.TechIndex.TryGetValue(route.TechnicianId, out var k)) continue;
            foreach (var id in route.OrderIds)
                if (model.OrderIndex.TryGetValue(id, out var i) && i != model.O - 1) { state.Routes[k].Add(i); state.TechOf[i] = k; }
            state.Refresh(k);
        }
        var search = new DaySearch(model, options.Seed);
        var o = model.O - 1;
        var nowMinutes = model.Min(now);
        var candidates = new List<(int K, int P, double Delta)>();
        var times = new StopTime[model.O + 1];
        for (var k = 0; k < model.T; k++)
        {
            if (!model.CanServe(o, k)) continue;
            var route = state.Routes[k];
            model.Evaluate(k, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(route), times: times);
            var first = 0;
            while (first < route.Count && times[first].Start < nowMinutes) first++;
            var (p, delta) = search.BestPositionIn(state, k, o, 0, first, nowMinutes);
            if (p >= 0) candidates.Add((k, p, delta));
        }
        candidates.Sort((a, b) => a.Delta.CompareTo(b.Delta));
        var alternatives = candidates.Take(4).Select(c => new InsertionAlternative(
            model.Request.Technicians[c.K].Id, c.P, Math.Round(c.Delta, 2), Math.Round(ExtraTravel(model, state, c.K, c.P, o, nowMinutes), 2))).ToList();
        if (candidates.Count == 0)
        {
            var skilled = model.Request.Technicians.Where(t => t.Skills.Contains(newOrder.RequiredSkill, StringComparer.OrdinalIgnoreCase)).ToList();
            var reason = skilled.Count == 0 ? Inv($"no technician has the skill {newOrder.RequiredSkill}")
                : skilled.All(t => newOrder.Excludes(t.Id)) ? Inv($"every technician with the skill {newOrder.RequiredSkill} is excluded from it")
                : "no qualified technician can fit it today within shifts, lunch breaks and appointment windows";
            return new InsertionSuggestion(false, null, -1, null, 0, 0, reason, [], clock.Elapsed);
        }
        var bestK = candidates[0].K;
        var bestP = candidates[0].P;
        var withNew = state.Routes[bestK].ToList();
        withNew.Insert(bestP, o);
        model.Evaluate(bestK, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(withNew), bestP, nowMinutes, times);
        var t = times[bestP];
        var tech = model.Request.Technicians[bestK];
        var text = (
            Inv($"{tech.Id} has skill {newOrder.RequiredSkill}; stop {bestP + 1} of {withNew.Count}, {t.LegKm:0.0} km from the previous stop, starts {model.At(t.Start):HH:mm}") +
            (double.IsPositiveInfinity(model.Deadline[o]) ? "" : t.Late > 0 ? Inv($", {t.Late:0} min past the deadline") : Inv($", {model.Deadline[o] - t.End:0} min before the deadline")) +
            (candidates.Count > 1 ? Inv($"; next best {model.Request.Technicians[candidates[1].K].Id} costs {candidates[1].Delta - candidates[0].Delta:+0.0} more") : "; no other qualified technician can fit it"));
        return new InsertionSuggestion(true, tech.Id, bestP, model.At(t.Start), alternatives[0].ExtraTravelMinutes,
            Math.Round(candidates[0].Delta, 2), text, alternatives, clock.Elapsed);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static double ExtraTravel(DayModel model, DayState state, int k, int p, int order, double now)
    {
        var route = state.Routes[k];
        var before = model.Evaluate(k, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(route)).TravelMinutes;
        var with = route.ToList();
        with.Insert(p, order);
        return model.Evaluate(k, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(with), p, now).TravelMinutes - before;
    }
}
