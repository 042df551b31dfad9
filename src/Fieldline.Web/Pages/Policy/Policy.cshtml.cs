using Microsoft.EntityFrameworkCore;
using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Infrastructure.Data;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Policy;

/// <summary>
/// One editable number, flag or word of the policy, by its path (e.g. dispatch.repairContactTargetMinutes), with what
/// the parameter catalog says of it: its description, unit and the rules (regulations.md ids) it enforces.
/// </summary>
public sealed record PolicyLeaf(string Path, JsonValueKind Kind, string Value, bool Changed, string? Description = null, string? Unit = null,
    IReadOnlyList<string>? RuleIds = null);

/// <summary>
/// One list of the policy as the editor shows it: a choice among the codes the system acts on (ticked), or the company's own
/// items, one a line, by their names in the reader's language. <see cref="Leaf"/> carries its label, meaning and rules.
/// </summary>
public sealed record PolicyList(PolicyLeaf Leaf, IReadOnlyList<PolicyListChoice>? Choices, string Items, string ItemsText);

public sealed record PolicyListChoice(string Code, string Name, bool Chosen);

/// <summary>One fine of the list the new version starts from: its key, rules, what triggers it and its amount (blank = not stated).</summary>
public sealed record PolicyFine(string Key, IReadOnlyList<string> RuleIds, string? Trigger, string Amount, bool Keep);

/// <summary>
/// The regulation as data: the version in force, its history, and (head-office managers) a new version — start from the
/// version in force or any preset, change numbers, choose when it takes effect, publish. Orders keep the version they were
/// created under; only orders created after the effective time use the new one.
/// </summary>
public sealed class PolicyModel(ManagePolicy policies, SignOffPolicy signOff, PolicyPresets presets, RuleTexts rules, BranchZones zones, TimeProvider clock) : ConsolePage
{
    public const string Prefix = "p:";
    public const string AmountPrefix = "fine-amount:";
    public const string KeepPrefix = "fine-keep:";
    public const string ListPrefix = "list:";
    public const string ListsField = "lists";

    /// <summary>
    /// The lists a company sets for itself, with the catalogue prefix of their items' names. The intake's required fields
    /// and the completion's evidence are codes the system checks (<see cref="ManagePolicy.CodeLists"/>), so they are chosen,
    /// not typed; the kits (TLS-02/03), the HR documents and checklists (HR-04/05, HR-09), the materials the customer pays
    /// for and the parts outside the warranty are the company's own items.
    /// </summary>
    private static readonly (string Path, string Kind, bool Choice)[] EditableLists = new[]
    {
        ("intake.requiredFields", "field"), ("completion.evidenceRequired", "evidenceKind"),
        ("tools.installerCrewKit", "kit"), ("tools.repairTechnicianKit", "kit"),
        ("hr.onboardingDocuments", "onboarding"), ("hr.offboardingChecklist", "offboarding"),
        ("fees.customerPaidMaterials", "material"), ("warranty.excludedComponents", "component"),
    }.Select(l => (l.Item1, l.Item2, ManagePolicy.CodeLists.Contains(l.Item1))).ToArray();

    [BindProperty(SupportsGet = true)] public string? Preset { get; set; }

    public PolicyDto Current { get; private set; } = null!;
    public IReadOnlyList<PolicyVersionInfo> History { get; private set; } = [];
    public IReadOnlyList<PresetInfo> Presets => presets.All;
    public string BasedOn { get; private set; } = "";
    public IReadOnlyList<IGrouping<string, PolicyLeaf>> Sections { get; private set; } = [];
    public IReadOnlyList<PolicyFine> Fines { get; private set; } = [];
    public IReadOnlyList<PolicyList> Lists { get; private set; } = [];
    public bool CanPublish => Me.IsAny(Roles.Admin, Roles.Manager) && Me.IsHeadOffice;
    /// <summary>GOV-04: the responsible unit drafts changes for the sign-off; head office's managers may also publish directly.</summary>
    public bool CanEdit => CanPublish || Me.IsAny(SignOffPolicy.Drafters);
    /// <summary>GOV-03: changes on their way through the sign-off, and those decided lately.</summary>
    public IReadOnlyList<PolicyDraftDto> Drafts { get; private set; } = [];
    public bool MaySign(PolicyDraftDto d) => d.NextStep is { } s && SignOffPolicy.MaySign(Me, Enum.Parse<PolicyDraftStep>(s, ignoreCase: true))
        && d.Signatures.All(x => x.By != Me.UserName);
    public string EffectiveFrom { get; private set; } = "";

