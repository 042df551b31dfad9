using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fieldline.Web.Infrastructure.Localization;

/// <summary>
/// Structured facts a person reads — a penalty case's evidence, a timeline entry's data — as sentences of the reader's
/// language, never as <c>key: value</c> dumps of codes. A fact shape with a sentence of its own has a catalogue entry
/// with named placeholders (<c>evidence.clock.contact.late</c> = 「应于 {dueAt} 前联系客户，实际 {actualAt} 联系，超时 {lateMinutes}」);
/// anything else reads as labelled values (<c>data.&lt;field&gt;</c> labels), each value shown as a person reads it:
/// times in the branch's zone, minutes as words, money as ¥, codes by their names, people by their names.
/// </summary>
public sealed partial class DataText(TimeZoneInfo zone, DateTimeOffset now, Func<string, long, string?>? names = null, CultureInfo? culture = null,
    Func<string, string?>? people = null)
{
    /// <summary>
    /// Fields that hold a user name (who recorded, verified or decided): shown as the person's display name through
    /// <c>people</c> ("登记人：王主管", not the login "supervisor"), the rules' own findings ("system") as 系统.
    /// </summary>
    private static readonly HashSet<string> ByUserName = new(StringComparer.Ordinal) { "by", "recordedBy", "verifiedBy", "decidedBy", "confirmedBy", "postedBy" };

    private readonly CultureInfo _culture = culture ?? CultureInfo.CurrentUICulture;
    private bool _html;

    /// <summary>
    /// <see cref="Evidence(JsonElement)"/> as HTML: everything encoded, and what people typed or are called (names, notes)
    /// marked <c>translate="no"</c>, so that a browser's translator — and the language check — leave it alone.
    /// </summary>
    public Microsoft.AspNetCore.Html.HtmlString EvidenceHtml(JsonElement evidence) => Html(() => Evidence(evidence));

    /// <summary><see cref="Data(JsonElement)"/> as HTML (see <see cref="EvidenceHtml"/>).</summary>
    public Microsoft.AspNetCore.Html.HtmlString DataHtml(JsonElement data) => Html(() => Data(data));

    private Microsoft.AspNetCore.Html.HtmlString Html(Func<string> text)
    {
        _html = true;
        try { return new Microsoft.AspNetCore.Html.HtmlString(text()); }
        finally { _html = false; }
    }

    private string Enc(string s) => _html ? System.Net.WebUtility.HtmlEncode(s) : s;

    private string Typed(string s) => _html ? $"<span translate=\"no\">{System.Net.WebUtility.HtmlEncode(s)}</span>" : s;

    /// <summary>A penalty case's evidence: a missed deadline as its sentence, a shape with <c>kind</c> by its template, the rest labelled.</summary>
    public string Evidence(JsonElement evidence)
    {
        if (evidence.ValueKind != JsonValueKind.Object) return "";
        if (Str(evidence, "clock") is { } clock && evidence.TryGetProperty("dueAt", out _))
        {
            var open = !evidence.TryGetProperty("actualAt", out var a) || a.ValueKind == JsonValueKind.Null;
            var key = $"evidence.clock.{clock}.{(open ? "open" : "late")}";
            var template = Catalogue.Find(key, _culture) ?? Catalogue.Text($"evidence.clock.{(open ? "open" : "late")}", _culture);
            var sentence = Fill(Enc(template), evidence, clock);
            var rest = Labelled(evidence, Skip.Concat(["clock", "dueAt", "actualAt", "lateMinutes", "startedAt"]));
            return rest.Length == 0 ? sentence : $"{sentence}{Catalogue.Text("list.separator", _culture)}{rest}";
        }
        if ((Str(evidence, "kind") ?? KindOf(evidence)) is { } kind && Catalogue.Find($"evidence.{kind}", _culture) is { } t)
            return Fill(Enc(t), evidence, null);
        return Labelled(evidence, Skip);
    }

    /// <summary>
    /// The kind of an evidence shape written without a <c>kind</c> (older rows too), by the field only it has: a brand's
    /// fine passed on (RecordBrandFine), a tool check (RecordToolCheck), a training missed (ManageTrainings).
    /// </summary>
    private static string? KindOf(JsonElement evidence) =>
        evidence.TryGetProperty("brandFine", out _) ? "brandFine"
        : evidence.TryGetProperty("toolCheck", out _) ? "toolCheck"
        : evidence.TryGetProperty("trainingId", out _) ? "trainingAbsence"
        : null;

    /// <summary>A timeline entry's data, labelled.</summary>
    public string Data(JsonElement data) => data.ValueKind == JsonValueKind.Object ? Labelled(data, Skip) : "";

    // Fields that say nothing to a reader of the page they are on (the order is the page; the rule id and the fine's name
    // have their own column), and internal codes (the return-visit script's version).
    private static readonly string[] Skip = ["workOrder", "ruleId", "kind", "trigger", "scriptVersion"];

    private string Labelled(JsonElement o, IEnumerable<string> skip, string? parent = null)
    {
        var skipped = skip.ToHashSet(StringComparer.Ordinal);
        var parts = new List<string>();
        foreach (var p in o.EnumerateObject())
        {
            if (skipped.Contains(p.Name) || p.Value.ValueKind is JsonValueKind.Null || (p.Value.ValueKind == JsonValueKind.Array && p.Value.GetArrayLength() == 0)) continue;
            if (p.Value.ValueKind == JsonValueKind.Object) { var inner = Labelled(p.Value, skipped, p.Name); if (inner.Length > 0) parts.Add($"{Enc(Label(p.Name))}（{inner}）"); continue; }
            parts.Add($"{Enc(Label(p.Name))}{Enc(Catalogue.Text("label.separator", _culture))}{Value(p.Name, p.Value, parent)}");
        }
        return string.Join(Enc(Catalogue.Text("list.separator", _culture)), parts);
    }

    private string Label(string field) => Catalogue.Find($"data.{field}", _culture) ?? Catalogue.Field(field, _culture);

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Named();

    private string Fill(string template, JsonElement o, string? clock) => Named().Replace(template, m => m.Groups[1].Value switch
    {
        "clockName" when clock is not null => Enc(Catalogue.Code("clock", clock, _culture)),
        var name when o.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null => Value(name, v),
        _ => "—",
    });

    /// <summary>One value as a person reads it (in HTML mode encoded, what people typed marked).</summary>
    public string Value(string field, JsonElement v, string? parent = null)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.True: return Enc(Catalogue.Text("Yes", _culture));
            case JsonValueKind.False: return Enc(Catalogue.Text("No", _culture));
            case JsonValueKind.Array: return string.Join(Enc(Catalogue.Text("list.separator", _culture)), v.EnumerateArray().Select(x => Value(Singular(field), x, parent)));
            case JsonValueKind.Number:
                if (field.EndsWith("Minutes", StringComparison.Ordinal) && v.TryGetDouble(out var minutes)) return Enc(Format.Duration(minutes).Render(_culture));
                if ((field.StartsWith("amount", StringComparison.OrdinalIgnoreCase) || field.EndsWith("Amount", StringComparison.Ordinal) || field.EndsWith("CNY", StringComparison.Ordinal)
                     || field is "withheld" or "collected" or "price" or "brandFine" or "refund") && v.TryGetDecimal(out var money))
                    return Format.Money(money);
                if ((field.EndsWith("UserId", StringComparison.Ordinal) || field.EndsWith("Id", StringComparison.Ordinal)) && v.TryGetInt64(out var id)
                    && names?.Invoke(field, id) is { } name)
                    return Typed(name);
                return v.GetRawText();
            case JsonValueKind.String:
                var s = v.GetString()!;
                if (IsoTime().IsMatch(s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                    return Format.DayTime(TimeZoneInfo.ConvertTime(t, zone), TimeZoneInfo.ConvertTime(now, zone));
                if (ByUserName.Contains(field))
                    return people?.Invoke(s) is { } person ? Typed(person) : s == "system" ? Enc(Catalogue.Code("role", "system", _culture)) : Typed(s);
                if (parent is not null && CodeKinds.TryGetValue($"{parent}.{field}", out var nested)) return Enc(Catalogue.Code(nested, s, _culture));
                return CodeKinds.TryGetValue(field, out var kind) ? Enc(Catalogue.Code(kind, s, _culture)) : Typed(s);
            default: return v.GetRawText();
        }
    }

    private static string? Str(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Singular(string field) => field.EndsWith('s') ? field[..^1] : field;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")]
    private static partial Regex IsoTime();

    /// <summary>Fields whose values are codes, and the kind of their names in the catalogue.</summary>
    private static readonly Dictionary<string, string> CodeKinds = new(StringComparer.Ordinal)
    {
        ["clock"] = "clock", ["status"] = "status", ["from"] = "status", ["to"] = "status", ["type"] = "type", ["channel"] = "channel",
        ["level"] = "complaintLevel", ["complaintType"] = "complaintType", ["condition"] = "condition", ["state"] = "penalty",
        ["outcome"] = "outcome", ["productLine"] = "line", ["priority"] = "priority", ["role"] = "role", ["actorRole"] = "role",
        ["routedTo"] = "dept", ["kindOfFine"] = "fine", ["penaltyKey"] = "fine", ["requestedKey"] = "fine", ["per"] = "per", ["amountNote"] = "amountNote", ["complaint.type"] = "complaintType", ["complaint.channel"] = "channel",
        ["visitChannel"] = "visitChannel", ["question"] = "rvQuestion", ["leak"] = "leak", ["leakOutcome"] = "leakOutcome", ["compressor"] = "compressor", ["missing"] = "kit",
    };
}
