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
    }

    public Tour[] Tours { get; }
    public int TourCount { get; set; }
    public int[] TourOf { get; }
    public int[] PosOf { get; }
    public List<int> Absent { get; }
    public double Distance { get; private set; }

    public void CopyFrom(Plan other)
    {
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

    // Drops empty routes, keeping the others' relative order so the search stays deterministic.
    public void Compact()
    {
        var w = 0;
        for (var t = 0; t < TourCount; t++)
        {
            if (Tours[t].Count == 0) continue;
            if (w != t)
            {
                (Tours[w], Tours[t]) = (Tours[t], Tours[w]);
                for (var i = 0; i < Tours[w].Count; i++) TourOf[Tours[w].Nodes[i]] = w;
            }
            w++;
        }
        TourCount = w;
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
