namespace Fieldline.Web.Infrastructure.Http;

public static class Concurrency
{
    /// <summary>
    /// Refuses a change made against an old copy: a stale body <c>version</c> answers 409, a stale <c>If-Match</c> 412.
    /// The database's concurrency token still catches a race between this check and the save.
    /// </summary>
    public static void Check(string what, int current, int? sentVersion, int? ifMatch)
    {
        if (ifMatch is { } m && m != current) throw new PreconditionFailedException($"{what} is at version {current}, not {m}.");
        if (sentVersion is { } s && s != current) throw ConflictException.StaleVersion(what, s, current);
    }

    /// <summary>Reads <c>If-Match: "3"</c> or <c>If-Match: 3</c>.</summary>
    public static int? IfMatch(HttpRequest request) =>
        int.TryParse(request.Headers.IfMatch.ToString().Trim('"', 'W', '/'), out var v) ? v : null;
}

/// <summary>412: <c>If-Match</c> named a version that is no longer current.</summary>
public sealed class PreconditionFailedException(string detail) : Exception(detail);
