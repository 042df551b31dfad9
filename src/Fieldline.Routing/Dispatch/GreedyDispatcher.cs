namespace Fieldline.Routing.Dispatch;

// What a dispatcher does by hand: take orders by appointment time (urgent first), give each to the nearest qualified
// technician who is free to do it next, i.e. can append it to their route and still keep windows and the shift.
internal static class GreedyDispatcher
{
    public static DayState Assign(DayModel m)
    {
        var s = new DayState(m);
        var order = Enumerable.Range(0, m.O)
            .OrderBy(i => m.Urgent[i] ? 0 : 1).ThenBy(i => m.WinStart[i]).ThenBy(i => m.Deadline[i]).ThenBy(i => i).ToList();
        var buffer = new int[m.O + 1];
        foreach (var i in order)
        {
            int bestK = -1;
            var bestLeg = double.MaxValue;
            for (var k = 0; k < m.T; k++)
            {
                if (!m.CanServe(i, k)) continue;
                var route = s.Routes[k];
                route.CopyTo(buffer);
                buffer[route.Count] = i;
                if (!m.Evaluate(k, buffer.AsSpan(0, route.Count + 1)).Feasible) continue;
                var from = route.Count == 0 ? k : m.T + route[^1];
                var leg = m.LegMinutes(from, m.T + i);
                if (leg < bestLeg) { bestLeg = leg; bestK = k; }
            }
            if (bestK < 0) continue;
            s.Routes[bestK].Add(i);
            s.TechOf[i] = bestK;
            s.Refresh(bestK);
        }
        return s;
    }
}
