using System.Diagnostics;
using Fieldline.Routing.Dispatch;

namespace Fieldline.Tests.Routing;

public class DispatchPlannerTests
{
    private static readonly DispatchOptions Quick = new() { MaxIterations = 400, TimeLimit = TimeSpan.FromSeconds(20), Seed = 3 };
    private static readonly DispatchRequest SmallDay = DayGenerator.Generate(technicians: 8, orders: 50, seed: 11);

    private static readonly DateTimeOffset Day = new(2026, 6, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly GeoPoint Centre = DayGenerator.Changsha;

    private static GeoPoint East(double km) => new(Centre.Latitude, Centre.Longitude + km / (111.0 * Math.Cos(Centre.Latitude * Math.PI / 180)));

    private static Technician Tech(string id, params string[] skills) =>
        new(id, skills, Centre, Day.AddHours(8), Day.AddHours(18), Day.AddHours(12), Day.AddHours(13));

    private static DispatchOrder Order(string id, double km, string skill = "ac.repair", double from = 8, double to = 18, double? deadline = null) =>
        new(id, East(km), Day.AddHours(from), Day.AddHours(to), "repair", skill, deadline is null ? null : Day.AddHours(deadline.Value));

    [Fact]
    public void Plan_respects_skills_shifts_lunch_and_appointment_windows()
    {
        var plan = DispatchPlanner.Plan(SmallDay, Quick);
        Assert.Empty(DayPlanChecker.Violations(SmallDay, plan));
        Assert.True(plan.Summary.Served >= 40, $"served only {plan.Summary.Served} of 50");
    }

    [Fact]
    public void Greedy_baseline_plan_is_feasible_too()
    {
        Assert.Empty(DayPlanChecker.Violations(SmallDay, DispatchPlanner.PlanGreedy(SmallDay)));
    }

    [Fact]
    public void Plan_serves_at_least_as_many_orders_and_deadlines_as_the_greedy_dispatcher()
    {
        var plan = DispatchPlanner.Plan(SmallDay, Quick);
        var greedy = DispatchPlanner.PlanGreedy(SmallDay);
        Assert.True(plan.Summary.Served >= greedy.Summary.Served);
        Assert.True(plan.Summary.DeadlinesMet >= greedy.Summary.DeadlinesMet);
    }

    [Fact]
    public void Plan_with_the_same_seed_and_iteration_limit_is_identical()
    {
        var a = DispatchPlanner.Plan(SmallDay, Quick);
        var b = DispatchPlanner.Plan(SmallDay, Quick);
        Assert.Equal(a.ToAssignments().Select(r => string.Join(",", r.OrderIds)), b.ToAssignments().Select(r => string.Join(",", r.OrderIds)));
    }

    [Fact]
    public void Pinned_assignments_are_kept_on_replanning()
    {
        var first = DispatchPlanner.Plan(SmallDay, Quick);
        // The dispatcher accepts three technicians' routes as they are; re-planning with another seed must keep them.
        var accepted = first.Routes.Where(r => r.Stops.Count > 0).Take(3).ToList();
        var pins = accepted.SelectMany(r => r.Stops.Select(s => (s.OrderId, r.TechnicianId))).ToDictionary(p => p.OrderId, p => p.TechnicianId);
        var pinned = SmallDay with { Orders = SmallDay.Orders.Select(o => pins.TryGetValue(o.Id, out var t) ? o with { PinnedTechnicianId = t } : o).ToList() };
        var again = DispatchPlanner.Plan(pinned, Quick with { Seed = 99 });
        foreach (var (orderId, techId) in pins)
            Assert.Contains(again.Routes.Single(r => r.TechnicianId == techId).Stops, s => s.OrderId == orderId);
        Assert.Empty(DayPlanChecker.Violations(pinned, again));
    }

    [Fact]
    public void Late_minutes_cost_more_than_travel_so_the_deadline_order_goes_first()
    {
        // The near order has no deadline; the far one is due at 09:00 and takes 45 minutes: it has to come first.
        var request = new DispatchRequest([Tech("T1", "ac.repair")], [Order("near", 1), Order("due", 5, deadline: 9)]);
        var plan = DispatchPlanner.Plan(request, Quick);
        var stops = plan.Routes.Single().Stops;
        Assert.Equal(["due", "near"], stops.Select(s => s.OrderId));
        Assert.Equal(0, stops[0].LateMinutes);
        Assert.Equal(1, plan.Summary.DeadlinesMet);
    }

    [Fact]
    public void An_order_nobody_is_qualified_for_is_unserved_with_a_reason()
    {
        var request = new DispatchRequest([Tech("T1", "ac.repair")], [Order("a", 2), Order("lift", 3, skill: "elevator.repair")]);
        var plan = DispatchPlanner.Plan(request, Quick);
        var unserved = Assert.Single(plan.Unserved);
        Assert.Equal("lift", unserved.OrderId);
        Assert.Contains("no technician has the skill elevator.repair", unserved.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_assignment_explains_the_choice_and_the_next_best_technician()
    {
        var request = new DispatchRequest([Tech("near", "ac.repair"), Tech("far", "ac.repair") with { Home = East(20) }], [Order("a", 1)]);
        var plan = DispatchPlanner.Plan(request, Quick);
        var stop = plan.Routes.Single(r => r.TechnicianId == "near").Stops.Single();
        Assert.Equal("far", stop.Explanation.NextBestTechnicianId);
        Assert.True(stop.Explanation.NextBestExtraCost > 0);
        Assert.Contains("has skill ac.repair", stop.Explanation.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_stop_scores_what_it_costs_its_route_the_driving_it_adds_and_one_more_order_for_its_technician()
    {
        // One technician, one order 1 km east of home: the stop costs the drive there and back, plus the fairness weight
        // of a first order (1²); a second technician far away would cost more, and the explanation says how much more.
        var request = new DispatchRequest([Tech("near", "ac.repair"), Tech("far", "ac.repair") with { Home = East(20) }], [Order("a", 1)]);
        var plan = DispatchPlanner.Plan(request, Quick);
        var route = plan.Routes.Single(r => r.TechnicianId == "near");
        var stop = route.Stops.Single();
        Assert.Equal(route.TravelMinutes + new DispatchOptions().FairnessWeight * 1 * 1, stop.MarginalCost, 1);
        Assert.True(stop.MarginalCost > 0);
        Assert.True(stop.Explanation.NextBestExtraCost > 0);
    }

    [Fact]
    public void Insertion_suggests_a_feasible_place_without_moving_started_stops_within_50_ms()
    {
        var plan = DispatchPlanner.Plan(SmallDay, Quick);
        var routes = plan.ToAssignments();
        var now = Day.AddHours(14).AddMinutes(10);
        var commonSkill = SmallDay.Technicians.SelectMany(t => t.Skills).GroupBy(s => s).OrderByDescending(g => g.Count()).First().Key;
        var urgent = new DispatchOrder("new", East(3), now, now.AddHours(3), "repair", commonSkill, now.AddHours(4), OrderPriority.Urgent);
        DispatchPlanner.SuggestInsertion(SmallDay, routes, urgent, now); // JIT warm-up
        var clock = Stopwatch.StartNew();
        var suggestion = DispatchPlanner.SuggestInsertion(SmallDay, routes, urgent, now);
        Assert.True(clock.ElapsedMilliseconds < 50, $"took {clock.ElapsedMilliseconds} ms");
        Assert.True(suggestion.Feasible, suggestion.Explanation);
        Assert.True(suggestion.ServiceStart >= now);

        // Insert it where suggested: earlier stops stay, the technician is qualified, and the day still checks out.
        var route = plan.Routes.Single(r => r.TechnicianId == suggestion.TechnicianId);
        Assert.All(route.Stops.Skip(suggestion.Position), s => Assert.True(s.ServiceStart >= now));
        var edited = routes.Select(r => r.TechnicianId != suggestion.TechnicianId ? r
            : r with { OrderIds = r.OrderIds.Take(suggestion.Position).Append("new").Concat(r.OrderIds.Skip(suggestion.Position)).ToList() }).ToList();
        var withNew = SmallDay with { Orders = SmallDay.Orders.Append(urgent).ToList() };
        var evaluated = DispatchPlanner.Evaluate(withNew, edited);
        Assert.All(evaluated.Routes, r => Assert.True(r.Feasible, r.TechnicianId));
        Assert.Empty(DayPlanChecker.Violations(withNew, evaluated));
    }

    [Fact]
    public void Insertion_reports_no_place_when_no_technician_has_the_skill()
    {
        var plan = DispatchPlanner.Plan(SmallDay, Quick);
        var now = Day.AddHours(14);
        var lift = new DispatchOrder("lift", East(1), now, now.AddHours(2), "repair", "elevator.repair");
        var suggestion = DispatchPlanner.SuggestInsertion(SmallDay, plan.ToAssignments(), lift, now);
        Assert.False(suggestion.Feasible);
        Assert.Contains("elevator.repair", suggestion.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Great_circle_travel_time_applies_the_road_factor_and_speed()
    {
        var wuhan = new GeoPoint(30.593, 114.305);
        var straight = GreatCircleTravelTime.GreatCircleKm(Centre, wuhan);
        Assert.InRange(straight, 285, 305);
        var leg = new GreatCircleTravelTime(roadFactor: 1.5, speedKmh: 60).Leg(Centre, wuhan);
        Assert.Equal(straight * 1.5, leg.Kilometres, 6);
        Assert.Equal(straight * 1.5, leg.Minutes, 6); // 60 km/h: one minute per km
    }

    [Fact]
    public void Generated_day_is_reproducible_and_product_shaped()
    {
        var a = DayGenerator.Generate(40, 300, seed: 5);
        var b = DayGenerator.Generate(40, 300, seed: 5);
        Assert.Equal(a.Orders, b.Orders);
        Assert.Equal(300, a.Orders.Count);
        Assert.Equal(40, a.Technicians.Count);
        Assert.All(a.Orders, o => Assert.InRange(GreatCircleTravelTime.GreatCircleKm(DayGenerator.Changsha, o.Location), 0, 40));
        Assert.Contains(a.Orders, o => o.Priority == OrderPriority.Urgent);
        Assert.Contains(a.Orders, o => o.SlaDeadline is not null);
    }
}
