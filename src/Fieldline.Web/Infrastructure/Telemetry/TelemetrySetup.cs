using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Fieldline.Web.Infrastructure.Telemetry;

public sealed class TelemetryOptions
{
    /// <summary>An OTLP collector (e.g. <c>http://otel-collector:4317</c>); traces and metrics are exported to it when set.
    /// The standard OTEL_EXPORTER_OTLP_ENDPOINT variable works as well.</summary>
    public string? OtlpEndpoint { get; set; }
    /// <summary>Serve <c>/metrics</c> only on this port (one of <c>--urls</c>), so the public port does not expose it.</summary>
    public int? MetricsPort { get; set; }
}

/// <summary>
/// OpenTelemetry traces and metrics: ASP.NET Core, EF Core, HttpClient (the SMS gateway, S3), Npgsql, and the app's own
/// (<see cref="FieldlineMetrics"/>). Metrics are scraped by Prometheus at <c>/metrics</c>; both go to an OTLP collector
/// when one is configured. Every request has a trace id, which the JSON logs carry (Logging:Console:FormatterOptions:IncludeScopes).
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Fieldline:Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        services.AddSingleton(options);
        var otlp = options.OtlpEndpoint ?? config["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("fieldline", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId));
        // Spans only when someone collects them: without a collector, recording a span per request and per SQL statement
        // (Npgsql's) cost a create 3–5 % of its CPU for nothing. The logs' trace ids do not need it (ASP.NET Core's own activity).
        if (!string.IsNullOrEmpty(otlp))
            telemetry.WithTracing(t => t.AddSource(FieldlineMetrics.Name, "Npgsql")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(otlp)));
        telemetry
            .WithMetrics(m =>
            {
                m.AddMeter(FieldlineMetrics.Name, "Microsoft.EntityFrameworkCore", "Npgsql")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddPrometheusExporter();
                if (!string.IsNullOrEmpty(otlp)) m.AddOtlpExporter(o => o.Endpoint = new Uri(otlp));
            });
        return services;
    }

    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<TelemetryOptions>();
        var scrape = app.MapPrometheusScrapingEndpoint("/metrics");
        if (options.MetricsPort is { } port) scrape.RequireHost($"*:{port}");
        return app;
    }

    // Health probes and scrapes every few seconds would drown the traces that matter.
    private static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
