using System.Globalization;
using System.Text.Json.Nodes;

namespace Fieldline.Web.Infrastructure.Localization;

/// <summary>
/// A text for a person, kept as a catalogue key and its arguments until it is shown, so that it reads in the language of
/// whoever reads it: a refusal in the caller's language, a notification in each recipient's. Sentences use their English
/// text as the key (<c>Msg.Of("Branch {0} was not found.", id)</c>; the Chinese file translates it); coded values use an id
/// (<c>Msg.Code("status", "inProgress")</c>). An argument is a value shown as is (formatted invariantly: numbers, order
/// codes, names, times already in the branch's zone) or another <see cref="Msg"/>, rendered in the same language.
/// </summary>
public sealed class Msg
{
    private const string ListKey = "\u0001list", ChoiceKey = "\u0001choice", FieldKey = "\u0001field";

    private Msg(string key, IReadOnlyList<object> args, string? fallback) => (Key, Args, Fallback) = (key, args, fallback);

    public string Key { get; }

    /// <summary>Each a <see cref="string"/> or a <see cref="Msg"/>.</summary>
    public IReadOnlyList<object> Args { get; }

    /// <summary>What to show when the catalogue has no entry (an unknown code shows as sent).</summary>
    public string? Fallback { get; }

    public static Msg Of(string key, params object?[] args) => new(key, args.Select(Arg).ToList(), null);

    public static Msg Code(string kind, string? value) => new($"{kind}.{value}", [], value ?? "");

    public static Msg Code<TEnum>(string kind, TEnum value) where TEnum : struct, Enum => Code(kind, Http.JsonNames.Of(value));

    /// <summary>A request field's label; <paramref name="scope"/> as in <see cref="Catalogue.Field"/>.</summary>
    public static Msg Field(string field, string? scope = null) => new(FieldKey, scope is null ? [] : [scope], field);

    /// <summary>A technician's skill, <c>ac.install</c> → 空调安装 / Air conditioner installation.</summary>
    public static Msg Skill(string skill)
    {
        var dot = skill.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? Verbatim(skill) : new($"skill.{skill[(dot + 1)..]}", [Code("line", skill[..dot])], skill);
    }

    /// <summary>A value shown as it is in every language (an order code, a name the user typed).</summary>
    public static Msg Verbatim(string text) => new("", [text], text);

    /// <summary>Items in a row: 安装、维修 / Installation, Repair.</summary>
    public static Msg Join(IEnumerable<Msg> items) => new(ListKey, items.ToList<object>(), null);

    /// <summary>
    /// An allowed value of a coded field, in an error that lists them: the code itself (what an API client sends) with its
    /// name for a Chinese reader — <c>phone（来电）</c> — and the code alone for an English one. Every enum-typed field's
    /// error lists its values this way (<see cref="Http.Validator.Enum{T}"/>), so a client learns what to send and a person
    /// what it means.
    /// </summary>
    public static Msg Choice(string kind, string code) => new(ChoiceKey, [Code(kind, code)], code);

    /// <summary>As <see cref="Choice(string, string)"/> for a value whose Chinese name is data, not the catalogue's (a preset's name).</summary>
    public static Msg NamedChoice(string chineseName, string code) => new(ChoiceKey, [Verbatim(chineseName)], code);

    /// <summary>What someone may or may not do: a one-word action is a code (<c>dispatch</c> → 派工), a phrase an English text of the catalogue.</summary>
    public static Msg Action(string action) => action.Contains(' ', StringComparison.Ordinal) ? Of(action) : Code("action", action);

    private static object Arg(object? a) => a switch
    {
        null => "",
        Msg m => m,
        string s => s,
        decimal d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => a.ToString() ?? "",
    };

    public string Render(CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentUICulture;
        if (Key.Length == 0) return Fallback ?? "";
        if (Key == ListKey) return string.Join(Catalogue.Text("list.separator", culture), Args.Select(a => a is Msg m ? m.Render(culture) : a));
        if (Key == FieldKey) return Catalogue.Field(Fallback ?? "", culture, Args.Count > 0 ? (string)Args[0] : null);
        if (Key == ChoiceKey) return Catalogue.IsChineseCulture(culture) && ((Msg)Args[0]).Render(culture) is { } name && name != Fallback ? $"{Fallback}（{name}）" : Fallback ?? "";
        var template = Catalogue.Find(Key, culture) ?? Fallback ?? Key;
        if (Args.Count == 0) return template;
        var args = Args.Select(a => a is Msg m ? m.Render(culture) : a).ToArray();
        try { return string.Format(culture, template, args); }
        catch (FormatException) { return template; } // a translation with a bad placeholder still says something
    }

    public override string ToString() => Render();

    /// <summary>
    /// As <see cref="Render"/>, HTML-encoded, with each value shown as is (a name, an address, what a customer said)
    /// marked <c>translate="no"</c>: a page shows where the sentence ends and the data begins.
    /// </summary>
    public string RenderHtml(CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentUICulture;
        static string Enc(string s) => System.Net.WebUtility.HtmlEncode(s);
        static string Data(string s) => s.Length == 0 ? "" : $"<span translate=\"no\">{Enc(s)}</span>";
        if (Key.Length == 0) return Data(Fallback ?? "");
        if (Key == ListKey) return string.Join(Enc(Catalogue.Text("list.separator", culture)), Args.Select(a => a is Msg m ? m.RenderHtml(culture) : Data((string)a)));
        if (Key is FieldKey or ChoiceKey) return Enc(Render(culture));
        var template = Catalogue.Find(Key, culture) ?? Fallback ?? Key;
        if (Args.Count == 0) return Enc(template);
        var args = Args.Select(a => a is Msg m ? m.RenderHtml(culture) : Data((string)a)).ToArray<object>();
        try { return string.Format(culture, Enc(template), args); }
        catch (FormatException) { return Enc(template); }
    }

    /// <summary>Stored form, for texts rendered later (notifications): <c>{"key":"…","args":[…],"fallback":"…"}</c>.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["key"] = Key };
        if (Args.Count > 0) o["args"] = new JsonArray(Args.Select(a => a is Msg m ? (JsonNode)m.ToJson() : JsonValue.Create((string)a)).ToArray());
        if (Fallback is not null) o["fallback"] = Fallback;
        return o;
    }

    public static Msg FromJson(JsonNode? node) => node switch
    {
        JsonObject o => new Msg((string?)o["key"] ?? "",
            (o["args"] as JsonArray)?.Select(a => a is JsonObject ? (object)FromJson(a) : (string?)a ?? "").ToList() ?? [],
            (string?)o["fallback"]),
        JsonValue v => Verbatim((string?)v ?? ""),
        _ => Verbatim(""),
    };
}
