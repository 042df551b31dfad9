using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Policy;

/// <summary>A parsed, read-only policy version with typed accessors for the numbers the code enforces.</summary>
public sealed class CompanyPolicy(PolicyVersion version, JsonObject document)
{
    public int VersionId { get; } = version.Id;
    public int Number { get; } = version.Number;
    public JsonObject Document { get; } = document;
    public JsonObject Parameters => Document["parameters"]!.AsObject();

    public T? Get<T>(string path)
    {
        JsonNode? node = Parameters;
        foreach (var part in path.Split('.')) node = node?[part];
        return node is null ? default : node.GetValue<T>();
    }

    /// <summary>INT-02/INT-03: what an intake record must contain (intake.requiredFields).</summary>
    public IReadOnlyList<string> RequiredIntakeFields =>
        (Parameters["intake"]?["requiredFields"] as JsonArray)?.Select(x => (string)x!).ToList() ?? [];

    /// <summary>DSP-20: dispatch only to a technician with the skill the order needs.</summary>
    public bool SkillMatching => Get<bool?>("dispatch.skillMatching") ?? true;

    /// <summary>INT-16: an angry customer's order is dispatched by the after-sales manager personally.</summary>
    public bool AngryCustomerToManager => Get<bool?>("intake.escalateAngryCustomerToManager") ?? false;

    public int? WarrantyMonths => Get<int?>("warranty.months");

    /// <summary>
    /// The penalties[] entry with this key, or null. Found once per key: a version never changes, and scanning its ~90
    /// entries for every breach was most of the SLA tick's per-clock time.
    /// </summary>
    public JsonObject? Penalty(string key) =>
        _penalties.GetOrAdd(key, k => (Document["penalties"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(p => (string?)p["key"] == k));

    private readonly ConcurrentDictionary<string, JsonObject?> _penalties = new();

    /// <summary>A penalties[] rule's ids as a case stores them, e.g. "PEN-89,CMP-04,CMP-05".</summary>
    public static string RuleIds(JsonObject rule) => string.Join(",", (rule["ruleIds"] as JsonArray ?? []).Select(x => (string)x!));

    /// <summary>The rule's action of <paramref name="type"/> (e.g. revokeEvaluationEligibility, forfeitSubsidy), or null.</summary>
    public static JsonObject? Action(JsonObject rule, string type) =>
        (rule["actions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(a => (string?)a["type"] == type);
}

/// <summary>Finds the policy in force and caches parsed versions (they never change once published).</summary>
public sealed class PolicyStore
{
    private readonly ConcurrentDictionary<int, CompanyPolicy> _cache = new();

    public async Task<CompanyPolicy> InForce(AppDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var version = await db.PolicyVersions.AsNoTracking()
            .Where(v => v.EffectiveFrom <= now).OrderByDescending(v => v.Number).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException("No policy is in force; the app seeds one at start.");
        return Parse(version);
    }

    public async Task<CompanyPolicy> ById(AppDbContext db, int id, CancellationToken ct) =>
        _cache.TryGetValue(id, out var cached) ? cached : Parse(await db.PolicyVersions.AsNoTracking().SingleAsync(v => v.Id == id, ct));

    private CompanyPolicy Parse(PolicyVersion v) => _cache.GetOrAdd(v.Id, _ => Build(v));

    /// <summary>
    /// A parsed version, fully built before it is shared. <see cref="JsonNode.Parse(string, JsonNodeOptions?, System.Text.Json.JsonDocumentOptions)"/>
    /// builds objects and arrays lazily, on their first read, and that first read is not thread-safe: two requests
    /// reading a fresh cached policy at once could corrupt it. After <see cref="Materialize"/> every read is a plain
    /// read of a built dictionary or list, which is safe from any number of threads.
    /// </summary>
    internal static CompanyPolicy Build(PolicyVersion v)
    {
        var document = JsonNode.Parse(v.DocumentJson)!.AsObject();
        Materialize(document);
        return new CompanyPolicy(v, document);
    }

    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o: foreach (var (_, child) in o) Materialize(child); break;
            case JsonArray a: foreach (var child in a) Materialize(child); break;
        }
    }
}
