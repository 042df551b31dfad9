using System.Globalization;
using System.Runtime.InteropServices;

namespace Fieldline.Routing.Dispatch;

// Turns a search state into the plan the dispatcher sees: timed stops, an explanation per assignment (skill,
// distance, load, deadline, and the extra cost of the next-best qualified technician), reasons for unserved orders.
internal static class PlanBuilder
{
    public static DispatchPlan Build(DayModel m, DayState s, DaySearch search, TimeSpan elapsed)
    {
        var routes = new List<TechnicianRoute>(m.T);
        var times = new StopTime[m.O + 1];
        var without = new List<int>();
        double km = 0, minutes = 0, late = 0;
        int withDeadline = 0, met = 0;
        for (var k = 0; k < m.T; k++)
        {
            var tech = m.Request.Technicians[k];
            var route = s.Routes[k];
            var e = m.Evaluate(k, CollectionsMarshal.AsSpan(route), times: times);
            km += e.TravelKm;
            minutes += e.TravelMinutes;
            late += e.LateMinutes;
            var stops = new List<PlannedStop>(route.Count);
            for (var p = 0; p < route.Count; p++)
            {
                var i = route[p];
                var t = times[p];
                if (!double.IsPositiveInfinity(m.Deadline[i]))
                {
                    withDeadline++;
                    if (t.Late <= 1e-9) met++;
                }
                without.Clear();
                without.AddRange(route);
                without.RemoveAt(p);
                var removalSaving = s.RouteCost[k] - m.Evaluate(k, CollectionsMarshal.AsSpan(without)).Cost;
                var ownTravel = e.TravelMinutes - m.Evaluate(k, CollectionsMarshal.AsSpan(without)).TravelMinutes;
                var (altK, altP, altDelta) = search.BestInsertion(s, i, 0, excludeTech: k);
                double? extra = null, extraTravel = null;
                if (altK >= 0)
                {
                    extra = Math.Round(altDelta - removalSaving, 2);
                    var alt = s.Routes[altK].ToList();
                    var altBefore = m.Evaluate(altK, CollectionsMarshal.AsSpan(alt)).TravelMinutes;
                    alt.Insert(altP, i);
                    extraTravel = Math.Round(m.Evaluate(altK, CollectionsMarshal.AsSpan(alt)).TravelMinutes - altBefore - ownTravel, 1);
                }
                var order = m.Request.Orders[i];
                double? slack = double.IsPositiveInfinity(m.Deadline[i]) ? null : Math.Round(m.Deadline[i] - t.End, 1);
                var pinned = order.PinnedTechnicianId is not null;
                var altId = altK >= 0 ? m.Request.Technicians[altK].Id : null;
                var text = (
                    (pinned ? Inv($"pinned to {tech.Id}") : Inv($"{tech.Id} has skill {order.RequiredSkill}")) + "; " +
                    Inv($"{t.LegKm:0.0} km ({t.LegMinutes:0} min) from the previous stop; {m.CurrentLoad[k] + route.Count} orders today") +
                    (slack is null ? "" : slack >= 0 ? Inv($"; done {slack:0} min before the {m.At(m.Deadline[i]):HH:mm} deadline") : Inv($"; {-slack:0} min late for the {m.At(m.Deadline[i]):HH:mm} deadline")) +
                    (altId is null ? "; no other qualified technician can fit it" : Inv($"; next best {altId} would cost {extra:+0.0;-0.0;0.0} ({extraTravel:+0;-0;0} min driving)")));
                stops.Add(new PlannedStop(order.Id, m.At(t.Arrival), m.At(t.Start), m.At(t.End), Math.Round(t.LegKm, 2),
                    Math.Round(t.LegMinutes, 1), Math.Round(t.Late, 1),
                    new AssignmentExplanation(order.RequiredSkill, Math.Round(t.LegKm, 2), m.CurrentLoad[k] + route.Count, slack, pinned,
                        altId, extra, extraTravel, text), Math.Round(removalSaving, 1)));
            }
            routes.Add(new TechnicianRoute(tech.Id, stops, Math.Round(e.TravelKm, 2), Math.Round(e.TravelMinutes, 1),
                m.At(route.Count == 0 ? m.ShiftStart[k] : times[route.Count].Arrival),
                e.Feasible && route.TrueForAll(i => m.CanServe(i, k))));
        }
        var unserved = new List<UnservedOrder>();
        for (var i = 0; i < m.O; i++)
        {
            if (s.TechOf[i] >= 0) continue;
            if (!double.IsPositiveInfinity(m.Deadline[i])) withDeadline++;
            unserved.Add(new UnservedOrder(m.Request.Orders[i].Id, Reason(m, i)));
        }
        var counts = Enumerable.Range(0, m.T).Select(k => m.CurrentLoad[k] + s.Routes[k].Count).DefaultIfEmpty(0).ToList();
        var summary = new PlanSummary(m.O, m.O - unserved.Count, unserved.Count, withDeadline, met, Math.Round(km, 1),
            Math.Round(minutes, 1), Math.Round(late, 1), counts.Min(), counts.Max(), Math.Round(s.Cost, 1), search.Iterations, elapsed);
        return new DispatchPlan(routes, unserved, summary);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Reason(DayModel m, int i)
    {
        var order = m.Request.Orders[i];
        if (order.PinnedTechnicianId is { } pin)
        {
            var tech = m.Request.Technicians.FirstOrDefault(t => t.Id == pin);
            if (tech is null) return Inv($"pinned technician {pin} is not on the roster");
            if (!tech.Skills.Contains(order.RequiredSkill, StringComparer.OrdinalIgnoreCase)) return Inv($"pinned technician {pin} lacks the skill {order.RequiredSkill}");
            if (order.Excludes(pin)) return Inv($"pinned technician {pin} may not take it");
        }
        var qualified = Enumerable.Range(0, m.T).Where(k => m.CanServe(i, k)).ToList();
        if (order.PinnedTechnicianId is not null && qualified.Count == 1 && !m.Evaluate(qualified[0], [i]).Feasible)
            return Inv($"the appointment window {order.WindowStart:HH:mm}-{order.WindowEnd:HH:mm} does not fit the shift of the pinned technician {order.PinnedTechnicianId}");
        if (order.PinnedTechnicianId is not null && qualified.Count == 1)
            return Inv($"the pinned technician {order.PinnedTechnicianId} cannot fit it with the other pinned orders");
        if (qualified.Count == 0)
            return m.Request.Technicians.Any(t => t.Skills.Contains(order.RequiredSkill, StringComparer.OrdinalIgnoreCase))
                ? Inv($"every technician with the skill {order.RequiredSkill} is excluded from it")
                : Inv($"no technician has the skill {order.RequiredSkill}");
        var alone = qualified.Any(k => m.Evaluate(k, [i]).Feasible);
        return alone
            ? Inv($"all {qualified.Count} qualified technicians are fully booked in the appointment window")
            : Inv($"the appointment window {order.WindowStart:HH:mm}-{order.WindowEnd:HH:mm} does not fit any qualified technician's shift");
    }
}
