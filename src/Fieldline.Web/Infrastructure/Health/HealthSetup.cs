using System.Text.Json;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fieldline.Web.Infrastructure.Health;

/// <summary>
/// <c>/health/live</c>: the process answers (no dependency is asked, so a database outage never gets a node restarted).
/// <c>/health/ready</c>: the database answers a query and live push reaches the other nodes; each check has its own
/// time-out, so both answer within 2 s whatever the database does. JSON, one entry per check. <c>/health</c> is the
/// readiness answer as plain text, as before.
/// </summary>
public static class HealthSetup
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(1.5);

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseCircuit>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>(); // before the general problem mapping (AddHttpConventions)
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"], timeout: CheckTimeout)
            .AddCheck<LivePushHealthCheck>("livePush", tags: ["ready"], timeout: CheckTimeout);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        // /health is in the contract (api.md Resources), so it is a route handler the OpenAPI document describes, not the
        // health-check middleware's own endpoint (which the generator does not see); it answers as that middleware did.
        app.MapGet("/health", Readiness).AllowAnonymous().WithTags("Health")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJson });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteJson });
        return app;
    }

    /// <summary>The readiness checks' overall status as plain text: "Healthy" or "Degraded" with 200, "Unhealthy" with 503; never cached.</summary>
    private static async Task<ContentHttpResult> Readiness(HealthCheckService health, HttpContext http, CancellationToken ct)
    {
        var report = await health.CheckHealthAsync(c => c.Tags.Contains("ready"), ct);
        http.Response.Headers.CacheControl = "no-store, no-cache";
        http.Response.Headers.Pragma = "no-cache";
        http.Response.Headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
        return TypedResults.Text(report.Status.ToString(), "text/plain",
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private static Task WriteJson(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(), durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1), description = e.Value.Description,
            }),
        }, JsonSerializerOptions.Web));
    }
}

/// <summary>Opens a connection of its own and runs SELECT 1: no retries, no circuit, just whether the server answers now.</summary>
internal sealed class DatabaseHealthCheck(AppDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using System.Data.Common.DbConnection connection = db.Database.IsNpgsql()
                ? new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Timeout = 2, Pooling = false }.ConnectionString)
                : new Microsoft.Data.Sqlite.SqliteConnection(db.Database.GetConnectionString());
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("database unreachable: " + e.GetBaseException().Message);
        }
    }
}

internal sealed class LivePushHealthCheck(ILiveTransport transport) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(transport.Connected ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded("live push is reconnecting to the database"));
}
