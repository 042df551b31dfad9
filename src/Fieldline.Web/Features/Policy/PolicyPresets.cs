using System.Text.Json.Nodes;

namespace Fieldline.Web.Features.Policy;

public sealed record PresetInfo(string Id, string Name, string NameZh);

/// <summary>
/// The presets of spec/policy-presets.json (embedded): one company's regulation each. A sparse preset is completed
/// from the preset it names in fillMissingFrom (normally generic): parameters by a deep merge; the penalty and reward
/// lists only when the preset has no such list at all — an explicitly empty list is the company's own: no fines, no
/// rewards (policy-presets.json of Jinlong: "No fines in this document"). A company whose documents list fines is fined
/// by those alone: generic starts from Gree's regulation, so merging by key gave Binchun, Subor and others Gree's fines
/// (regulations.md A12: "missing Binchun penalties are not inherited from Gree"; a rule a preset does not have is not applied).
/// </summary>
public sealed class PolicyPresets
{
    private static readonly string[] DocumentParts = ["parameters", "penalties", "rewards", "evaluationEligibilityTriggers", "dismissalReviewTriggers"];
    private readonly Dictionary<string, JsonObject> _raw;

    public PolicyPresets()
    {
        using var stream = typeof(PolicyPresets).Assembly.GetManifestResourceStream("Fieldline.policy-presets.json")
            ?? throw new InvalidOperationException("policy-presets.json is not embedded.");
        var root = JsonNode.Parse(stream)!.AsObject();
        Catalog = root["parameterCatalog"]!.AsObject();
        _raw = root["presets"]!.AsArray().Select(p => p!.AsObject()).ToDictionary(p => (string)p["id"]!, StringComparer.Ordinal);
        All = _raw.Values.Select(p => new PresetInfo((string)p["id"]!, (string)p["name"]!, (string?)p["nameZh"] ?? "")).ToList();
    }

    public IReadOnlyList<PresetInfo> All { get; }

    /// <summary>parameterCatalog: "section.key" → {type, unit, ruleIds}.</summary>
    public JsonObject Catalog { get; }

    public bool Exists(string id) => _raw.ContainsKey(id);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<string>> _words = new(StringComparer.Ordinal);

    /// <summary>
    /// The words every preset's list at a dotted path of the parameters holds, in the order first met: for a code list
    /// (<see cref="ManagePolicy.CodeLists"/>), all it may name. The presets do not change while the app runs: read once a path.
    /// </summary>
    public IReadOnlyList<string> Words(string path) => _words.GetOrAdd(path, p => All
        .SelectMany(preset => CompanyPolicy.WordsAt(Document(preset.Id)["parameters"] as JsonObject, p) ?? []).Distinct(StringComparer.Ordinal).ToList());

    /// <summary>The complete policy document of a preset: its own values over those of the preset it fills from.</summary>
    public JsonObject Document(string id)
    {
        var preset = _raw[id];
        var doc = new JsonObject();
        foreach (var part in DocumentParts) doc[part] = preset[part]?.DeepClone();
        if ((string?)preset["fillMissingFrom"] is { } baseId && baseId != id)
        {
            var basis = Document(baseId);
            doc["parameters"] = JsonMerge.Deep(basis["parameters"]!.AsObject(), doc["parameters"] as JsonObject);
            // Fines and rewards: only a preset that has no list at all takes generic's; an explicitly empty list stays
            // empty — a company whose documents name no fine pays none (Jinlong, ccec, the retail standard …), one that
            // names no bonus or subsidy pays none (Binchun: no RWD-01/02/03/07; regulations.md A12).
            if (doc["penalties"] is not JsonArray) doc["penalties"] = basis["penalties"]?.DeepClone();
            if (doc["rewards"] is not JsonArray) doc["rewards"] = basis["rewards"]?.DeepClone();
            foreach (var part in DocumentParts.Skip(3)) doc[part] ??= basis[part]?.DeepClone();
        }
        return doc;
    }
}

public static class JsonMerge
{
    /// <summary>A copy of <paramref name="basis"/> with every key of <paramref name="over"/> laid on top; objects merge, everything else replaces.</summary>
    public static JsonObject Deep(JsonObject basis, JsonObject? over)
    {
        var result = basis.DeepClone().AsObject();
        if (over is null) return result;
        foreach (var (key, value) in over)
            result[key] = value is JsonObject o && result[key] is JsonObject b ? Deep(b, o) : value?.DeepClone();
        return result;
    }
}
