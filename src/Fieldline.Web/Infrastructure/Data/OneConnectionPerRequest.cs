using System.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Infrastructure.Data;

/// <summary>
/// An API write (POST, PUT, PATCH, DELETE with credentials and a small body) opens its database connection once and keeps
/// it until it ends (issue 14, session 21). Reads and uploads are left to EF Core: a live stream or an export may last
/// minutes, a photo from a phone on a poor network too. EF Core otherwise opens and closes the pooled connection around
/// every statement: a create's account check, Idempotency-Key lookup and reads took eight opens. On SQLite each open
/// re-registers EF Core's dozen SQL functions on the connection and runs the four pragmas; on PostgreSQL each is a pool
/// lease and EF Core's open path. The write itself still runs where it runs: on SQLite the group commit lends the context
/// its own connection (<see cref="SqliteGroupCommit"/> closes this one first).
/// </summary>
public static class OneConnectionPerRequest
{
    public static IApplicationBuilder UseOneConnectionPerRequest(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (!http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) || HttpMethods.IsGet(http.Request.Method)
            || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method) || !Signed(http.Request) || !Small(http.Request))
        {
            await next(http);
            return;
        }
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync(http.RequestAborted);
        try { await next(http); }
        finally
        {
            if (db.Database.GetDbConnection().State != ConnectionState.Closed) await db.Database.CloseConnectionAsync();
        }
    });

    // Opened before authentication (the account check reads the user), so only for a request that brings credentials (a
    // bearer token, a cookie): a request without any (a sign-in, a probe) is left to EF Core and leases nothing here.
    private static bool Signed(HttpRequest request) => request.Headers.ContainsKey("Authorization") || request.Cookies.Count > 0;

    // A photo or a signature uploaded from a phone on a poor network may take a minute to arrive: the connection would wait
    // with it (on PostgreSQL, one of the pool's). Only a body that is known to be small (a JSON command) or absent.
    private const long SmallBody = 64 * 1024;

    private static bool Small(HttpRequest request) => request.ContentLength is { } length
        ? length <= SmallBody
        : !request.Headers.ContainsKey("Transfer-Encoding");

    /// <summary>Closes a connection this request kept open, so that the context can be lent another (the SQLite group commit).</summary>
    internal static void Release(AppDbContext db)
    {
        if (db.Database.GetDbConnection().State != ConnectionState.Closed) db.Database.CloseConnection();
    }
}
