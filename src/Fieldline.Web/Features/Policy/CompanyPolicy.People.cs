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

    /// <summary>TLS-04: the kit is spot-checked every month (<c>tools.inspectionFrequency = monthly</c>).</summary>
    public bool KitCheckedMonthly => Get<string?>("tools.inspectionFrequency") is "monthly";

    /// <summary>
    /// TLS-04, month end: the supervisor is reminded of everyone not checked this month on the month's last day less
    /// <c>tools.uncheckedKitReminderDaysBeforeMonthEnd</c> (0), at <c>tools.uncheckedKitReminderTime</c> (16:00) branch
    /// time. The regulation names neither; these are the assumptions, settable by the tenant.
    /// </summary>
    public int UncheckedKitReminderDaysBeforeMonthEnd => Get<int?>("tools.uncheckedKitReminderDaysBeforeMonthEnd") ?? 0;

    public TimeOnly UncheckedKitReminderTime =>
        TimeOnly.TryParseExact(Get<string?>("tools.uncheckedKitReminderTime"), "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t)
            ? t : new TimeOnly(16, 0);

    /// <summary>
    /// TLS-07: the share (percent) of a lost company tool's value charged to the person as a ledger line
    /// (<c>tools.lostToolCompensationPercent</c>). The regulation asks only that a loss be reported promptly so the company
    /// can replace the tool, and names no compensation: 0 unless the tenant sets one.
    /// </summary>
    public decimal LostToolCompensationPercent => Math.Clamp(Get<decimal?>("tools.lostToolCompensationPercent") ?? 0m, 0m, 100m);

    /// <summary>
    /// SAF-08, SAF-14, TRN-06: the jobs an order may declare at intake (a power-supply change, welding, work at height),
    /// each with the certificate kind its technician must hold (<c>certificates.requiredForJob</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> CertificateForJob =>
        (Parameters["certificates"]?["requiredForJob"] as JsonObject ?? []).Where(kv => kv.Value is JsonValue)
            .ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal);

    /// <summary>TRN-06 (ccec): a valid training pass is needed before any dispatch.</summary>
    public bool TrainingPassBeforeDispatch => Get<bool?>("certificates.trainingPassBeforeDispatch") ?? false;

    /// <summary>
    /// HR-02..05, HR-08, TRN-01, TRN-06: what must be on file before a new hire may be set active — each hiring test passed
    /// (<c>hr.hiringTests</c>: theory, practical → <c>theoryTest</c>, <c>practicalTest</c>), each document
    /// (<c>hr.onboardingDocuments</c>, an attachment each), the insurance policy with its dates where the policy wants the
    /// person insured first (<c>hr.insuranceRequiredBeforeDispatch</c>), the onboarding training
    /// (<c>training.onboardingTrainingRequired</c>) and, under ccec, a training pass (<c>certificates.trainingPassBeforeDispatch</c>,
    /// read from the person's certificates).
    /// </summary>
    public IReadOnlyList<PolicyItem> OnboardingChecklist
    {
        get
        {
            var list = Items("hr.hiringTests").Select(t => new PolicyItem(t.Code + "Test", null)).ToList();
            list.AddRange(OnboardingDocuments);
            if (InsuranceBeforeDispatch) list.Add(new(InsuranceItem, null));
            if (Get<bool?>("training.onboardingTrainingRequired") ?? false) list.Add(new("onboardingTraining", null));
            if (TrainingPassBeforeDispatch) list.Add(new(TrainingPassItem, null));
            return list;
        }
    }

    public const string InsuranceItem = "insurance", TrainingPassItem = "trainingPass", SettleDebtsItem = "settleDebtsBorrowedMaterialsAndItems";

    /// <summary>HR-04/05: the documents kept on file (an attachment each), <c>hr.onboardingDocuments</c>.</summary>
    public IReadOnlyList<PolicyItem> OnboardingDocuments => Items("hr.onboardingDocuments").ToList();

    /// <summary>HR-08: work starts only after the company has insured the person.</summary>
    public bool InsuranceBeforeDispatch => Get<bool?>("hr.insuranceRequiredBeforeDispatch") ?? false;

    /// <summary>HR-06: the company's share of the uniform's cost (50 %); the rest is charged to the person.</summary>
    public decimal UniformCompanySharePercent => Get<decimal?>("hr.uniformCostCompanySharePercent") ?? 100m;

    /// <summary>HR-09: the offboarding checklist (leaving form, uniform returned, insurance ended, debts and borrowed materials settled).</summary>
    public IReadOnlyList<PolicyItem> OffboardingChecklist => Items("hr.offboardingChecklist").ToList();

    /// <summary>HR-10: the leaver's commission is withheld until offboarding is complete.</summary>
    public bool WithholdCommissionUntilOffboarded => Get<bool?>("hr.withholdCommissionUntilOffboardingComplete") ?? false;

    /// <summary>
    /// HR-11: the regular payday, a day of the month (<c>payroll.payDay</c>): a month's pay is paid on that day of the next
    /// month. The presets name none; the 10th is the assumption (SC-35 pays on 2024-09-10).
    /// </summary>
    public int PayDay => Math.Clamp(Get<int?>("payroll.payDay") ?? 10, 1, 28);

    private IEnumerable<PolicyItem> Items(string path)
    {
        JsonNode? node = Parameters;
        foreach (var part in path.Split('.')) node = node?[part];
        return (node as JsonArray ?? []).Select(x => (string?)x).OfType<string>().Where(s => s.Length > 0).Select(PolicyItem.Parse);
    }
}