    /// <summary>The revision note as typed, kept when the form comes back with an error.</summary>
    public string Note { get; private set; } = "";

    /// <summary>
    /// A parameter's field as the API names it (<c>parameters.intake.infoDispatchWithinMinutes</c>): the page's own errors and
    /// those of the use case are keyed alike, stand under the same input, and are labelled as the page labels the parameter.
    /// </summary>
    public static string FieldOf(string path) => "parameters." + path;

    /// <summary>Keys of the errors this page shows beside their inputs; any other error is said at the top.</summary>
    private HashSet<string> Placed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Errors without an input of their own on the page (the preset, a parameter not shown), said at the top.</summary>
    public IEnumerable<string> Unplaced() => ModelState.Where(kv => !Placed.Contains(kv.Key) && kv.Value!.Errors.Count > 0)
        .SelectMany(kv => kv.Value!.Errors).Select(e => e.ErrorMessage).Distinct();

    /// <summary>
    /// When a version came into force, in the branch's time; the first version (the preset the company started from) is in
    /// force from the start, which is said as such rather than as the epoch it is stored as.
    /// </summary>
    public string Effective(DateTimeOffset from) => from == DateTimeOffset.UnixEpoch ? T["From the start"] : Fieldline.Web.Pages.Text.Time(from);

    public async Task OnGet(CancellationToken ct) => await Load(null, ct);

    /// <summary>A preset by its name in the reader's language.</summary>
    public string PresetName(string id) => presets.All.FirstOrDefault(p => p.Id == id) is { } p ? (Fieldline.Web.Pages.Text.IsChinese ? p.NameZh : p.Name) : id;

    /// <summary>Who published: a user's name, or the system when the app put the first version in force.</summary>
    public string NameOf(string userName) => userName == "system" ? T.Code("role", "system") : Publishers.GetValueOrDefault(userName, userName);

    private Dictionary<string, string> Publishers { get; set; } = [];

    /// <summary>Whether a text value is one of the policy's coded values (named in the catalogue) rather than words a company wrote.</summary>
    public bool IsCode(PolicyLeaf leaf) => Infrastructure.Localization.Catalogue.Find("paramValue." + leaf.Value) is not null;

    /// <summary>A value as a person reads it: yes/no, a coded value by its name, anything else as written.</summary>
    public string ValueText(PolicyLeaf leaf) => leaf.Kind switch
    {
        JsonValueKind.True => T["Yes"],
        JsonValueKind.False => T["No"],
        JsonValueKind.String => Infrastructure.Localization.Catalogue.Find("paramValue." + leaf.Value) ?? leaf.Value,
        _ => leaf.Value,
    };

    public async Task<IActionResult> OnPost(string? basedOn, string? effectiveFrom, CancellationToken ct)
    {
        PolicyDto? published = null;
        if (await Attempt(async () => published = await policies.Publish(Me, await Change(basedOn, effectiveFrom, ct), ct)) && published is not null)
        {
            Flash = T["Policy version {0} published.", published.Version];
            return Redirect("/manage/policy");
        }
        return await Again(basedOn, ct);
    }

    /// <summary>GOV-03/04: the same change, drafted for the sign-off instead of published.</summary>
    public async Task<IActionResult> OnPostDraft(string? basedOn, string? effectiveFrom, string? note, CancellationToken ct)
    {
        PolicyDraftDto? drafted = null;
        if (await Attempt(async () =>
        {
            var change = await Change(basedOn, effectiveFrom, ct);
            drafted = await signOff.Draft(Me, new DraftPolicyRequest(change.BasedOn, change.EffectiveFrom, change.Parameters, change.Penalties, note), ct);
        }) && drafted is not null)
        {
            Flash = T["The change is drafted and waits for the next signature: {0}.", drafted.NextStepName ?? ""];
            return Redirect("/manage/policy#drafts");
        }
        return await Again(basedOn, ct);
    }

