namespace Fieldline.Routing.Vrptw;

// A (possibly partial) solution: routes, which route each customer is on, and customers left out ("absent").
// Pre-allocated so that copying one plan onto another inside the search loop allocates nothing.
internal sealed class Plan
{
    private readonly VrptwModel _m;

    public Plan(VrptwModel m)
    {
        _m = m;
        Tours = new Tour[m.N];
        for (var i = 0; i < Tours.Length; i++) Tours[i] = new Tour(m.N);
        TourOf = new int[m.N];
        PosOf = new int[m.N];
        Array.Fill(TourOf, -1);
        Absent = new List<int>(m.N);
        _dirtyMark = new bool[m.N + 1];
        _dirty = new List<int>(m.N + 1);
    }

    // Route indexes changed since the last CopyFrom / SyncFrom, so that a candidate can be brought back in line with
    // the plan it was copied from by copying only those routes.
    private readonly bool[] _dirtyMark;
    private readonly List<int> _dirty;

    public Tour[] Tours { get; }
    public int TourCount { get; set; }
    public int[] TourOf { get; }
    public int[] PosOf { get; }
    public List<int> Absent { get; }
    public double Distance { get; private set; }

    private void MarkDirty(int t)
    {
        if (_dirtyMark[t]) return;
        _dirtyMark[t] = true;
        _dirty.Add(t);
    }

    private void ClearDirty()
    {
        foreach (var t in _dirty) _dirtyMark[t] = false;
        _dirty.Clear();
    }

    // Makes this plan equal to `source` when the two differed only in routes marked dirty on either side (this plan
    // was a copy of `source`, or `source` a copy of it, and one of them has since been changed).
    public void SyncFrom(Plan source)
    {
        SyncTours(source, _dirty);
        SyncTours(source, source._dirty);
        TourCount = source.TourCount;
        foreach (var c in source.Absent) TourOf[c] = -1;
        Absent.Clear();
        Absent.AddRange(source.Absent);
        Distance = source.Distance;
        ClearDirty();
        source.ClearDirty();
    }

    private void SyncTours(Plan source, List<int> indexes)
    {
        foreach (var t in indexes)
        {
            if (t >= source.TourCount) continue;
            var tour = Tours[t];
            tour.CopyFrom(source.Tours[t]);
            for (var i = 0; i < tour.Count; i++)
            {
                TourOf[tour.Nodes[i]] = t;
                PosOf[tour.Nodes[i]] = i;
            }
        }
    }

    public void CopyFrom(Plan other)
    {
        ClearDirty();
        TourCount = other.TourCount;
        for (var t = 0; t < TourCount; t++) Tours[t].CopyFrom(other.Tours[t]);
        Array.Copy(other.TourOf, TourOf, TourOf.Length);
        Array.Copy(other.PosOf, PosOf, PosOf.Length);
        Absent.Clear();
        Absent.AddRange(other.Absent);
        Distance = other.Distance;
    }

    public void Refresh(int t)
    {
        MarkDirty(t);
        var tour = Tours[t];
        tour.Recompute(_m);
        for (var i = 0; i < tour.Count; i++)
        {
            TourOf[tour.Nodes[i]] = t;
            PosOf[tour.Nodes[i]] = i;
        }
    }

    public void AddTour(int customer)
    {
        var tour = Tours[TourCount];
        tour.Count = 0;
        tour.Insert(0, customer);
        Refresh(TourCount);
        TourCount++;
    }

    // Drops empty routes, moving the last route into each hole (deterministic, and only two indexes change).
    public void Compact()
    {
        var t = 0;
        while (t < TourCount)
        {
            if (Tours[t].Count > 0) { t++; continue; }
            TourCount--;
            MarkDirty(t);
            MarkDirty(TourCount);
            if (t == TourCount) break;
            (Tours[t], Tours[TourCount]) = (Tours[TourCount], Tours[t]);
            for (var i = 0; i < Tours[t].Count; i++) TourOf[Tours[t].Nodes[i]] = t;
        }
    }

    public void RemoveTour(int t, List<int> into)
    {
        var tour = Tours[t];
        for (var i = 0; i < tour.Count; i++)
        {
            into.Add(tour.Nodes[i]);
            TourOf[tour.Nodes[i]] = -1;
        }
        tour.Count = 0;
        Compact();
    }

    public void UpdateDistance()
    {
        double d = 0;
        for (var t = 0; t < TourCount; t++) d += Tours[t].Distance;
        Distance = d;
    }

    public int[][] ToRoutes(VrptwInstance instance)
    {
        var routes = new int[TourCount][];
        for (var t = 0; t < TourCount; t++)
        {
            var tour = Tours[t];
            routes[t] = new int[tour.Count];
            for (var i = 0; i < tour.Count; i++) routes[t][i] = instance.Nodes[tour.Nodes[i]].Id;
        }
        return routes;
    }
}
