namespace Fieldline.Routing.Dispatch;

// Routes per technician (order indexes in visiting order), their cached costs, and who serves each order (-1: nobody).
internal sealed class DayState
{
    private readonly DayModel _m;

    public DayState(DayModel m)
    {
        _m = m;
        Routes = new List<int>[m.T];
        for (var k = 0; k < m.T; k++) Routes[k] = new List<int>(16);
        RouteCost = new double[m.T];
        Cache = new RouteCache[m.T];
        for (var k = 0; k < m.T; k++) Cache[k] = new RouteCache(m.O + 1);
        _times = new StopTime[m.O + 1];
        TechOf = new int[m.O];
        Array.Fill(TechOf, -1);
        for (var k = 0; k < m.T; k++) RouteCost[k] = m.Evaluate(k, []).Cost;
    }

    public List<int>[] Routes { get; }
    public double[] RouteCost { get; }
    public RouteCache[] Cache { get; }
    private readonly StopTime[] _times;
    public int[] TechOf { get; }

    public double Cost
    {
        get
        {
            var c = 0.0;
            for (var k = 0; k < _m.T; k++) c += RouteCost[k];
            for (var i = 0; i < _m.O; i++) if (TechOf[i] < 0) c += _m.Unserved[i];
            return c;
        }
    }

    public void CopyFrom(DayState other)
    {
        for (var k = 0; k < _m.T; k++)
        {
            Routes[k].Clear();
            Routes[k].AddRange(other.Routes[k]);
        }
        Array.Copy(other.RouteCost, RouteCost, RouteCost.Length);
        for (var k = 0; k < _m.T; k++) Cache[k].CopyFrom(other.Cache[k], other.Routes[k].Count);
        Array.Copy(other.TechOf, TechOf, TechOf.Length);
    }

    public void Refresh(int k)
    {
        RouteCost[k] = _m.Evaluate(k, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Routes[k]), times: _times).Cost;
        Cache[k].Fill(_times, Routes[k].Count, _m.Options.TravelMinuteCost);
    }
}
