using System.Data.Common;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Fieldline.Web.Infrastructure.Health;

/// <summary>The database cannot be reached now; answered 503 with Retry-After.</summary>
public sealed class DatabaseUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A circuit breaker in front of PostgreSQL: once a connection fails for a reason of the server's (down, restarting,
/// refusing), every request for the next <see cref="OpenFor"/> fails at once instead of each waiting out connect
/// time-outs and retries (a request then took 27 s). After that the next request tries the server again, so the app
/// recovers by itself within seconds of the database coming back.
/// </summary>
public sealed class DatabaseCircuit : DbConnectionInterceptor, IDbCommandInterceptor
{
    // Real time, not the business clock: the sandbox clock must not keep a circuit open or closed.
    private static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(2);
    private long _openUntilTicks;

    public bool IsOpen => TimeProvider.System.GetUtcNow().UtcTicks < Interlocked.Read(ref _openUntilTicks);

    public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result,
        CancellationToken cancellationToken = default)
    {
        ThrowIfOpen();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        ThrowIfOpen();
        return result;
    }

    public override Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Observe(eventData.Exception);
        return Task.CompletedTask;
    }

    public override void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Observe(eventData.Exception);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Observe(eventData.Exception);
        return Task.CompletedTask;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Observe(eventData.Exception);

    private void ThrowIfOpen()
    {
        if (IsOpen) throw new DatabaseUnavailableException("The database cannot be reached (it failed moments ago); try again shortly.");
    }

    private void Observe(Exception e)
    {
        // The circuit's own refusal is not news about the server: counting it would keep the circuit open for ever.
        if (e is not DatabaseUnavailableException && IsServerDown(e)) Interlocked.Exchange(ref _openUntilTicks, TimeProvider.System.GetUtcNow().Add(OpenFor).UtcTicks);
    }

    /// <summary>A failure of the connection or the server, not of the statement (a constraint, a bad query).</summary>
    public static bool IsServerDown(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DatabaseUnavailableException) return true;
            if (e is PostgresException pg) return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
                || pg.SqlState == "53300"; // connection exception, operator intervention (shutdown, crash), too many connections
            if (e is NpgsqlException { IsTransient: true }) return true;
        }
        return false;
    }

}

/// <summary>Turns "the database is away" into 503 with Retry-After, before the general problem mapping sees it as a 500.</summary>
internal sealed class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (!DatabaseCircuit.IsServerDown(exception)) return false;
        log.LogWarning("Database unavailable on {Method} {Path}: {Error}", http.Request.Method, http.Request.Path, exception.GetBaseException().Message);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "2";
        var culture = LocalizationSetup.CultureOf(http);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http, Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = 503, Title = Msg.Of("Service unavailable").Render(culture),
                Detail = Msg.Of("The database cannot be reached right now. Try again in a few seconds.").Render(culture),
            },
        });
    }
}
