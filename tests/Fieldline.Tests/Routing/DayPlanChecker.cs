using Fieldline.Routing.Dispatch;

namespace Fieldline.Tests.Routing;

// Independent check of a day plan against its request: every order planned at most once or reported unserved,
// qualified technician, pinned technician kept, arrival within the appointment window, travel times consistent with
// the travel source, nothing inside the lunch break, home by the end of the shift.
internal static class DayPlanChecker
{
    public static List<string> Violations(DispatchRequest request, DispatchPlan plan, ITravelTimeSource? travel = null)
    {
        travel ??= new GreatCircleTravelTime();
        var v = new List<string>();
        var orders = request.Orders.ToDictionary(o => o.Id);
        var seen = new HashSet<string>();
        foreach (var route in plan.Routes)
        {
            var tech = request.Technicians.Single(t => t.Id == route.TechnicianId);
            var at = tech.Home;
            var free = tech.ShiftStart;
            foreach (var stop in route.Stops)
            {
                var o = orders[stop.OrderId];
                if (!seen.Add(o.Id)) v.Add($"{o.Id} planned twice");
                if (!tech.Skills.Contains(o.RequiredSkill)) v.Add($"{o.Id}: {tech.Id} lacks {o.RequiredSkill}");
                if (o.PinnedTechnicianId is not null && o.PinnedTechnicianId != tech.Id) v.Add($"{o.Id}: pinned to {o.PinnedTechnicianId}, planned for {tech.Id}");
                if (stop.ServiceStart < o.WindowStart || stop.ServiceStart > o.WindowEnd.AddSeconds(1)) v.Add($"{o.Id}: starts {stop.ServiceStart:HH:mm} outside {o.WindowStart:HH:mm}-{o.WindowEnd:HH:mm}");
                var leg = travel.Leg(at, o.Location).Minutes;
                if (stop.Arrival < free.AddMinutes(leg - 0.01)) v.Add($"{o.Id}: arrives before it could drive there");
                if (stop.ServiceStart < stop.Arrival.AddSeconds(-1)) v.Add($"{o.Id}: starts before arriving");
                if (tech.LunchStart is { } ls && tech.LunchEnd is { } le && stop.ServiceStart < le && stop.ServiceEnd > ls)
                    v.Add($"{o.Id}: service overlaps {tech.Id}'s lunch");
                if (stop.ServiceStart < tech.ShiftStart) v.Add($"{o.Id}: before {tech.Id}'s shift");
                at = o.Location;
                free = stop.ServiceEnd;
            }
            if (route.Stops.Count > 0 && route.ReturnHome > tech.ShiftEnd.AddSeconds(1)) v.Add($"{tech.Id} gets home after the shift ends");
        }
        foreach (var u in plan.Unserved)
            if (!seen.Add(u.OrderId)) v.Add($"{u.OrderId} both planned and unserved");
        if (seen.Count != request.Orders.Count) v.Add($"{request.Orders.Count - seen.Count} orders neither planned nor reported unserved");
        return v;
    }
}
