using System.Collections;
using System.Globalization;
using System.Resources;

namespace Fieldline.Web.Infrastructure.Localization;

/// <summary>
/// Reads the message catalogue (Resources/Messages*.resx) in the current UI culture — the culture the request
/// localization middleware set from the user's choice, or the one a background job set for the person it writes to.
/// The same resources stand behind <c>IStringLocalizer&lt;Messages&gt;</c>; this static face exists for the places that
/// have no container at hand (entity methods that refuse a transition, value formatting).
/// </summary>
public static class Catalogue
{
    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");
    public static readonly IReadOnlyList<CultureInfo> Supported = [Chinese, English];

    internal const string BaseName = "Fieldline.Web.Resources.Messages";
    internal static readonly ResourceManager Resources = new(BaseName, typeof(Catalogue).Assembly);

    public static bool IsChinese => IsChineseCulture(CultureInfo.CurrentUICulture);

    public static bool IsChineseCulture(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.Ordinal);

    /// <summary>zh-CN or en for any language tag; null for a language Fieldline does not speak.</summary>
    public static CultureInfo? Match(string? tag) =>
        string.IsNullOrWhiteSpace(tag) ? null
        : tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Chinese
        : tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English
        : null;

    /// <summary>The text of <paramref name="key"/>, or null when the catalogue has none (in this culture or the neutral one).</summary>
    public static string? Find(string key, CultureInfo? culture = null) => Resources.GetString(key, culture ?? CultureInfo.CurrentUICulture);

    /// <summary>The text of <paramref name="key"/>; an English-as-key text without a translation shows as written.</summary>
    public static string Text(string key, CultureInfo? culture = null) => Find(key, culture) ?? key;

    /// <summary>A person's name for a coded value: <c>Code("status", "inProgress")</c> → 服务中 / On site. Unknown values show as sent.</summary>
    public static string Code(string kind, string? value, CultureInfo? culture = null) =>
        string.IsNullOrEmpty(value) ? "" : Find($"{kind}.{value}", culture) ?? value;

    /// <summary>
    /// A request field's label (<c>faultDescription</c> → 故障描述). A path without a label of its own is named part by
    /// part: <c>charges[2].amount</c> → 收费 #3 · 金额. An unknown part shows as sent. A field whose name means something
    /// else in another request (<c>present</c>: the tools found at a kit check, the people at a training) is labelled in
    /// the <paramref name="scope"/> its validator names first (<c>field.training.present</c> → 出席人员).
    /// </summary>
    public static string Field(string field, CultureInfo? culture = null, string? scope = null)
    {
        if (string.IsNullOrEmpty(field)) return "";
        string? Label(string name) => (scope is null ? null : Find($"field.{scope}.{name}", culture)) ?? Find("field." + name, culture);
        if (Label(field) is { } label) return label;
        // A policy parameter is named as the policy page names it (parameters.dispatch.repairContactTargetMinutes → 维修联系客户时限（分钟）).
        if (field.StartsWith("parameters.", StringComparison.Ordinal))
        {
            var path = field["parameters.".Length..];
            var name = Find("param." + path, culture) ?? (path.Contains('.', StringComparison.Ordinal) ? null : Find("paramSection." + path, culture));
            if (name is not null) return name;
        }
        // A fine of the policy by its name (penalties.noShow.amountCNY → 未按约定时间上门 · 金额（元）).
        if (field.StartsWith("penalties.", StringComparison.Ordinal) && field.Length > "penalties.".Length)
        {
            var rest = field["penalties.".Length..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            var fine = Find("fine." + (dot < 0 ? rest : rest[..dot]), culture) ?? (dot < 0 ? rest : rest[..dot]);
            return dot < 0 ? fine : $"{fine} · {Field(rest[(dot + 1)..], culture, scope)}";
        }
        return string.Join(" · ", field.Split('.').Select(part =>
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            var text = Label(name) ?? name;
            return bracket < 0 || !int.TryParse(part[(bracket + 1)..].TrimEnd(']'), out var i) ? text : $"{text} #{i + 1}";
        }));
    }

    /// <summary>Every entry of one culture, its own file only (no fallback), for the phone app's catalogue and the tests.</summary>
    public static IReadOnlyDictionary<string, string> Entries(CultureInfo culture)
    {
        var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (set is null) return entries;
        foreach (DictionaryEntry e in set)
            if (e.Value is string s) entries[(string)e.Key] = s;
        return entries;
    }
}
