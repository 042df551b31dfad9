using System.Globalization;
using System.Text;
using Fieldline.Routing.Search;

namespace Fieldline.Routing.Vrptw;

// Fresh instances of the six Solomon kinds, for checking the solver on instances nobody has tuned to. The kinds
// follow Solomon's (1987) design as the published files show it: R = uniformly random customers, C = clustered,
// RC = half of each; type 1 = short horizon and capacity 200 (many short routes), type 2 = long horizon and large
// capacity (few long routes). Per kind: depot, horizon, capacity, service time and demands as in the published
// files; a share of 25, 50, 75 or 100 % of the customers get a window (the others may come any time they can still
// get back to the depot); window widths are drawn per instance, as the published files vary them from file to file.
// Every customer can be served by a vehicle of its own, and the fleet is one vehicle per customer, so every instance
// is feasible.
public static class SolomonGenerator
{
    public static readonly IReadOnlyList<string> Kinds = ["C1", "C2", "R1", "R2", "RC1", "RC2"];

    private sealed record Kind(
        double DepotX, double DepotY, double Horizon, int Capacity, double Service, bool Clustered, bool Random,
        int MinDemand, int MaxDemand, int DemandStep, double[] WidthChoices, double WidthSpread);

    private static Kind Describe(string kind) => kind.ToUpperInvariant() switch
    {
        "C1" => new(40, 50, 1236, 200, 90, Clustered: true, Random: false, 10, 50, 10, [60, 120, 180], 0.5),
        "C2" => new(40, 50, 3390, 700, 90, Clustered: true, Random: false, 10, 50, 10, [160, 320, 640], 0.5),
        "R1" => new(35, 35, 230, 200, 10, Clustered: false, Random: true, 1, 41, 1, [10, 30, 60], 0.6),
        "R2" => new(35, 35, 1000, 1000, 10, Clustered: false, Random: true, 1, 41, 1, [120, 240, 360], 0.7),
        "RC1" => new(40, 50, 240, 200, 10, Clustered: true, Random: true, 2, 40, 1, [30, 60, 90], 0.6),
        "RC2" => new(40, 50, 960, 1000, 10, Clustered: true, Random: true, 2, 40, 1, [120, 240, 360], 0.7),
        _ => throw new ArgumentException($"Unknown kind '{kind}'; use one of {string.Join(", ", Kinds)}.", nameof(kind)),
    };

    public static VrptwInstance Generate(string kind, long seed, int customers = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 1);
        var k = Describe(kind);
        var kindIndex = Kinds.ToList().IndexOf(kind.ToUpperInvariant());
        var rng = new Rng(unchecked(seed * 31 + kindIndex));
        var points = Points(k, customers, rng);

        // Per instance, as in the published files: the share of customers with a window, and the width law.
        var density = new[] { 0.25, 0.5, 0.75, 1.0 }[rng.Next(4)];
        var width = k.WidthChoices[rng.Next(k.WidthChoices.Length)];
        var nodes = new List<VrptwNode>(customers + 1) { new(0, k.DepotX, k.DepotY, 0, 0, k.Horizon, 0) };
        for (var i = 0; i < customers; i++)
        {
            var (x, y) = points[i];
            var fromDepot = Math.Sqrt((x - k.DepotX) * (x - k.DepotX) + (y - k.DepotY) * (y - k.DepotY));
            var earliest = Math.Ceiling(fromDepot);
            var latest = Math.Floor(k.Horizon - k.Service - fromDepot); // latest start that still gets back in time
            var steps = (k.MaxDemand - k.MinDemand) / k.DemandStep;
            var demand = k.MinDemand + k.DemandStep * rng.Next(steps + 1);
            double ready = 0, due = latest;
            if (rng.NextDouble() < density)
            {
                var w = Math.Max(1, Math.Round(width * (1 + k.WidthSpread * (2 * rng.NextDouble() - 1))));
                var centre = earliest + rng.NextDouble() * Math.Max(0, latest - earliest);
                ready = Math.Max(0, Math.Round(centre - w / 2));
                due = Math.Min(latest, Math.Round(centre + w / 2));
                if (due < earliest) due = earliest;
                if (ready > due) ready = due;
            }
            nodes.Add(new VrptwNode(i + 1, x, y, demand, ready, due, k.Service));
        }
        var name = $"{kind.ToUpperInvariant()}-fresh-{seed}";
        // Solomon's files allow 25 vehicles; a fresh draw of tight windows can need more, so the fleet is not limited
        // (the objective minimises vehicles anyway) and every instance is feasible for any solver.
        return new VrptwInstance(name, customers, k.Capacity, nodes);
    }

    // Integer coordinates on the 0-100 square: uniform (R), around 8-10 cluster centres (C), or half each (RC).
    private static (double X, double Y)[] Points(Kind k, int customers, Rng rng)
    {
        var clustered = k.Clustered ? (k.Random ? customers / 2 : customers) : 0;
        var centres = new (double X, double Y)[8 + rng.Next(3)];
        for (var c = 0; c < centres.Length; c++) centres[c] = (10 + rng.Next(81), 10 + rng.Next(81));
        var points = new (double, double)[customers];
        for (var i = 0; i < customers; i++)
        {
            if (i < clustered)
            {
                var (cx, cy) = centres[i % centres.Length];
                var r = 6 * Math.Sqrt(rng.NextDouble());
                var a = 2 * Math.PI * rng.NextDouble();
                points[i] = (Math.Clamp(Math.Round(cx + r * Math.Cos(a)), 0, 100), Math.Clamp(Math.Round(cy + r * Math.Sin(a)), 0, 100));
            }
            else points[i] = (rng.Next(101), rng.Next(101));
        }
        // Shuffle so that customer numbers say nothing about clusters.
        for (var i = customers - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (points[i], points[j]) = (points[j], points[i]);
        }
        return points;
    }

    // The Solomon text format, readable by SolomonReader and by other solvers.
    public static string ToSolomonText(VrptwInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var text = new StringBuilder();
        text.AppendLine(instance.Name).AppendLine();
        text.AppendLine("VEHICLE").AppendLine("NUMBER     CAPACITY");
        text.AppendLine(CultureInfo.InvariantCulture, $"{instance.VehicleLimit,6} {instance.Capacity,12}").AppendLine();
        text.AppendLine("CUSTOMER");
        text.AppendLine("CUST NO.   XCOORD.   YCOORD.    DEMAND   READY TIME   DUE DATE   SERVICE TIME").AppendLine();
        foreach (var n in instance.Nodes)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{n.Id,5} {n.X,10} {n.Y,10} {n.Demand,10} {n.Ready,12} {n.Due,10} {n.Service,10}");
        return text.ToString();
    }
}
