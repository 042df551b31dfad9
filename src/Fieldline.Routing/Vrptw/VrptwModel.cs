namespace Fieldline.Routing.Vrptw;

// Flat arrays of the instance for the search's inner loops, plus each customer's neighbours by distance (the ruin
// step walks them to remove strings from routes that are close to each other).
internal sealed class VrptwModel
{
    public VrptwModel(VrptwInstance instance)
    {
        N = instance.Nodes.Count;
        D = instance.DistanceMatrix;
        Capacity = instance.Capacity;
        Ready = new double[N]; Due = new double[N]; Service = new double[N]; Demand = new int[N];
        for (var i = 0; i < N; i++)
        {
            var node = instance.Nodes[i];
            Ready[i] = node.Ready; Due[i] = node.Due; Service[i] = node.Service; Demand[i] = node.Demand;
        }
        Neighbours = new int[N][];
        for (var c = 1; c < N; c++)
        {
            var others = Enumerable.Range(1, N - 1).ToArray();
            var keys = others.Select(o => o == c ? -1.0 : D[c * N + o]).ToArray();
            Array.Sort(keys, others);
            Neighbours[c] = others;
        }
        Neighbours[0] = [];
    }

    public int N { get; }
    public double[] D { get; }
    public int Capacity { get; }
    public double[] Ready { get; }
    public double[] Due { get; }
    public double[] Service { get; }
    public int[] Demand { get; }
    public int[][] Neighbours { get; }

    public double Dist(int a, int b) => D[a * N + b];
}
