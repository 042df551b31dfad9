using System.Globalization;
using Fieldline.Web.Infrastructure.Localization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Policy;

public sealed record PolicyDto(int Version, string BasedOn, DateTimeOffset EffectiveFrom, DateTimeOffset CreatedAt, string CreatedBy,
    JsonObject Parameters, JsonNode? Penalties, JsonNode? Rewards);

public sealed record PolicyVersionInfo(int Version, string BasedOn, DateTimeOffset EffectiveFrom, DateTimeOffset CreatedAt, string CreatedBy);

// Penalties: changes to the fine list, by penalty key: null strikes a rule; an object changes fields of it (amountCNY,
// notes...) or, with "from": "<presetId>", adopts that preset's rule of the same key. They apply to the list in force
// when the preset stays the same (so changes accumulate, and a publish that only changes parameters, as the console's
// policy editor does, keeps them), and to the preset's own list when the preset changes.
public sealed record PublishPolicyRequest(string? BasedOn, DateTimeOffset? EffectiveFrom, JsonObject? Parameters, JsonObject? Penalties = null);

/// <summary>
/// Reads the policy in force and its history; head-office managers publish new versions (a preset plus overrides). Times
/// answer in the reader's branch's zone (the policy is company-wide, its reader's clock the branch's), as every other
/// resource does.
/// </summary>
public sealed class ManagePolicy(AppDbContext db, PolicyPresets presets, PolicyStore store, BranchZones zones, TimeProvider clock)
{
    public async Task<PolicyDto> Current(CurrentUser user, int? version, CancellationToken ct)
    {
        user.RequireAny("read the policy", [.. Roles.Office, Roles.Technician]);
        var number = version ?? (await store.InForce(db, clock.GetUtcNow(), ct)).Number;
        var v = await db.PolicyVersions.AsNoTracking().FirstOrDefaultAsync(x => x.Number == number, ct)
            ?? throw new NotFoundException("Policy version", number);
        var doc = JsonNode.Parse(v.DocumentJson)!.AsObject();
        var zone = await zones.For(user.BranchId, ct);
        return new PolicyDto(v.Number, v.BasedOn, BranchTime.Local(v.EffectiveFrom, zone), BranchTime.Local(v.CreatedAt, zone), v.CreatedBy,
            doc["parameters"]!.AsObject(), doc["penalties"], doc["rewards"]);
    }

    public async Task<IReadOnlyList<PolicyVersionInfo>> Versions(CurrentUser user, CancellationToken ct)
    {
        user.RequireAny("read the policy history", Roles.Office);
        var zone = await zones.For(user.BranchId, ct);
        var versions = await db.PolicyVersions.AsNoTracking().OrderByDescending(v => v.Number).Select(v => new { v.Number, v.BasedOn, v.EffectiveFrom, v.CreatedAt, v.CreatedBy }).ToListAsync(ct);
        return versions.Select(v => new PolicyVersionInfo(v.Number, v.BasedOn, BranchTime.Local(v.EffectiveFrom, zone), BranchTime.Local(v.CreatedAt, zone), v.CreatedBy)).ToList();
    }

    public async Task<PolicyDto> Publish(CurrentUser user, PublishPolicyRequest request, CancellationToken ct)
    {
        RequirePublisher(user);
        var now = clock.GetUtcNow();
        var doc = await Build(user, request, now, ct);
        var created = await Add(request.BasedOn!, request.EffectiveFrom?.ToUniversalTime() ?? now, doc, user.UserName, now, ct);
        return await Current(user, created.Number, ct);
    }

    /// <summary>Who puts a version in force: head office's managers (the general manager, GOV-04) and the administrator.</summary>
    internal static void RequirePublisher(CurrentUser user)
    {
        user.RequireAny("publish the policy", Roles.Admin, Roles.Manager);
        if (!user.IsHeadOffice) throw new ForbiddenException("The policy is company-wide: only head office may publish it.");
    }

    /// <summary>The presets a draft may start from: their Chinese names for a Chinese reader, their ids for an English one (what a client sends).</summary>
    private Msg Presets() => Msg.Join(presets.All.Select(p => Msg.NamedChoice(p.NameZh, p.Id)));

