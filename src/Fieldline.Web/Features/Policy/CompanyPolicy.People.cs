using System.Text.Json.Nodes;

namespace Fieldline.Web.Features.Policy;

/// <summary>One item of a list the policy names (a tool, a document): its code and, when the policy says it, its Chinese name — <c>refrigerantGauge(雪种表)</c>.</summary>
public sealed record PolicyItem(string Code, string? Chinese)
{
    public static PolicyItem Parse(string raw)
    {
        var open = raw.IndexOf('(', StringComparison.Ordinal);
        return open > 0 && raw.EndsWith(')') ? new(raw[..open].Trim(), raw[(open + 1)..^1].Trim()) : new(raw.Trim(), null);
    }
}

public sealed partial class CompanyPolicy
{
    /// <summary>The fine of a tool missing at the monthly spot check (TLS-04, PEN-09/PEN-83).</summary>
    public const string MissingToolRule = "missingToolAtMonthlyCheck";

    /// <summary>
    /// TLS-02/TLS-03: the kit a person of <paramref name="category"/> must carry — the installation crew's
    /// (<c>tools.installerCrewKit</c>) or the repair technician's (<c>tools.repairTechnicianKit</c>); a person doing both
    /// carries both; a preset with one list for everyone names it <c>tools.kit</c>.
    /// </summary>
    public IReadOnlyList<PolicyItem> KitFor(string? category)
    {
        var lists = category switch
        {
            StaffCategory.Installer => new[] { "installerCrewKit" },
            StaffCategory.RepairTechnician => ["repairTechnicianKit"],
            _ => ["installerCrewKit", "repairTechnicianKit"],
        };
        var items = lists.SelectMany(l => Items($"tools.{l}")).ToList();
        if (items.Count == 0) items = Items("tools.kit").ToList();
        return items.DistinctBy(i => i.Code).ToList();
    }

    /// <summary>TLS-04: a person missing a tool may not be dispatched until a re-check finds the kit complete.</summary>
    public bool KitBlocksDispatch =>
        Get<bool?>("tools.suspendUntilKitComplete") ?? Rule(MissingToolRule)?.Actions.Any(a => a.Type == "blockDispatchUntilKitComplete") ?? false;

    /// <summary>
    /// SAF-08, SAF-14, TRN-06: the jobs an order may declare at intake (a power-supply change, welding, work at height),
    /// each with the certificate kind its technician must hold (<c>certificates.requiredForJob</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> CertificateForJob =>
        (Parameters["certificates"]?["requiredForJob"] as JsonObject ?? []).Where(kv => kv.Value is JsonValue)
            .ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal);

    /// <summary>TRN-06 (ccec): a valid training pass is needed before any dispatch.</summary>
    public bool TrainingPassBeforeDispatch => Get<bool?>("certificates.trainingPassBeforeDispatch") ?? false;

    private IEnumerable<PolicyItem> Items(string path)
    {
        JsonNode? node = Parameters;
        foreach (var part in path.Split('.')) node = node?[part];
        return (node as JsonArray ?? []).Select(x => (string?)x).OfType<string>().Where(s => s.Length > 0).Select(PolicyItem.Parse);
    }
}
