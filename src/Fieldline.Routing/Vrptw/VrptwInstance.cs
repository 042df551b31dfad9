namespace Fieldline.Routing.Vrptw;

// One row of a Solomon file. Node 0 is the depot; its window is the planning horizon.
public readonly record struct VrptwNode(int Id, double X, double Y, int Demand, double Ready, double Due, double Service);

// A capacitated VRP with time windows: travel time equals Euclidean distance (full double precision).
public sealed class VrptwInstance
{
    private readonly double[] _distance;

    public VrptwInstance(string name, int vehicleLimit, int capacity, IReadOnlyList<VrptwNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count < 2) throw new ArgumentException("An instance needs a depot and at least one customer.", nameof(nodes));
        Name = name;
        VehicleLimit = vehicleLimit;
        Capacity = capacity;
        Nodes = nodes;
        var n = nodes.Count;
        _distance = new double[n * n];
        for (var a = 0; a < n; a++)
            for (var b = 0; b < n; b++)
            {
                var dx = nodes[a].X - nodes[b].X;
                var dy = nodes[a].Y - nodes[b].Y;
                _distance[a * n + b] = Math.Sqrt(dx * dx + dy * dy);
            }
    }

    public string Name { get; }
    public int VehicleLimit { get; }
    public int Capacity { get; }
    public IReadOnlyList<VrptwNode> Nodes { get; }
    public int CustomerCount => Nodes.Count - 1;

    // Indexes are positions in Nodes (the depot is 0); Solomon files number rows the same way.
    public double Distance(int from, int to) => _distance[from * Nodes.Count + to];

    internal double[] DistanceMatrix => _distance;

    public int IndexOf(int customerId)
    {
        if (customerId >= 0 && customerId < Nodes.Count && Nodes[customerId].Id == customerId) return customerId;
        for (var i = 0; i < Nodes.Count; i++)
            if (Nodes[i].Id == customerId) return i;
        return -1;
    }

    // Fewest vehicles a capacity argument allows; the fleet phase stops when it gets there.
    public int CapacityLowerBound()
    {
        long demand = 0;
        for (var i = 1; i < Nodes.Count; i++) demand += Nodes[i].Demand;
        return (int)Math.Max(1, (demand + Capacity - 1) / Capacity);
    }
}
