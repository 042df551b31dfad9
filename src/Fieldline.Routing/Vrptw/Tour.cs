namespace Fieldline.Routing.Vrptw;

// One vehicle's route with the schedule caches that make an insertion check O(1): Start[i] is the earliest service
// start at path position i (0 = depot departure, Count+1 = depot return) and Latest[i] the latest start that keeps
// the rest of the route feasible.
internal sealed class Tour
{
    public Tour(int maxCustomers)
    {
        Nodes = new int[maxCustomers];
        Start = new double[maxCustomers + 2];
        Latest = new double[maxCustomers + 2];
    }

    public int[] Nodes { get; }
    public double[] Start { get; }
    public double[] Latest { get; }
    public int Count { get; set; }
    public int Load { get; private set; }
    public double Distance { get; private set; }

    public int NodeAt(int pathPosition) => pathPosition == 0 || pathPosition == Count + 1 ? 0 : Nodes[pathPosition - 1];

    public void CopyFrom(Tour other)
    {
        Count = other.Count;
        Load = other.Load;
        Distance = other.Distance;
        Array.Copy(other.Nodes, Nodes, Count);
        Array.Copy(other.Start, Start, Count + 2);
        Array.Copy(other.Latest, Latest, Count + 2);
    }

    public void Recompute(VrptwModel m)
    {
        var n = m.N;
        var d = m.D;
        var load = 0;
        double dist = 0;
        Start[0] = m.Ready[0];
        var prev = 0;
        for (var i = 0; i < Count; i++)
        {
            var c = Nodes[i];
            load += m.Demand[c];
            var leg = d[prev * n + c];
            dist += leg;
            Start[i + 1] = Math.Max(m.Ready[c], Start[i] + m.Service[prev] + leg);
            prev = c;
        }
        var back = d[prev * n];
        dist += back;
        Start[Count + 1] = Start[Count] + m.Service[prev] + back;
        Load = load;
        Distance = dist;

        Latest[Count + 1] = m.Due[0];
        var next = 0;
        for (var i = Count; i >= 1; i--)
        {
            var c = Nodes[i - 1];
            Latest[i] = Math.Min(m.Due[c], Latest[i + 1] - d[c * n + next] - m.Service[c]);
            next = c;
        }
        Latest[0] = Math.Min(m.Due[0], Latest[1] - (Count > 0 ? d[next] : 0) - m.Service[0]);
    }

    public void Insert(int position, int customer)
    {
        Array.Copy(Nodes, position, Nodes, position + 1, Count - position);
        Nodes[position] = customer;
        Count++;
    }
}
