namespace Fieldline.Web.Infrastructure.Clock;

/// <summary>
/// The server's clock is the only clock. <c>Fieldline:Clock=Manual</c> swaps in a <see cref="ManualClock"/> that the
/// sandbox API moves, so a whole day of deadlines can be scripted in seconds; it is refused in Production.
/// </summary>
public static class ClockSetup
{
    public static IServiceCollection AddClock(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        var mode = config["Fieldline:Clock"] ?? "System";
        if (string.Equals(mode, "Manual", StringComparison.OrdinalIgnoreCase))
        {
            if (env.IsProduction())
                throw new InvalidOperationException("Fieldline:Clock=Manual (the sandbox clock) is refused in Production.");
            var start = config["Fieldline:ClockStart"] is { } s ? DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : TimeProvider.System.GetUtcNow();
            var clock = new ManualClock(start.ToUniversalTime());
            services.AddSingleton(clock);
            services.AddSingleton<TimeProvider>(clock);
        }
        else if (string.Equals(mode, "System", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton(TimeProvider.System);
        }
        else
        {
            throw new InvalidOperationException($"Fieldline:Clock must be System or Manual, not '{mode}'.");
        }
        return services;
    }
}

/// <summary>A clock that only moves when told to (sandbox mode).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public void Set(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (now < _now) throw new ArgumentOutOfRangeException(nameof(now), "The sandbox clock only moves forward.");
            _now = now.ToUniversalTime();
        }
    }
}
