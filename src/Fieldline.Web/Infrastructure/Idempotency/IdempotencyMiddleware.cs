using System.Security.Cryptography;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Infrastructure.Idempotency;

public sealed class IdempotencyOptions
{
    public int RetentionDays { get; set; } = 7;
}

/// <summary>The keys whose first request is running on this node: a second request with one of them answers 409 at once.</summary>
public sealed class IdempotencyInFlight
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Scope, string Key), byte> _running = new();

    public bool TryStart(string scope, string key) => _running.TryAdd((scope, key), 0);

    public void Finish(string scope, string key) => _running.TryRemove((scope, key), out _);
}

/// <summary>
/// Every POST under /api may carry Idempotency-Key. Same key and body → the stored answer, nothing done twice; same key,
/// other body → 422; same key while the first still runs on this node → 409. The request's changes and its answer commit
/// in one transaction (<see cref="UnitOfWork.Defer"/>), refusals (400, 403, 404, 409, 422) included, so there is no state
/// in which a key is taken but unanswered: a crash before the commit leaves nothing, and a retry runs afresh. Two nodes
/// running the same key at once both try to commit it; the unique key lets one win, and the other replays its answer.
/// Keys are per caller and kept RetentionDays.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, TimeProvider clock, IdempotencyInFlight inFlight, ILogger<IdempotencyMiddleware> log)
{
    public const string Header = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext http, IProblemDetailsService problems)
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
            await Problem(http, problems, 400, "Invalid Idempotency-Key", "Idempotency-Key must be 1 to 100 visible ASCII characters (a UUID is best).");
            return;
        }
        var scope = http.User.Identity?.IsAuthenticated == true ? "u:" + CurrentUser.From(http.User).UserId : "anonymous";
        http.Request.EnableBuffering();
        var hash = await Hash(http.Request);
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        if (await Answered(http, problems, db, scope, key, hash)) return;
        if (!inFlight.TryStart(scope, key))
        {
            await Problem(http, problems, 409, "Request in progress", "A request with this Idempotency-Key is still being processed. Retry later.");
            return;
        }
        try
        {
            await Run(http, db, scope, key, hash, problems);
        }
        finally
        {
            inFlight.Finish(scope, key);
        }
    }

    private async Task Run(HttpContext http, AppDbContext db, string scope, string key, string hash, IProblemDetailsService problems)
    {
        http.RequestServices.GetRequiredService<UnitOfWork>().Defer();
        var original = http.Response.Body;
        using var captured = new MemoryStream();
        http.Response.Body = captured;
        try
        {
            await next(http);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            // A refusal is an answer too: it is written here, not by the outer exception handler, so that it is stored.
            await db.RollbackWriteAsync();
            http.Response.Clear();
            if (!await Handle(http, e)) throw;
        }
        finally
        {
            http.Response.Body = original;
        }

        if (http.Response.StatusCode >= 500)
        {
            // A server error keeps nothing, not even the key: a retry runs afresh.
            await db.RollbackWriteAsync();
        }
        else
        {
            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            var location = http.Response.Headers.Location.ToString();
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                Scope = scope, Key = key, RequestHash = hash, State = IdempotencyState.Completed, CreatedAt = now, LeaseUntil = now,
                StatusCode = http.Response.StatusCode, ContentType = http.Response.ContentType,
                Location = string.IsNullOrEmpty(location) ? null : location, Body = captured.ToArray(),
            });
            try
            {
                // In the request's one write (by a statement kept on the connection, DirectSave), committed with its change.
                await db.SaveChangesAsync(http.RequestAborted);
                await db.CommitWriteAsync(CancellationToken.None);
            }
            catch (DbUpdateException e)
            {
                // Another node ran the same key at the same moment and committed first: this run is undone, its answer stands.
                await db.RollbackWriteAsync();
                db.ChangeTracker.Clear();
                log.LogInformation("Idempotency-Key raced on another node; replaying its answer ({Error})", e.GetType().Name);
                http.Response.Clear();
                if (!await Answered(http, problems, db, scope, key, hash)) throw;
                return;
            }
        }
        captured.Position = 0;
        await captured.CopyToAsync(original, http.RequestAborted);
    }

    /// <summary>Answers from a stored record of this key, if there is one: its answer, or 422 for another body.</summary>
    private static async Task<bool> Answered(HttpContext http, IProblemDetailsService problems, AppDbContext db, string scope, string key, string hash)
    {
        var existing = await RecordOf(db)(db, scope, key, http.RequestAborted);
        if (existing is null) return false;
        if (existing.RequestHash != hash && existing.RequestHash != await ExactHash(http.Request))
            await Problem(http, problems, 422, "Idempotency-Key reused", "This Idempotency-Key was used with a different request body.");
        else if (existing.State == IdempotencyState.Completed)
            await Replay(http, existing);
        else // written by a version before answers were stored with their change: the change was applied, its answer lost
            await Problem(http, problems, 409, "Request in progress", "A request with this Idempotency-Key was applied; its answer was not stored. Read the resource instead.");
        return true;
    }

    // Every write with a key runs this lookup first: compiled once per model (one per provider), it skips EF Core's
    // per-call expression work (issue 14, session 10).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel, Func<AppDbContext, string, string, CancellationToken, Task<IdempotencyRecord?>>> Lookups = new();

    private static Func<AppDbContext, string, string, CancellationToken, Task<IdempotencyRecord?>> RecordOf(AppDbContext db) =>
        Lookups.GetOrAdd(db.Model, static _ => EF.CompileAsyncQuery((AppDbContext c, string scope, string key, CancellationToken ct) =>
            c.IdempotencyRecords.AsNoTracking().FirstOrDefault(r => r.Scope == scope && r.Key == key)));

    private static async Task<bool> Handle(HttpContext http, Exception e)
    {
        foreach (var handler in http.RequestServices.GetServices<Microsoft.AspNetCore.Diagnostics.IExceptionHandler>())
            if (await handler.TryHandleAsync(http, e, http.RequestAborted)) return true;
        return false;
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

    /// <summary>
    /// The hash of the body's exact bytes, as records written before JSON bodies were compared as documents hold it: a
    /// retry across that upgrade, within the key's seven days, still finds its original answer instead of a 422.
    /// </summary>
    private static async Task<string> ExactHash(HttpRequest request)
    {
        using var body = new MemoryStream();
        request.Body.Position = 0;
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return ExactHashOf(request.Method, request.Path + request.QueryString, body.ToArray());
    }

    internal static string ExactHashOf(string method, string pathAndQuery, byte[] body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{method} {pathAndQuery}\n"));
        sha.AppendData(body);
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>
    /// What makes two requests "the same": method, path with query, and the body — a JSON body as a document (api.md:
    /// "same body"), so a retry that serialises the same object with its members in another order or other spacing is
    /// the same request; any other body by its exact bytes.
    /// </summary>
    public static string HashOf(string method, string pathAndQuery, byte[] body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{method} {pathAndQuery}\n"));
        sha.AppendData(CanonicalJson(body) ?? body);
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>A JSON document written one way: members sorted by name, no spacing, strings re-escaped alike; null if not JSON.</summary>
    internal static byte[]? CanonicalJson(byte[] body)
    {
        if (body.Length == 0 || body[0] is not ((byte)'{' or (byte)'[' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return null;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            using var buffer = new MemoryStream(body.Length);
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                Write(writer, document.RootElement);
            return buffer.ToArray();
        }
        catch (System.Text.Json.JsonException) { return null; }

        static void Write(System.Text.Json.Utf8JsonWriter w, System.Text.Json.JsonElement e)
        {
            switch (e.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Object:
                    w.WriteStartObject();
                    foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        w.WritePropertyName(p.Name);
                        Write(w, p.Value);
                    }
                    w.WriteEndObject();
                    break;
                case System.Text.Json.JsonValueKind.Array:
                    w.WriteStartArray();
                    foreach (var item in e.EnumerateArray()) Write(w, item);
                    w.WriteEndArray();
                    break;
                case System.Text.Json.JsonValueKind.String:
                    w.WriteStringValue(e.GetString());
                    break;
                default:
                    e.WriteTo(w); // numbers as sent, true, false, null
                    break;
            }
        }
    }

    /// <summary>A refusal of the key itself, in the caller's language (title and detail are catalogue keys).</summary>
    private static async Task Problem(HttpContext http, IProblemDetailsService problems, int status, string title, string detail)
    {
        var culture = LocalizationSetup.CultureOf(http);
        http.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http, ProblemDetails = new ProblemDetails { Status = status, Title = Msg.Of(title).Render(culture), Detail = Msg.Of(detail).Render(culture) },
        });
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
        return db.WriteAsync(() => db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(ct), ct);
    }
}
