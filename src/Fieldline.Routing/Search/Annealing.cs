namespace Fieldline.Routing.Search;

// Simulated-annealing acceptance with an exponential schedule over a progress fraction from 0 to 1. Callers drive
// the progress by the iteration count, so a seed reproduces the same trajectory on any machine (the VRPTW search
// lets a deadline speed the progress up on a machine that cannot keep up with the planned iterations).
internal sealed class Annealing(double startTemperature, double endTemperature)
{
    public double Temperature(double progress) =>
        startTemperature * Math.Pow(endTemperature / startTemperature, Math.Clamp(progress, 0.0, 1.0));

    // Accept when the candidate is below the current cost plus a random threshold T·(-ln U), as in SISR.
    public static bool Accept(double candidate, double current, double temperature, Rng rng) =>
        candidate < current - temperature * Math.Log(1.0 - rng.NextDouble());
}
