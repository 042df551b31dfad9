using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Fieldline.IntegrationTests.Localization;

/// <summary>
/// Reads a page as a person does — its text and the attributes a person reads (titles, placeholders, labels, button
/// values) — and finds words of the wrong language: English in the Chinese view (codes shown on purpose are allowed:
/// anything with a digit such as order numbers, rule ids and models; a short list of words Chinese users use as is),
/// Chinese in the English view (outside data the users typed, which pages mark <c>translate="no"</c>, and the language
/// switch itself).
/// </summary>
public static partial class LanguageCrawl
{
    /// <summary>Words a Chinese console shows as they are.</summary>
    public static readonly HashSet<string> AllowedInChinese = new(StringComparer.Ordinal)
    {
        "Fieldline", "English", "Excel", "PDF", "SMS", "App", "GPS", "ID", "QR", "HP", "CNY", "kg", "km", "mm", "min", "OK", "PNG", "JPEG", "WebP",
        "HH", "yyyy", "MM", "dd", "yyyy-MM", "yyyy-MM-dd", "Bearer", "VIP", "IC", "Ctrl", "Enter", "PVC", "ccec", "xx",
    };

    private static readonly string[] ReadAttributes = ["title", "placeholder", "aria-label", "alt"];

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9]*(?:[-_.'/][A-Za-z0-9]+)*")]
    private static partial Regex LatinToken();

    [GeneratedRegex(@"[\u3400-\u9fff]")]
    private static partial Regex Han();

    public sealed record Finding(string Where, string Text);

    public static IReadOnlyList<Finding> EnglishIn(string html) => Scan(html, chinese: true);

    public static IReadOnlyList<Finding> ChineseIn(string html) => Scan(html, chinese: false);

    /// <summary>Plain text (an API error's title, detail or field message) read by a Chinese reader: its English words.</summary>
    public static bool HasEnglish(string text)
    {
        var findings = new List<Finding>();
        Check(null, text, findings, chinese: true);
        return findings.Count > 0;
    }

    /// <summary>Names an API client must send as they are, which an API error may therefore name.</summary>
    public static readonly string[] HttpNames = ["JSON", "Content-Type", "application/json", "multipart/form-data", "Idempotency-Key", "If-Match", "Accept-Language"];

    /// <summary>Plain text read by an English reader: does it hold Chinese?</summary>
    public static bool HasChinese(string text) => Han().IsMatch(text);

    private static IReadOnlyList<Finding> Scan(string html, bool chinese)
    {
        var document = new HtmlParser().ParseDocument(html);
        var findings = new List<Finding>();
        foreach (var element in document.All)
        {
            if (Excluded(element)) continue;
            foreach (var node in element.ChildNodes.OfType<IText>())
                Check(element, node.Data, findings, chinese);
            foreach (var name in ReadAttributes)
                if (element.GetAttribute(name) is { } value) Check(element, value, findings, chinese);
            if (element is AngleSharp.Html.Dom.IHtmlInputElement { Type: "submit" or "button" } input) Check(element, input.Value, findings, chinese);
        }
        return findings;
    }

    private static bool Excluded(IElement e)
    {
        for (var x = e; x is not null; x = x.ParentElement)
        {
            if (x.LocalName is "script" or "style" or "template" or "noscript" or "code" || x.GetAttribute("translate") == "no" || x.HasAttribute("hidden")) return true;
            if (x.GetAttribute("lang") is { } lang && lang != x.Owner?.DocumentElement.GetAttribute("lang")) return true; // the language switch
        }
        return false;
    }

    private static void Check(IElement? where, string text, List<Finding> findings, bool chinese)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        if (chinese)
        {
            foreach (Match m in LatinToken().Matches(text))
            {
                var token = m.Value;
                if (token.Any(char.IsDigit) || AllowedInChinese.Contains(token) || token.Length < 2 || NamedCode(text, m)) continue;
                findings.Add(new Finding(where is null ? "" : Path(where), text.Trim()));
                return;
            }
        }
        else if (Han().IsMatch(text)) findings.Add(new Finding(where is null ? "" : Path(where), text.Trim()));
    }

    /// <summary>A code shown with its Chinese name, as a refusal lists the values a field takes: <c>phone（来电）</c>.</summary>
    private static bool NamedCode(string text, Match token)
    {
        var after = token.Index + token.Length;
        return after + 1 < text.Length && text[after] == '（' && Han().IsMatch(text[(after + 1)].ToString());
    }

    private static string Path(IElement e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null && parts.Count < 4; x = x.ParentElement)
            parts.Add(x.LocalName + (x.Id is { Length: > 0 } id ? "#" + id : ""));
        parts.Reverse();
        return string.Join(">", parts);
    }

    /// <summary>Same-site console links of a page (no API, no phone app, no files, no sign-out).</summary>
    public static IEnumerable<string> Links(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var a in document.QuerySelectorAll("a[href]"))
        {
            var href = a.GetAttribute("href")!;
            if (!href.StartsWith('/') || href.StartsWith("//", StringComparison.Ordinal)) continue;
            if (href.StartsWith("/api", StringComparison.Ordinal) || href == "/m" || href.StartsWith("/m/", StringComparison.Ordinal) || href.StartsWith("/r/", StringComparison.Ordinal)
                || href.Contains("handler=", StringComparison.Ordinal) || href.StartsWith("/logout", StringComparison.Ordinal) || href.EndsWith(".pdf", StringComparison.Ordinal)
                || href.Contains("export", StringComparison.OrdinalIgnoreCase) || href.StartsWith("/openapi", StringComparison.Ordinal) || href.StartsWith("/api-reference", StringComparison.Ordinal))
                continue;
            yield return href;
        }
    }
}
