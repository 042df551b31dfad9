using System.Security.Cryptography;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Infrastructure.Idempotency;

public sealed class IdempotencyOptions
{
    public int RetentionDays { get; set; } = 7;
    /// <summary>How long a request may run before a retry with the same key may take over (the first one died).</summary>
    public int LeaseSeconds { get; set; } = 120;
}

/// <summary>
/// Every POST under /api may carry Idempotency-Key. Same key and body → the stored answer, nothing done twice; same key,
/// other body → 422; same key while the first still runs → 409. Keys are per caller and kept RetentionDays.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyOptions options, TimeProvider clock, ILogger<IdempotencyMiddleware> log)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext http, IServiceScopeFactory scopes, IdempotencyContext idempotency, IProblemDetailsService problems)
    {
        var key = http.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(http.Request.Method) || string.IsNullOrEmpty(key) || !http.Request.Path.StartsWithSegments("/api")
            || http.Request.Path.StartsWithSegments("/api/auth"))
        {
            await next(http);
            return;
        }
        if (key.Length > 100 || key.Any(c => c < 0x21 || c > 0x7E))
        {
            await Problem(http, problems, 400, "Invalid Idempotency-Key", "Idempotency-Key must be 1–100 visible ASCII characters (a UUID is best).");
            return;
        }
        var scope = http.User.Identity?.IsAuthenticated == true ? "u:" + CurrentUser.From(http.User).UserId : "anonymous";
        http.Request.EnableBuffering();
        var hash = await Hash(http.Request);
        var now = clock.GetUtcNow();

        await using (var s = scopes.CreateAsyncScope())
        {
            var db = s.ServiceProvider.GetRequiredService<AppDbContext>();
            var record = new IdempotencyRecord
            {
                Scope = scope, Key = key, RequestHash = hash, State = IdempotencyState.InProgress, CreatedAt = now, LeaseUntil = now.AddSeconds(options.LeaseSeconds),
            };
            db.IdempotencyRecords.Add(record);
            try
            {
                await db.SaveChangesAsync(http.RequestAborted);
                idempotency.Begin(record.Id);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                var existing = await db.IdempotencyRecords.FirstAsync(r => r.Scope == scope && r.Key == key, http.RequestAborted);
                if (existing.RequestHash != hash)
                {
                    await Problem(http, problems, 422, "Idempotency-Key reused", "This Idempotency-Key was used with a different request body.");
                    return;
                }
                if (existing.State == IdempotencyState.Completed)
                {
                    await Replay(http, existing);
                    return;
                }
                var takenOver = existing.State == IdempotencyState.InProgress && existing.LeaseUntil < now
                    && await db.IdempotencyRecords.Where(r => r.Id == existing.Id && r.LeaseUntil == existing.LeaseUntil && r.State == IdempotencyState.InProgress)
                        .ExecuteUpdateAsync(u => u.SetProperty(r => r.LeaseUntil, now.AddSeconds(options.LeaseSeconds)), http.RequestAborted) == 1;
                if (!takenOver)
                {
                    await Problem(http, problems, 409, "Request in progress",
                        existing.State == IdempotencyState.Committed
                            ? "A request with this Idempotency-Key was applied; its answer is being stored. Read the resource instead."
                            : "A request with this Idempotency-Key is still being processed. Retry later.");
                    return;
                }
                idempotency.Begin(existing.Id);
            }
        }

        var original = http.Response.Body;
        using var captured = new MemoryStream();
        http.Response.Body = captured;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        captured.Position = 0;
        await Store(scopes, idempotency, http.Response, captured.ToArray());
        await captured.CopyToAsync(original, http.RequestAborted);
    }

    private async Task Store(IServiceScopeFactory scopes, IdempotencyContext idempotency, HttpResponse response, byte[] body)
    {
        await using var s = scopes.CreateAsyncScope();
        var db = s.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = idempotency.RecordId!.Value;
        // A server error that changed nothing is not an answer worth repeating: free the key for a retry.
        if (response.StatusCode >= 500 && !idempotency.Committed)
        {
            await db.IdempotencyRecords.Where(r => r.Id == id).ExecuteDeleteAsync();
            return;
        }
        var location = response.Headers.Location.ToString();
        await db.IdempotencyRecords.Where(r => r.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(r => r.State, IdempotencyState.Completed)
            .SetProperty(r => r.StatusCode, response.StatusCode)
            .SetProperty(r => r.ContentType, response.ContentType)
            .SetProperty(r => r.Location, string.IsNullOrEmpty(location) ? null : location)
            .SetProperty(r => r.Body, body));
        log.LogDebug("Stored idempotent response {Status} for record {Id}", response.StatusCode, id);
    }

    private static async Task Replay(HttpContext http, IdempotencyRecord record)
    {
        http.Response.StatusCode = record.StatusCode ?? 200;
        if (record.ContentType is { } ct) http.Response.ContentType = ct;
        if (record.Location is { } loc) http.Response.Headers.Location = loc;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (record.Body is { Length: > 0 } body) await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    private static async Task<string> Hash(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return HashOf(request.Method, request.Path + request.QueryString, body.ToArray());
    }

    /// <summary>What makes two requests "the same": method, path with query, and the exact body bytes.</summary>
    public static string HashOf(string method, string pathAndQuery, byte[] body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{method} {pathAndQuery}\n"));
        sha.AppendData(body);
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static async Task Problem(HttpContext http, IProblemDetailsService problems, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail } });
    }
}

/// <summary>Deletes idempotency records older than the retention period, once an hour.</summary>
public sealed class IdempotencyCleanup(IServiceScopeFactory scopes, IdempotencyOptions options, TimeProvider clock, ILogger<IdempotencyCleanup> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var s = scopes.CreateAsyncScope();
                var db = s.ServiceProvider.GetRequiredService<AppDbContext>();
                var removed = await DeleteExpired(db, clock.GetUtcNow(), options, stoppingToken);
                if (removed > 0) log.LogInformation("Removed {Count} expired idempotency records", removed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Idempotency cleanup failed; will retry");
            }
            try { await Task.Delay(TimeSpan.FromHours(1), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    public static Task<int> DeleteExpired(AppDbContext db, DateTimeOffset now, IdempotencyOptions options, CancellationToken ct)
    {
        var cutoff = now.AddDays(-options.RetentionDays);
        return db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }
}
