namespace Fieldline.Routing.Search;

// Simulated-annealing acceptance with an exponential schedule driven by the iteration count, never by the clock, so a
// seed reproduces the same trajectory on any machine (the clock only decides when to stop).
internal sealed class Annealing(double startTemperature, double endTemperature, long iterations)
{
    public double Temperature(long iteration)
    {
        if (iterations <= 0) return endTemperature;
        var f = Math.Min(1.0, (double)iteration / iterations);
        return startTemperature * Math.Pow(endTemperature / startTemperature, f);
    }

    // Accept when the candidate is below the current cost plus a random threshold T·(-ln U), as in SISR.
    public static bool Accept(double candidate, double current, double temperature, Rng rng) =>
        candidate < current - temperature * Math.Log(1.0 - rng.NextDouble());
}