    public async Task<IActionResult> OnPostSign(long draftId, CancellationToken ct)
    {
        PolicyDraftDto? signed = null;
        if (await Attempt(async () => signed = await signOff.Sign(Me, draftId, ct)) && signed is not null)
        {
            Flash = signed.PublishedVersion is { } v ? T["Policy version {0} published.", v] : T["Signed. It waits for the next signature: {0}.", signed.NextStepName ?? ""];
            return Redirect("/manage/policy#drafts");
        }
        return await Again(null, ct);
    }

    public async Task<IActionResult> OnPostReject(long draftId, string? reason, CancellationToken ct)
    {
        if (await Attempt(() => signOff.Reject(Me, draftId, new RejectDraftRequest(reason), ct)))
        {
            Flash = T["Saved."];
            return Redirect("/manage/policy#drafts");
        }
        return await Again(null, ct);
    }

    private async Task<IActionResult> Again(string? basedOn, CancellationToken ct)
    {
        Preset = basedOn;
        await Load(basedOn is null ? null : Request.Form, ct);
        return Page();
    }

    /// <summary>The posted editor as the API's change: the preset, when it takes effect, the overridden leaves and fines.</summary>
    private async Task<PublishPolicyRequest> Change(string? basedOn, string? effectiveFrom, CancellationToken ct)
    {
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(basedOn) || !presets.Exists(basedOn)) v.Add("basedOn", "{0} is required.");
        DateTimeOffset? from = null;
        if (!string.IsNullOrWhiteSpace(effectiveFrom))
        {
            if (DateTime.TryParse(effectiveFrom, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                var zone = await zones.For(Me.BranchId, ct);
                from = new DateTimeOffset(local, zone.GetUtcOffset(local));
            }
            else v.Add("effectiveFrom", "{0} is not a valid date and time.");
        }
        v.ThrowIfInvalid();
        var current = await policies.Current(Me, null, ct);
        var preset = presets.Document(basedOn!)["parameters"]!.AsObject();
        var overrides = Overrides(preset, v);
        ListChanges(preset, current.Parameters, overrides, v);
        if (CapacityTableOf(Request.Form[CapacityTableField].ToString(), v) is { Count: > 0 } table)
            overrides["installation"] = JsonMerge.Deep(overrides["installation"] as JsonObject ?? [], new JsonObject { ["capacityRoomAreaTable"] = table });
        var fineChanges = FineChanges(policies.StartingFines(basedOn!, current), v);
        v.ThrowIfInvalid();
        return new PublishPolicyRequest(basedOn, from, overrides, fineChanges);
    }

    public const string CapacityTableField = "capacity-table";

    /// <summary>INS-03 / SC-19: the capacity-to-room table as the editor shows it, one row a line: "1 = 15" (HP = largest room in m²).</summary>
    public string CapacityTable { get; private set; } = "";

    private static string CapacityTableText(JsonObject parameters) => string.Join("\n",
        ((parameters["installation"] as JsonObject)?["capacityRoomAreaTable"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(r => $"{r["hp"]?.ToJsonString()} = {r["maxAreaM2"]?.ToJsonString()}"));

    /// <summary>The posted table: each line "HP = m²" with numbers above 0; an empty text leaves the table as the preset has it.</summary>
    private static JsonArray? CapacityTableOf(string text, Validator v)
    {
        var rows = new JsonArray();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(['=', ',', ':', '：', '，'], StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && decimal.TryParse(parts[0], NumberStyles.Number, CultureInfo.InvariantCulture, out var hp) && hp > 0 && hp <= 50
                && decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var area) && area > 0 && area <= 1000)
                rows.Add(new JsonObject { ["hp"] = hp, ["maxAreaM2"] = area });
            else v.Add(FieldOf("installation.capacityRoomAreaTable"), "{0}: '{1}' is not a row 'HP = largest room in m²' (for example 1 = 15).", line);
        }
        return rows;
    }

