using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Infrastructure.Http;

public static class Concurrency
{
    /// <summary>
    /// Refuses a change made against an old copy: a stale body <c>version</c> answers 409, a stale <c>If-Match</c> 412.
    /// The database's concurrency token still catches a race between this check and the save.
    /// </summary>
    public static void Check(string what, int current, int? sentVersion, int? ifMatch) => Check(Msg.Of(what), current, sentVersion, ifMatch);

    public static void Check(Msg what, int current, int? sentVersion, int? ifMatch)
    {
        if (ifMatch is { } m && m != current) throw new PreconditionFailedException(Msg.Of("{0} is at version {1}, not {2}.", what, current, m));
        if (sentVersion is { } s && s != current) throw ConflictException.StaleVersion(what, s, current);
    }

    /// <summary>Reads <c>If-Match: "3"</c> or <c>If-Match: 3</c>.</summary>
    public static int? IfMatch(HttpRequest request) =>
        int.TryParse(request.Headers.IfMatch.ToString().Trim('"', 'W', '/'), out var v) ? v : null;
}
