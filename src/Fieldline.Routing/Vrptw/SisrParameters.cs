namespace Fieldline.Routing.Vrptw;

// The SISR parameters from the paper (c̄ = 10, L_max = 10, blink rate 0.01), with our annealing temperatures
// expressed relative to the mean arc length of the first solution so that the same values suit any coordinate scale.
public sealed record SisrParameters
{
    public double AverageRemoved { get; init; } = 10;
    public double MaxStringLength { get; init; } = 10;
    public double SplitRate { get; init; } = 0.5;
    public double SplitDepth { get; init; } = 0.5;
    public double BlinkRate { get; init; } = 0.01;
    public double StartTemperature { get; init; } = 0.5;
    public double EndTemperature { get; init; } = 0.01;
    // Independent searches from scratch, each with an equal share of the iteration budget; the best is returned.
    public int Runs { get; init; } = 3;
    // Shares of the iteration budget: a distance-only warm-up with any fleet, then removing routes (at most this
    // share); the rest minimises distance with the fleet found.
    public double WarmUpShare { get; init; } = 0.1;
    public double FleetShare { get; init; } = 0.45;
    // Nearest neighbours tried per customer by the local search applied to each new best solution (0 = none).
    public int LocalSearchNeighbours { get; init; } = 20;
}
