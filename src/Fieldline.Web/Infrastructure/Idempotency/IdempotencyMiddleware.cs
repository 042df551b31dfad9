using System.Security.Cryptography;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
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
/// The unit of work of every write under /api (POST, PUT, PATCH, DELETE; sign-in aside): the request runs as one deferred
/// unit (<see cref="UnitOfWork.Defer"/>) — all its saves in one write, committed once when its answer is known, nothing
/// kept when it is refused or fails — and a request that lost a race is run again.
/// <para>
/// A race lost (<see cref="DbErrors.IsRace"/>: a row's version moved since it was read, a unique index taken by a row
/// inserted at the same moment) is the server's, not the caller's: the request is run again from its first line against
/// the state the winner left, in a fresh service scope (a clean change tracker, no state of the lost run) with the body as
/// it was sent, up to <see cref="MaxRuns"/> times, each rerun serialised with every other rerun
/// (<see cref="AppDbContext.SerializeAsync"/>), and answered as if it had run alone: the second receipt of a part new to a
/// place adds to the level the first created, a second sign-off of an approved draft is the 409 of its state, a transfer
/// that sent no version succeeds. A caller who did send a version is told about it by the rerun itself — the handler's
/// <see cref="Concurrency.Check(string, int, int?, IfMatchVersions?)"/> finds it stale (409, or 412 for If-Match).
/// Only when every run lost does the caller get an answer of the race: 409 "stale version" (412 with If-Match) if it sent
/// a version, 409 for a unique index that refused every run (a duplicate), else 503 (send it again), which — as every
/// answer of 500 and above — is not stored under its key, so a retry runs afresh.
/// </para>
/// <para>
/// Idempotency-Key (on a POST): same key and body → the stored answer, nothing done twice; same key, other body → 422;
/// same key while the first still runs on this node → 409. The answer is stored with the request's change in its one
/// commit, refusals (400, 403, 404, 409, 422) included, so there is no state in which a key is taken but unanswered: a
/// crash before the commit leaves nothing, and a retry runs afresh. Two nodes running the same key at once both try to
/// commit it; the unique key lets one win, and the other replays its answer. Keys are per caller and kept RetentionDays.
/// </para>
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, TimeProvider clock, IdempotencyInFlight inFlight, IServiceScopeFactory scopes,
    ILogger<IdempotencyMiddleware> log)
{
    public const string Header = "Idempotency-Key";

    /// <summary>The runs one request gets at most: the first, and the reruns after a race lost.</summary>
    public const int MaxRuns = 5;

    public async Task InvokeAsync(HttpContext http, IProblemDetailsService problems)
    {
        if (!IsWrite(http.Request))
        {
            await next(http);
            return;
        }
        http.Request.EnableBuffering(); // a rerun reads the body again
        var key = HttpMethods.IsPost(http.Request.Method) ? http.Request.Headers[Header].ToString() : "";
        if (string.IsNullOrEmpty(key))
        {
            await Run(http, problems, null);
            return;
        }
        if (key.Length > 100 || key.Any(c => c < 0x21 || c > 0x7E))
        {
            await Problem(http, problems, 400, "Invalid Idempotency-Key", "Idempotency-Key must be 1 to 100 visible ASCII characters (a UUID is best).");
            return;
        }
        var scope = http.User.Identity?.IsAuthenticated == true ? "u:" + CurrentUser.From(http.User).UserId : "anonymous";
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
            await Run(http, problems, new Claim(scope, key, hash));
        }
        finally
        {
            inFlight.Finish(scope, key);
        }
    }

    /// <summary>A write of the API: its state is the database's (sign-in's throttle keeps counters of its own, committed as they fall).</summary>
    private static bool IsWrite(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        && request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/api/auth");

    /// <summary>The key a request claims: its caller, the key, and the hash of what was sent.</summary>
    private sealed record Claim(string Scope, string Key, string Hash);

    private async Task Run(HttpContext http, IProblemDetailsService problems, Claim? claim)
    {
        var original = http.Response.Body;
        var services = http.RequestServices;
        // What the pipeline put on the answer before the unit (the security headers): every run's answer starts from it.
        var headers = http.Response.Headers.ToArray();
        using var captured = new MemoryStream();
        http.Response.Body = captured;
        AsyncServiceScope? rerun = null;
        try
        {
            AppDbContext db;
            for (var run = 1; ; run++)
            {
                http.RequestServices.GetRequiredService<UnitOfWork>().Defer();
                db = http.RequestServices.GetRequiredService<AppDbContext>();
                Exception? failure = null;
                try
                {
                    // A rerun waits for the reruns before it, and reads what they and the winner wrote.
                    if (run > 1) await db.SerializeAsync("rerun", 0, http.RequestAborted);
                    await next(http);
                }
                catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
                {
                    failure = e;
                }
                if (failure is null) break;
                // A refusal is an answer too: it is written here, not by the outer exception handler, so that it is stored.
                await db.RollbackWriteAsync();
                if (http.Response.HasStarted) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                Reset(http.Response, headers, captured);
                if (DbErrors.IsRace(failure) && run < MaxRuns)
                {
                    log.LogInformation("{Method} {Path} lost a race to a concurrent write ({Error}); running it again ({Run} of {MaxRuns})",
                        http.Request.Method, http.Request.Path, failure.GetType().Name, run + 1, MaxRuns);
                    if (rerun is { } spent) await spent.DisposeAsync();
                    rerun = scopes.CreateAsyncScope();
                    http.RequestServices = rerun.Value.ServiceProvider;
                    await Rewind(http.Request);
                    continue;
                }
                var answer = DbErrors.IsRace(failure) ? await LostEveryRun(http, failure) : failure;
                if (!await Handle(http, answer)) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                break;
            }

            if (http.Response.StatusCode >= 500)
            {
                // A server error keeps nothing, not even the key: a retry runs afresh.
                await db.RollbackWriteAsync();
            }
            else if (claim is null)
            {
                await db.CommitWriteAsync(CancellationToken.None);
            }
            else
            {
                db.ChangeTracker.Clear();
                var now = clock.GetUtcNow();
                var location = http.Response.Headers.Location.ToString();
                db.IdempotencyRecords.Add(new IdempotencyRecord
                {
                    Scope = claim.Scope, Key = claim.Key, RequestHash = claim.Hash, State = IdempotencyState.Completed, CreatedAt = now, LeaseUntil = now,
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
                    Reset(http.Response, headers, captured);
                    http.Response.Body = original;
                    if (!await Answered(http, problems, db, claim.Scope, claim.Key, claim.Hash)) throw;
                    return;
                }
            }
        }
        finally
        {
            http.Response.Body = original;
            http.RequestServices = services;
            if (rerun is { } last) await last.DisposeAsync();
        }
        captured.Position = 0;
        await captured.CopyToAsync(original, http.RequestAborted);
    }

    /// <summary>
    /// The answer when every run lost its race. A unique index that refused every run, each against fresh state, refuses a
    /// duplicate, not a race: 409 (ProblemDetailsHandler). Under hot contention on one row, the caller who sent a version
    /// learns that it is stale as ever (409); a caller who sent none sent nothing stale, and is asked to send it again (503).
    /// </summary>
    private static async Task<Exception> LostEveryRun(HttpContext http, Exception race)
    {
        if (race is DbUpdateException unique && DbErrors.IsUniqueViolation(unique)) return race;
        if (race is DbUpdateConcurrencyException && IfMatchSent(http.Request))
            return new PreconditionFailedException(Msg.Of("The record was changed by someone else meanwhile. Reload and try again."));
        if (race is DbUpdateConcurrencyException && await SentVersion(http.Request)) return race;
        http.Response.Headers.RetryAfter = "1";
        return new UnavailableException(Msg.Of("Other changes to the same records were being saved at the same moment; nothing was saved. Send the request again."));
    }

    private static bool IfMatchSent(HttpRequest request) => request.Headers.IfMatch.Any(v => !string.IsNullOrWhiteSpace(v) && v.Trim() != "*");

    /// <summary>Whether the caller made the change conditional on a version: an If-Match header, or a <c>version</c> in the JSON body.</summary>
    private static async Task<bool> SentVersion(HttpRequest request)
    {
        if (IfMatchSent(request)) return true;
        request.Body.Position = 0;
        try
        {
            using var body = await System.Text.Json.JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return body.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && body.RootElement.EnumerateObject().Any(p => string.Equals(p.Name, "version", StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind != System.Text.Json.JsonValueKind.Null);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    /// <summary>An answer back to where the unit began: no status, no body, the headers the pipeline had set before it.</summary>
    private static void Reset(HttpResponse response, KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>[] headers, MemoryStream captured)
    {
        response.StatusCode = StatusCodes.Status200OK;
        if (response.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>() is { } feature) feature.ReasonPhrase = null;
        response.Headers.Clear();
        foreach (var (name, value) in headers) response.Headers[name] = value;
        captured.SetLength(0);
    }

    /// <summary>
    /// The body as it was sent, for a rerun, in a stream of its own: the lost run's reader of the buffered body (the
    /// PipeReader the JSON binding made over it) is spent, and a new stream is what makes the server wrap a new one.
    /// </summary>
    private static async Task Rewind(HttpRequest request)
    {
        var sent = request.Body;
        sent.Position = 0;
        var copy = new MemoryStream();
        await sent.CopyToAsync(copy, request.HttpContext.RequestAborted);
        copy.Position = 0;
        request.Body = copy;
        request.HttpContext.Response.RegisterForDispose(copy);
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