    /// <summary>
    /// The document a request would put in force — the preset with the overrides and fine changes — or every field error
    /// at once (400). Nothing is saved: <see cref="Publish"/> saves it, a draft for sign-off only checks it.
    /// </summary>
    internal async Task<JsonObject> Build(CurrentUser user, PublishPolicyRequest request, DateTimeOffset now, CancellationToken ct)
    {
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(request.BasedOn)) v.Add("basedOn", "{0} is required: one of {1}.", Presets());
        else if (!presets.Exists(request.BasedOn)) v.Add("basedOn", "{0}: '{1}' is not a preset. Allowed: {2}.", request.BasedOn, Presets());
        if (request.EffectiveFrom is { } from && from < now.AddMinutes(-1)) v.Add("effectiveFrom", "{0} cannot be in the past: a policy change never rewrites history.");
        v.ThrowIfInvalid();

        var doc = presets.Document(request.BasedOn!);
        var parameters = doc["parameters"]!.AsObject();
        if (request.Parameters is not null)
        {
            CheckOverrides(v, parameters, request.Parameters, "parameters", presets.Words);
            v.ThrowIfInvalid();
            doc["parameters"] = JsonMerge.Deep(parameters, request.Parameters);
        }
        doc["penalties"] = StartingFines(request.BasedOn!, await Current(user, null, ct)).DeepClone();
        if (request.Penalties is not null)
        {
            doc["penalties"] = OverridePenalties(v, doc["penalties"] as JsonArray ?? [], request.Penalties);
            v.ThrowIfInvalid();
        }
        return doc;
    }

    /// <summary>GOV-03/04: a signed-off draft put in force by its approver, saved in the same commit as the draft's approval.</summary>
    internal async Task<PolicyVersion> PublishApproved(CurrentUser approver, PublishPolicyRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var due = request.EffectiveFrom is { } from && from > now ? request : request with { EffectiveFrom = null }; // approved after the day it named: from now
        var doc = await Build(approver, due, now, ct);
        return await Add(due.BasedOn!, due.EffectiveFrom?.ToUniversalTime() ?? now, doc, approver.UserName, now, ct);
    }

    /// <summary>
    /// The fines a new version starts from: those in force while the preset stays the same (so fine changes accumulate
    /// and a parameter-only publish keeps them), else the chosen preset's own list.
    /// </summary>
    public JsonArray StartingFines(string basedOn, PolicyDto current) =>
        (basedOn == current.BasedOn ? current.Penalties : presets.Document(basedOn)["penalties"]) as JsonArray ?? [];

    /// <summary>Puts the preset in force when the database has no policy yet (first start).</summary>
    public async Task EnsureSeeded(string presetId, CancellationToken ct)
    {
        if (await db.PolicyVersions.AnyAsync(ct)) return;
        if (!presets.Exists(presetId)) throw new InvalidOperationException($"Fieldline:PolicyPreset '{presetId}' is not a preset.");
        await Add(presetId, DateTimeOffset.UnixEpoch, presets.Document(presetId), "system", clock.GetUtcNow(), ct);
    }

    private async Task<PolicyVersion> Add(string basedOn, DateTimeOffset effectiveFrom, JsonObject doc, string by, DateTimeOffset now, CancellationToken ct)
    {
        var number = (await db.PolicyVersions.MaxAsync(x => (int?)x.Number, ct) ?? 0) + 1;
        var version = new PolicyVersion
        {
            Number = number, BasedOn = basedOn, EffectiveFrom = effectiveFrom, CreatedAt = now, CreatedBy = by,
            DocumentJson = doc.ToJsonString(),
        };
        db.PolicyVersions.Add(version);
        await db.SaveChangesAsync(ct); // a concurrent publish with the same number fails on the unique index and is run again with the next one
        db.AfterCommit(store.Changed);
        return version;
    }

    /// <summary>
    /// The preset's fine list with the request's changes: a company strikes a rule of its preset, changes its amount,
    /// or adopts a rule its preset lacks from another preset ("from"), since presets do not inherit each other's fines.
    /// </summary>
    private JsonArray OverridePenalties(Validator v, JsonArray list, JsonObject changes)
    {
        var byKey = list.Where(p => p is JsonObject).ToDictionary(p => (string)p!["key"]!, p => p!.DeepClone().AsObject(), StringComparer.Ordinal);
        var order = byKey.Keys.ToList();
        foreach (var (key, change) in changes)
        {
            var field = $"penalties.{key}";
            if (change is null)
            {
                if (!byKey.Remove(key)) v.Add(field, "{0}: '{1}' is not a fine of this policy, so it cannot be struck.", key);
                continue;
            }
            if (change is not JsonObject fields) { v.Add(field, "{0} must be null (strike the rule) or an object of fields."); continue; }
            var rule = byKey.GetValueOrDefault(key);
            if ((string?)(fields["from"] as JsonValue) is { } from)
            {
                if (rule is not null) { v.Add($"{field}.from", "{0}: '{1}' is already a fine of this policy; change its fields instead.", key); continue; }
                if (!presets.Exists(from)) { v.Add($"{field}.from", "{0}: '{1}' is not a preset.", from); continue; }
                rule = (presets.Document(from)["penalties"] as JsonArray)?.OfType<JsonObject>()
                    .FirstOrDefault(p => (string?)p["key"] == key)?.DeepClone().AsObject();
                if (rule is null) { v.Add($"{field}.from", "{0}: preset '{1}' has no fine '{2}'.", from, key); continue; }
                byKey[key] = rule;
                order.Add(key);
            }
            else if (rule is null) { v.Add(field, "{0}: '{1}' is not a fine of this policy; name the preset to adopt it from with \"from\".", key); continue; }
            foreach (var (name, value) in fields)
            {
                if (name == "from") continue;
                if (name is "key" or "ruleIds") { v.Add($"{field}.{name}", "{0} identifies the rule and cannot be changed."); continue; }
                if (name == "amountCNY" && value is not null && !(value is JsonValue a && a.TryGetValue<decimal>(out var amount) && amount >= 0))
                { v.Add($"{field}.amountCNY", "{0} must be a number of yuan, 0 or more, or null."); continue; }
                if (value is not null) CheckNumbersIn(v, $"{field}.{name}", name, value);
                rule[name] = value?.DeepClone();
            }
        }
        return new JsonArray([.. order.Where(byKey.ContainsKey).Select(k => (JsonNode)byKey[k])]);
    }

    /// <summary>
    /// The lists whose items the system acts on by code (INT-02/03: the intake's required fields; CMP-09: the completion's
    /// evidence): an override names only codes some preset names.
    /// </summary>
    public static readonly IReadOnlyList<string> CodeLists = ["intake.requiredFields", "completion.evidenceRequired"];

    /// <summary>The catalogue's kind of the names of a code list's values (<c>field.phone</c>, <c>evidenceKind.photo</c>).</summary>
    public static string CodeKind(string parameter) => parameter == "intake.requiredFields" ? "field" : "evidenceKind";

    /// <summary>
    /// Every overridden leaf must exist in the preset and keep its JSON kind (a number stays a number). A list of words
    /// stays one: a code list names known codes only; any other is the company's own items, each of at most 100
    /// characters and without a comma (a kit check keeps the kit it checked as the items joined by commas, TLS-04).
    /// </summary>
    private static void CheckOverrides(Validator v, JsonObject basis, JsonObject over, string path, Func<string, IReadOnlyList<string>> knownCodes)
    {
        foreach (var (key, value) in over)
        {
            var field = $"{path}.{key}";
            if (!basis.ContainsKey(key)) { v.Add(field, "{0} is not a policy parameter."); continue; }
            var existing = basis[key];
            if (existing is JsonObject eo && value is JsonObject vo) CheckOverrides(v, eo, vo, field, knownCodes);
            else if (existing is not null && value is not null && Kind(existing) != Kind(value))
                v.Add(field, "{0} must be a {1}, not a {2}.", Msg.Code("jsonKind", Kind(existing)), Msg.Code("jsonKind", Kind(value)));
            else if (existing is JsonArray ea && value is JsonArray va && ea.Count > 0 && ea.All(x => x?.GetValueKind() == JsonValueKind.String))
                CheckWords(v, field, va, knownCodes);
            else if (value is JsonValue jv && jv.GetValueKind() == JsonValueKind.Number) CheckNumber(v, field, key, jv, existing as JsonValue);
            else if (value is JsonArray or JsonObject) CheckNumbersIn(v, field, key, value);
        }
    }

    /// <summary>
    /// A policy number is a count, a duration, an amount or a measure: never negative, and within a bound its kind makes
    /// sane (its key's ending says the kind) — a deadline of 1e300 minutes cannot be turned into a time. Where the preset
    /// counts in whole units, the override does too (the typed policy reads those as integers and would ignore 2.5).
    /// </summary>
    private static void CheckNumber(Validator v, string field, string key, JsonValue value, JsonValue? preset)
    {
        var max = key.EndsWith("Minutes", StringComparison.Ordinal) ? 525_600 // a year
            : key.EndsWith("Days", StringComparison.Ordinal) ? 3_660          // ten years
            : key.EndsWith("Percent", StringComparison.Ordinal) ? 100
            : 1_000_000;                                                      // yuan, counts, measures
        var d = Number(value);
        if (!double.IsFinite(d) || d < 0 || d > max) { v.Add(field, "{0} must be between {1} and {2}.", 0, max); return; }
        if (key.EndsWith("CNY", StringComparison.Ordinal))
        {
            if (!decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount != decimal.Round(amount, 2))
                v.Add(field, "{0} is an amount of money: at most two decimals.");
        }
        else if (d != Math.Floor(d) && preset is not null && Number(preset) is var p && p == Math.Floor(p) && !Fractional(key))
            v.Add(field, "{0} must be a whole number.");
    }

    /// <summary>
    /// A JSON number as written, whatever CLR value holds it (a request's parsed element, the page's decimal): TryGetValue
    /// of another type than the held one fails. Beyond double's range it is infinite, so it is refused as out of bounds.
    /// </summary>
    private static double Number(JsonValue value) =>
        double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;

    /// <summary>Kinds of number that may be fractional even where the preset's value happens to be whole (money is checked as money).</summary>
    private static bool Fractional(string key) =>
        key.EndsWith("Percent", StringComparison.Ordinal) || key.Contains("Multipl", StringComparison.Ordinal); // …Multiple…, …Multiplier

    /// <summary>The numbers inside a list or an object the preset has no leaf for: each within the bounds of its key (a list's items, of the list's).</summary>
    private static void CheckNumbersIn(Validator v, string field, string key, JsonNode node)
    {
        switch (node)
        {
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is { } item) CheckNumbersIn(v, $"{field}[{i}]", key, item);
                break;
            case JsonObject o:
                foreach (var (k, item) in o)
                    if (item is not null) CheckNumbersIn(v, $"{field}.{k}", k, item);
                break;
            case JsonValue n when n.GetValueKind() == JsonValueKind.Number:
                CheckNumber(v, field, key, n, null);
                break;
        }
    }

    private static void CheckWords(Validator v, string field, JsonArray list, Func<string, IReadOnlyList<string>> knownCodes)
    {
        if (list.Any(x => x?.GetValueKind() != JsonValueKind.String)) { v.Add(field, "{0} must be a list of words."); return; }
        var parameter = field["parameters.".Length..];
        var codes = CodeLists.Contains(parameter) ? knownCodes(parameter) : null;
        foreach (var item in list.Select(x => x!.GetValue<string>()))
        {
            if (codes is not null && !codes.Contains(item))
                v.Add(field, "{0}: '{1}' is not one of the allowed values: {2}.", Msg.Verbatim(item), Msg.Join(codes.Select(c => Msg.Choice(CodeKind(parameter), c))));
            else if (codes is null && (string.IsNullOrWhiteSpace(item) || item.Length > 100 || item.Contains(',')))
                v.Add(field, "{0}: '{1}' is not an item: at most 100 characters, not blank, without a comma.", Msg.Verbatim(item));
        }
    }

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Number => "number",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "list",
        JsonValueKind.Object => "object",
        _ => "null",
    };
}
