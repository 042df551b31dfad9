using System.Diagnostics;

namespace Fieldline.Web.Infrastructure.Http;

/// <summary>
/// One structured line per request: method, path, status, time, user. Never the query string or headers, because
/// they carry phone numbers (?phone=) and tokens; ASP.NET's own request logs, which include them, are turned down.
/// </summary>
public sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> log)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            var user = http.User.FindFirst(Features.Identity.CurrentUser.SubjectClaim)?.Value;
            log.LogInformation("HTTP {Method} {Path} → {Status} in {ElapsedMs:0.0} ms (user {UserId})",
                http.Request.Method, http.Request.Path.Value, http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, user ?? "-");
        }
    }
}
