using System.Text.Json;
using System.Text.Json.Nodes;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Sla;

public sealed record PolicyDto(int Version, string BasedOn, DateTimeOffset EffectiveFrom, DateTimeOffset CreatedAt, string CreatedBy,
    JsonObject Parameters, JsonNode? Penalties, JsonNode? Rewards);

public sealed record PolicyVersionInfo(int Version, string BasedOn, DateTimeOffset EffectiveFrom, DateTimeOffset CreatedAt, string CreatedBy);

public sealed record PublishPolicyRequest(string? BasedOn, DateTimeOffset? EffectiveFrom, JsonObject? Parameters);

/// <summary>Reads the policy in force and its history; head-office managers publish new versions (a preset plus overrides).</summary>
public sealed class ManagePolicy(AppDbContext db, PolicyPresets presets, PolicyStore store, TimeProvider clock)
{
    public async Task<PolicyDto> Current(CurrentUser user, int? version, CancellationToken ct)
    {
        user.RequireAny("read the policy", [.. Roles.Office, Roles.Technician]);
        var number = version ?? (await store.InForce(db, clock.GetUtcNow(), ct)).Number;
        var v = await db.PolicyVersions.AsNoTracking().FirstOrDefaultAsync(x => x.Number == number, ct)
            ?? throw new NotFoundException($"Policy version {number}");
        var doc = JsonNode.Parse(v.DocumentJson)!.AsObject();
        return new PolicyDto(v.Number, v.BasedOn, v.EffectiveFrom, v.CreatedAt, v.CreatedBy, doc["parameters"]!.AsObject(), doc["penalties"], doc["rewards"]);
    }

    public async Task<IReadOnlyList<PolicyVersionInfo>> Versions(CurrentUser user, CancellationToken ct)
    {
        user.RequireAny("read the policy history", Roles.Office);
        return await db.PolicyVersions.AsNoTracking().OrderByDescending(v => v.Number)
            .Select(v => new PolicyVersionInfo(v.Number, v.BasedOn, v.EffectiveFrom, v.CreatedAt, v.CreatedBy)).ToListAsync(ct);
    }

    public async Task<PolicyDto> Publish(CurrentUser user, PublishPolicyRequest request, CancellationToken ct)
    {
        user.RequireAny("publish the policy", Roles.Admin, Roles.Manager);
        if (!user.IsHeadOffice) throw new ForbiddenException("The policy is company-wide: only head office may publish it.");
        var now = clock.GetUtcNow();
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(request.BasedOn)) v.Add("basedOn", $"'basedOn' is required: one of {string.Join(", ", presets.All.Select(p => p.Id))}.");
        else if (!presets.Exists(request.BasedOn)) v.Add("basedOn", $"'{request.BasedOn}' is not a preset. Allowed: {string.Join(", ", presets.All.Select(p => p.Id))}.");
        if (request.EffectiveFrom is { } from && from < now.AddMinutes(-1)) v.Add("effectiveFrom", "'effectiveFrom' cannot be in the past: a policy change never rewrites history.");
        v.ThrowIfInvalid();

        var doc = presets.Document(request.BasedOn!);
        var parameters = doc["parameters"]!.AsObject();
        if (request.Parameters is not null)
        {
            CheckOverrides(v, parameters, request.Parameters, "parameters");
            v.ThrowIfInvalid();
            doc["parameters"] = JsonMerge.Deep(parameters, request.Parameters);
        }
        var created = await Add(request.BasedOn!, request.EffectiveFrom?.ToUniversalTime() ?? now, doc, user.UserName, now, ct);
        return await Current(user, created.Number, ct);
    }

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
        await db.SaveChangesAsync(ct); // a concurrent publish with the same number fails on the unique index: 409
        return version;
    }

    /// <summary>Every overridden leaf must exist in the preset and keep its JSON kind (a number stays a number).</summary>
    private static void CheckOverrides(Validator v, JsonObject basis, JsonObject over, string path)
    {
        foreach (var (key, value) in over)
        {
            var field = $"{path}.{key}";
            if (!basis.ContainsKey(key)) { v.Add(field, $"'{field}' is not a policy parameter."); continue; }
            var existing = basis[key];
            if (existing is JsonObject eo && value is JsonObject vo) CheckOverrides(v, eo, vo, field);
            else if (existing is not null && value is not null && Kind(existing) != Kind(value))
                v.Add(field, $"'{field}' must be a {Kind(existing)}, not a {Kind(value)}.");
            else if (value is JsonValue jv && jv.TryGetValue<double>(out var d) && d < 0 && key.EndsWith("Minutes", StringComparison.Ordinal))
                v.Add(field, $"'{field}' cannot be negative.");
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