    /// <summary>The posted leaves that differ from the preset: the new version is the preset plus exactly these.</summary>
    private JsonObject Overrides(JsonObject preset, Validator v)
    {
        var result = new JsonObject();
        foreach (var leaf in Leaves(preset, ""))
        {
            var posted = Request.Form[Prefix + leaf.Path].ToString();
            JsonNode? value;
            switch (leaf.Kind)
            {
                case JsonValueKind.True or JsonValueKind.False:
                    value = JsonValue.Create(posted == "true");
                    break;
                case JsonValueKind.Number:
                    if (!decimal.TryParse(posted, NumberStyles.Number, CultureInfo.InvariantCulture, out var n)) { v.Add(FieldOf(leaf.Path), "{0} must be a number."); continue; }
                    value = n == decimal.Truncate(n) && Math.Abs(n) < long.MaxValue ? JsonValue.Create((long)n) : JsonValue.Create(n);
                    break;
                case JsonValueKind.String:
                    value = JsonValue.Create(posted);
                    break;
                default:
                    continue;
            }
            if (Text(value!) == leaf.Value) continue;
            Set(result, leaf.Path.Split('.'), value!);
        }
        return result;
    }

    /// <summary>
    /// The posted lists that differ from the preset, whole (a list is replaced, not merged). An item kept keeps its code, found
    /// by its name; a new one is stored as typed. Nothing when the form had no lists.
    /// </summary>
    private void ListChanges(JsonObject preset, JsonObject inForce, JsonObject overrides, Validator v)
    {
        if (Request.Form[ListsField].ToString() != "1") return;
        var knownLists = Known(inForce);
        foreach (var (path, kind, choice) in EditableLists)
        {
            if (CompanyPolicy.WordsAt(preset, path) is not { } was) continue;
            var known = knownLists[path];
            List<string> now;
            if (choice)
            {
                var ticked = Request.Form[ListPrefix + path].Select(x => x ?? "").ToHashSet(StringComparer.Ordinal);
                if (ticked.FirstOrDefault(t => !known.Contains(t)) is { } unknown) { v.Add(FieldOf(path), "{0}: '{1}' is not one of the allowed values: {2}.", Msg.Verbatim(unknown), Msg.Join(known.Select(k => Msg.Choice(kind, k)))); continue; }
                now = known.Where(ticked.Contains).ToList();
                if (now.ToHashSet().SetEquals(was)) continue;
            }
            else
            {
                if (ItemsOf(FieldOf(path), kind, Request.Form[ListPrefix + path].ToString(), known, v) is not { } items) continue;
                now = items;
                if (now.SequenceEqual(was)) continue;
            }
            Set(overrides, path.Split('.'), new JsonArray([.. now.Select(x => (JsonNode)x)]));
        }
    }

