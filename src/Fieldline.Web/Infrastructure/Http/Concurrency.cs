using System.Globalization;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Infrastructure.Http;

public static class Concurrency
{
    /// <summary>
    /// Refuses a change made against an old copy: a stale body <c>version</c> answers 409, an <c>If-Match</c> that names
    /// none of the current version 412. The database's concurrency token still catches a race between this check and the save.
    /// </summary>
    public static void Check(string what, int current, int? sentVersion, IfMatchVersions? ifMatch) => Check(Msg.Of(what), current, sentVersion, ifMatch);

    public static void Check(Msg what, int current, int? sentVersion, IfMatchVersions? ifMatch)
    {
        if (ifMatch is { } m && !m.Matches(current))
            throw new PreconditionFailedException(m.OnlyVersion is { } one
                ? Msg.Of("{0} is at version {1}, not {2}.", what, current, one)
                : Msg.Of("{0} is at version {1}; If-Match names {2}.", what, current, Msg.Verbatim(m.Text)));
        if (sentVersion is { } s && s != current) throw ConflictException.StaleVersion(what, s, current);
    }

    /// <summary>
    /// Reads <c>If-Match</c> (RFC 9110 §13.1.1): <c>"3"</c>, a list <c>"3", "4"</c> (any one may be current), or <c>*</c>
    /// (any current version: no condition). A bare <c>3</c> is taken as <c>"3"</c>, as it always was. Versions are strong
    /// tags, so a weak tag (<c>W/"3"</c>) or one that is no version (<c>"abc"</c>) never matches — the change is refused
    /// with 412, never carried out as if no condition had been sent. A header that is not a list of entity tags at all is
    /// a bad request (400, the field <c>If-Match</c>). No header, or an empty one: no condition.
    /// </summary>
    public static IfMatchVersions? IfMatch(HttpRequest request)
    {
        var text = string.Join(", ", request.Headers.IfMatch.Where(v => !string.IsNullOrWhiteSpace(v))).Trim();
        if (text.Length == 0 || text == "*") return null;
        var versions = new List<int>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && text[i] is ' ' or '\t' or ',') i++;
            if (i == text.Length) break;
            var weak = string.CompareOrdinal(text, i, "W/", 0, 2) == 0;
            if (weak) i += 2;
            string tag;
            if (i < text.Length && text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                if (end < 0) throw Malformed();
                tag = text[(i + 1)..end];
                if (tag.Any(c => c < 0x21 || c == 0x7F)) throw Malformed(); // etagc: visible characters, no quote
                i = end + 1;
            }
            else
            {
                var end = i;
                while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
                if (weak || end == i) throw Malformed();
                tag = text[i..end];
                i = end;
            }
            while (i < text.Length && text[i] is ' ' or '\t') i++;
            if (i < text.Length && text[i] != ',') throw Malformed();
            // Strong comparison: "7" is version 7; "07", "+7" and an out-of-range number are tags no version ever has.
            if (!weak && int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v.ToString(CultureInfo.InvariantCulture) == tag)
                versions.Add(v);
        }
        return new IfMatchVersions(versions, text);

        static ValidationFailedException Malformed() =>
            ValidationFailedException.For("If-Match", "{0} must be the version in quotes, such as {1}.", "\"3\"");
    }
}

/// <summary>The versions an <c>If-Match</c> header names; <see cref="Text"/> is the header as sent, for the refusal.</summary>
public sealed class IfMatchVersions(IReadOnlyList<int> versions, string text)
{
    public string Text { get; } = text;

    /// <summary>The one version the header names, when it names exactly one tag and that tag is a version.</summary>
    public int? OnlyVersion { get; } = versions.Count == 1 && !text.Contains(',', StringComparison.Ordinal) ? versions[0] : null;

    public bool Matches(int current) => versions.Contains(current);
}