    /// <summary>
    /// A list of items typed one a line: a line naming a known item (in the reader's language, or by its code) is that item,
    /// any other line a new item as written. A new item may not hold ( ) or a comma, which the stored form uses (write （ ） or ，).
    /// </summary>
    private static List<string>? ItemsOf(string field, string kind, string text, IReadOnlyList<string> known, Validator v)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in known) byName.TryAdd(PolicyItem.Parse(raw).Name(kind), raw);
        foreach (var raw in known) byName.TryAdd(PolicyItem.Parse(raw).Code, raw); // its code typed: the same item
        var items = new List<string>();
        var ok = true;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (byName.TryGetValue(line, out var raw)) { if (!items.Contains(raw)) items.Add(raw); continue; }
            if (line.Length > 100 || line.IndexOfAny(['(', ')', ',']) >= 0)
            {
                v.Add(field, "{0}: '{1}' is not an item: at most 100 characters, without ( ) or a comma (write （ ） or ，).", Msg.Verbatim(line));
                ok = false;
            }
            else if (!items.Contains(line)) items.Add(line);
        }
        if (items.Count > 60) { v.Add(field, "{0} has at most {1} items.", 60); ok = false; }
        return ok ? items : null;
    }

    /// <summary>
    /// What each list may hold or is known to hold, in the order first met: a code list's codes (<see cref="PolicyPresets.Words"/>,
    /// however the API may have filled the version in force); an item list's items known by name, the version in force's too.
    /// </summary>
    private Dictionary<string, List<string>> Known(JsonObject inForce) => EditableLists.ToDictionary(l => l.Path, l => l.Choice
        ? [.. presets.Words(l.Path)]
        : (CompanyPolicy.WordsAt(inForce, l.Path) ?? []).Concat(presets.Words(l.Path)).Distinct(StringComparer.Ordinal).ToList());

    /// <summary>The posted fine rows that differ from the starting list: struck (keep unticked) or a new amount.</summary>
    private JsonObject? FineChanges(JsonArray fines, Validator v)
    {
        if (!Request.Form.Keys.Any(k => k.StartsWith(AmountPrefix, StringComparison.Ordinal))) return null;
        var changes = new JsonObject();
        foreach (var fine in fines.OfType<JsonObject>())
        {
            var key = (string)fine["key"]!;
            if (Request.Form[KeepPrefix + key].ToString() != "true") { changes[key] = null; continue; }
            var posted = Request.Form[AmountPrefix + key].ToString().Trim();
            decimal? amount = null;
            if (posted.Length > 0)
            {
                if (!decimal.TryParse(posted, NumberStyles.Number, CultureInfo.InvariantCulture, out var a))
                { v.Add($"penalties.{key}.amountCNY", "{0} must be a number of yuan, or blank."); continue; }
                amount = a;
            }
            var was = fine["amountCNY"] is JsonValue w && w.TryGetValue<decimal>(out var d) ? d : (decimal?)null;
            if (amount != was) changes[key] = new JsonObject { ["amountCNY"] = amount is { } x ? JsonValue.Create(x) : null };
        }
        return changes.Count == 0 ? null : changes;
    }

    private static void Set(JsonObject root, string[] path, JsonNode value)
    {
        var node = root;
        foreach (var part in path[..^1])
        {
            if (node[part] is not JsonObject child) node[part] = child = new JsonObject();
            node = child;
        }
        node[path[^1]] = value;
    }

    private async Task Load(IFormCollection? posted, CancellationToken ct)
    {
        Current = await policies.Current(Me, null, ct);
        History = await policies.Versions(Me, ct);
        Drafts = (await signOff.List(Me, null, 1, 20, ct)).Items;
        // Start from the version in force, or from a preset the manager picked.
        var start = !string.IsNullOrEmpty(Preset) && presets.Exists(Preset) && Preset != Current.BasedOn
            ? presets.Document(Preset)["parameters"]!.AsObject()
            : Current.Parameters;
        BasedOn = !string.IsNullOrEmpty(Preset) && presets.Exists(Preset) ? Preset : Current.BasedOn;
        CapacityTable = posted?[CapacityTableField] is { Count: > 0 } typed ? typed.ToString() : CapacityTableText(start);
        var baseline = Leaves(Current.Parameters, "").ToDictionary(l => l.Path, l => l.Value);
        var publishers = History.Select(h => h.CreatedBy).Append(Current.CreatedBy).Distinct().ToList();
        Publishers = await HttpContext.RequestServices.GetRequiredService<Infrastructure.Data.AppDbContext>().Users
            .Where(u => publishers.Contains(u.UserName)).ToDictionaryAsync(u => u.UserName, u => u.DisplayName, ct);
        // Notes the preset's authors left for implementers (assumption, note) are not numbers anyone sets.
        Sections = Leaves(start, "").Where(l => !l.Path.EndsWith(".assumption", StringComparison.Ordinal) && !l.Path.EndsWith(".note", StringComparison.Ordinal))
            .Select(l => posted?[Prefix + l.Path] is { Count: > 0 } p ? l with { Value = p.ToString() } : l)
            .Select(l => l with { Changed = !baseline.TryGetValue(l.Path, out var b) || b != l.Value })
            .Select(Describe)
            .GroupBy(l => l.Path.Split('.')[0]).ToList();
        var known = Known(Current.Parameters);
        Lists = EditableLists.Select(def => ListOf(def, start, known[def.Path], posted)).OfType<PolicyList>().ToList();
        Fines = policies.StartingFines(BasedOn, Current).OfType<JsonObject>().Select(f =>
        {
            var key = (string)f["key"]!;
            var ids = (f["ruleIds"] as JsonArray)?.Select(x => (string)x!).ToList() ?? [];
            var amount = f["amountCNY"] is JsonValue a && a.TryGetValue<decimal>(out var d) ? d.ToString(CultureInfo.InvariantCulture) : "";
            if (posted?[AmountPrefix + key] is { Count: > 0 } pa) amount = pa.ToString();
            var keep = posted is null || posted[KeepPrefix + key].ToString() == "true";
            return new PolicyFine(key, ids, (string?)f["trigger"], amount, keep);
        }).ToList();
        var zone = await zones.For(Me.BranchId, ct);
        Note = posted?["note"].ToString() ?? "";
        if (CanEdit)
            Placed = new HashSet<string>(
                Sections.SelectMany(g => g).Where(l => l.Kind is not (JsonValueKind.True or JsonValueKind.False)).Select(l => FieldOf(l.Path))
                    .Concat(Lists.Select(l => FieldOf(l.Leaf.Path)))
                    .Concat(Fines.SelectMany(f => new[] { $"penalties.{f.Key}.amountCNY", $"penalties.{f.Key}" }))
                    .Concat(["effectiveFrom", "note", FieldOf("installation.capacityRoomAreaTable")]), StringComparer.Ordinal);
        EffectiveFrom = posted?["effectiveFrom"].ToString() is { Length: > 0 } e ? e
            : BranchTime.Local(clock.GetUtcNow(), zone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>A list as the editor shows it: as it starts, or as posted when the form comes back with an error.</summary>
    private PolicyList? ListOf((string Path, string Kind, bool Choice) def, JsonObject start, List<string> known, IFormCollection? posted)
    {
        if (CompanyPolicy.WordsAt(start, def.Path) is not { } items) return null;
        var changed = CompanyPolicy.WordsAt(Current.Parameters, def.Path) is not { } inForce || !inForce.SequenceEqual(items);
        var leaf = Describe(new PolicyLeaf(def.Path, JsonValueKind.Array, "", changed));
        string Name(string raw) => def.Choice ? T.Code(def.Kind, raw) : PolicyItem.Parse(raw).Name(def.Kind);
        var shown = Msg.Join(items.Select(raw => Msg.Verbatim(Name(raw)))).Render();
        if (def.Choice)
        {
            var ticked = posted is null ? items.ToHashSet() : posted[ListPrefix + def.Path].Select(x => x ?? "").ToHashSet();
            return new PolicyList(leaf, known.Select(c => new PolicyListChoice(c, Name(c), ticked.Contains(c))).ToList(), shown, "");
        }
        var text = posted is not null && posted.ContainsKey(ListPrefix + def.Path) ? posted[ListPrefix + def.Path].ToString() : string.Join("\n", items.Select(Name));
        return new PolicyList(leaf, null, shown, text);
    }

    /// <summary>The catalog entry of the leaf or of the nearest object above it (completion.halfDayRule.enabled → completion.halfDayRule).</summary>
    private PolicyLeaf Describe(PolicyLeaf leaf)
    {
        for (var path = leaf.Path; path.Length > 0; path = path.Contains('.') ? path[..path.LastIndexOf('.')] : "")
            if (presets.Catalog[path] is JsonObject entry)
                return leaf with
                {
                    Description = (string?)entry["description"], Unit = (string?)entry["unit"],
                    RuleIds = (entry["ruleIds"] as JsonArray)?.Select(x => (string)x!).ToList() ?? [],
                };
        return leaf;
    }

    /// <summary>What a parameter enforces, in the reader's language: the regulation's Chinese original, or the catalog's English.</summary>
    public string? Meaning(PolicyLeaf leaf)
    {
        // A Chinese reader gets the regulation's own words or nothing: the catalog's notes are English, written for implementers.
        return Fieldline.Web.Pages.Text.IsChinese ? RegulationText(leaf.RuleIds ?? []) : leaf.Description;
    }

    // For a Chinese reader, the regulation's own words of the first rule that has them.
    private string? RegulationText(IEnumerable<string> ruleIds) => Fieldline.Web.Pages.Text.IsChinese
        ? ruleIds.Select(id => rules[id]?.Zh).FirstOrDefault(zh => !string.IsNullOrEmpty(zh))
        : null;

    private static IEnumerable<PolicyLeaf> Leaves(JsonObject obj, string prefix)
    {
        foreach (var (key, node) in obj)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            switch (node)
            {
                case JsonObject child:
                    foreach (var leaf in Leaves(child, path)) yield return leaf;
                    break;
                case JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.String:
                    yield return new PolicyLeaf(path, value.GetValueKind(), Text(value), false);
                    break;
            }
        }
    }

    private static string Text(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.ToJsonString(),
    };
}
