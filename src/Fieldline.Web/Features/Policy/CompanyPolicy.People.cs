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

    /// <summary>The item's name in the reader's language: the catalogue's (<c>{kind}.{code}</c>), else the Chinese the policy gives it, else as written.</summary>
    public string Name(string kind)
    {
        var text = Infrastructure.Localization.Msg.Code(kind, Code).Render();
        return text == Code && Chinese is { } zh ? zh : text;
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
    public IReadOnlyList<PolicyItem> KitFor(string? category) => category switch
    {
        StaffCategory.Installer => _installerKit,
        StaffCategory.RepairTechnician => _repairKit,
        _ => _bothKits,
    };

    private readonly IReadOnlyList<PolicyItem> _installerKit = Kit(document, "installerCrewKit"),
        _repairKit = Kit(document, "repairTechnicianKit"), _bothKits = Kit(document, "installerCrewKit", "repairTechnicianKit");

    private static IReadOnlyList<PolicyItem> Kit(JsonObject document, params string[] lists)
    {
        var items = lists.SelectMany(l => Items(document, $"tools.{l}")).ToList();
        if (items.Count == 0) items = Items(document, "tools.kit").ToList();
        return items.DistinctBy(i => i.Code).ToList();
    }

    /// <summary>TLS-04: a person missing a tool may not be dispatched until a re-check finds the kit complete.</summary>
    public bool KitBlocksDispatch =>
        _suspendUntilKitComplete ?? Rule(MissingToolRule)?.Actions.Any(a => a.Type == "blockDispatchUntilKitComplete") ?? false;

    private readonly bool? _suspendUntilKitComplete = Value<bool>(document, "tools.suspendUntilKitComplete");

    /// <summary>PRJ-21 (第15篇): on arrival at a site the technician first reports the site's progress and what holds it up.</summary>
    public bool TripArrivalReportRequired { get; } = Value<bool>(document, "project.arrivalReportRequired") ?? false;

    /// <summary>PRJ-27: a daily work log while on a trip (a day on site without one is shown to the supervisor).</summary>
    public bool TripDailyLog { get; } = Value<bool>(document, "reporting.dailyWorkLog") ?? false;

    /// <summary>PRJ-27/28: back from a trip, the trip report (出差报告) is handed in.</summary>
    public bool TripReportRequired { get; } = Value<bool>(document, "reporting.tripReportRequired") ?? false;

    /// <summary>ATT-20: the supervisor sets the rest period after a trip.</summary>
    public bool PostTripRestBySupervisor { get; } = Value<bool>(document, "attendance.postTripRestAssignedBySupervisor") ?? false;

    /// <summary>RWD-08: the reward of an adopted improvement suggestion; the regulation names no amount (null: the supervisor names it).</summary>
    public decimal? AdoptedSuggestionReward { get; } = Value<decimal>(document, "rewards.adoptedSuggestionRewardCNY");

    /// <summary>TLS-04: the kit is spot-checked every month (<c>tools.inspectionFrequency = monthly</c>).</summary>
    public bool KitCheckedMonthly { get; } = Text(document, "tools.inspectionFrequency") is "monthly";

    /// <summary>
    /// TLS-04, month end: the supervisor is reminded of everyone not checked this month on the month's last day less
    /// <c>tools.uncheckedKitReminderDaysBeforeMonthEnd</c> (0), at <c>tools.uncheckedKitReminderTime</c> (16:00) branch
    /// time. The regulation names neither; these are the assumptions, settable by the tenant.
    /// </summary>
    public int UncheckedKitReminderDaysBeforeMonthEnd { get; } = Value<int>(document, "tools.uncheckedKitReminderDaysBeforeMonthEnd") ?? 0;

    public TimeOnly UncheckedKitReminderTime { get; } = Time(document, "tools.uncheckedKitReminderTime") ?? new TimeOnly(16, 0);

    /// <summary>
    /// TLS-07: the share (percent) of a lost company tool's value charged to the person as a ledger line
    /// (<c>tools.lostToolCompensationPercent</c>). The regulation asks only that a loss be reported promptly so the company
    /// can replace the tool, and names no compensation: 0 unless the tenant sets one.
    /// </summary>
    public decimal LostToolCompensationPercent { get; } = Math.Clamp(Value<decimal>(document, "tools.lostToolCompensationPercent") ?? 0m, 0m, 100m);

    /// <summary>
    /// SAF-08, SAF-14, TRN-06: the jobs an order may declare at intake (a power-supply change, welding, work at height),
    /// each with the certificate kind its technician must hold (<c>certificates.requiredForJob</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> CertificateForJob { get; } =
        (At(document, "certificates.requiredForJob") as JsonObject ?? []).Where(kv => kv.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
            .ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal);

    /// <summary>TRN-06 (ccec): a valid training pass is needed before any dispatch.</summary>
    public bool TrainingPassBeforeDispatch { get; } = Value<bool>(document, "certificates.trainingPassBeforeDispatch") ?? false;

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
            var list = _hiringTests.Select(t => new PolicyItem(t.Code + "Test", null)).ToList();
            list.AddRange(OnboardingDocuments);
            if (InsuranceBeforeDispatch) list.Add(new(InsuranceItem, null));
            if (_onboardingTrainingRequired) list.Add(new("onboardingTraining", null));
            if (TrainingPassBeforeDispatch) list.Add(new(TrainingPassItem, null));
            return list;
        }
    }

    private readonly IReadOnlyList<PolicyItem> _hiringTests = Items(document, "hr.hiringTests").ToList();
    private readonly bool _onboardingTrainingRequired = Value<bool>(document, "training.onboardingTrainingRequired") ?? false;

    public const string InsuranceItem = "insurance", TrainingPassItem = "trainingPass", SettleDebtsItem = "settleDebtsBorrowedMaterialsAndItems";

    /// <summary>HR-04/05: the documents kept on file (an attachment each), <c>hr.onboardingDocuments</c>.</summary>
    public IReadOnlyList<PolicyItem> OnboardingDocuments { get; } = Items(document, "hr.onboardingDocuments").ToList();

    /// <summary>HR-08: work starts only after the company has insured the person.</summary>
    public bool InsuranceBeforeDispatch { get; } = Value<bool>(document, "hr.insuranceRequiredBeforeDispatch") ?? false;

    /// <summary>HR-06: the company's share of the uniform's cost (50 %); the rest is charged to the person.</summary>
    public decimal UniformCompanySharePercent { get; } = Value<decimal>(document, "hr.uniformCostCompanySharePercent") ?? 100m;

    /// <summary>HR-09: the offboarding checklist (leaving form, uniform returned, insurance ended, debts and borrowed materials settled).</summary>
    public IReadOnlyList<PolicyItem> OffboardingChecklist { get; } = Items(document, "hr.offboardingChecklist").ToList();

    /// <summary>HR-10: the leaver's commission is withheld until offboarding is complete.</summary>
    public bool WithholdCommissionUntilOffboarded { get; } = Value<bool>(document, "hr.withholdCommissionUntilOffboardingComplete") ?? false;

    /// <summary>
    /// HR-11: the regular payday, a day of the month (<c>payroll.payDay</c>): a month's pay is paid on that day of the next
    /// month. The presets name none; the 10th is the assumption (SC-35 pays on 2024-09-10).
    /// </summary>
    public int PayDay { get; } = Math.Clamp(Value<int>(document, "payroll.payDay") ?? 10, 1, 28);

    /// <summary>
    /// ATT-02: work starts at this time (09:00); ATT-02: arriving after <see cref="LateAfter"/> (the start, unless the policy
    /// says otherwise) is late; ATT-04: arriving after <see cref="AbsenceIfArrivalAfter"/> (10:00) is an absence day.
    /// </summary>
    public TimeOnly WorkStartTime { get; } = Time(document, "attendance.workStartTime") ?? new TimeOnly(9, 0);

    public TimeOnly LateAfter { get; } = Time(document, "attendance.lateAfter") ?? Time(document, "attendance.workStartTime") ?? new TimeOnly(9, 0);

    public TimeOnly AbsenceIfArrivalAfter { get; } = Time(document, "attendance.absenceIfArrivalAfter") ?? new TimeOnly(10, 0);

    /// <summary>ATT-03: every this many lates count as one day of absence (2).</summary>
    public int LatesPerAbsenceDay { get; } = Value<int>(document, "attendance.latesPerAbsenceDay") ?? 2;

    /// <summary>ATT-10: the absenteeism fine per day (50 CNY); 0 when the policy has no absenteeism rule (A12: Jinlong).</summary>
    public decimal AbsenteeismFinePerDay => Rule("absenteeism") is null ? 0m : _absenteeismFinePerDay;

    private readonly decimal _absenteeismFinePerDay = Value<decimal>(document, "attendance.absenteeismFinePerDayCNY") ?? 50m;

    /// <summary>ATT-11 / DSM-15: this many consecutive days of absenteeism open a dismissal review (3).</summary>
    public int ConsecutiveAbsenteeismDaysForDismissal { get; } = Value<int>(document, "attendance.consecutiveAbsenteeismDaysForDismissal") ?? 3;

    /// <summary>ATT-15: field staff are not held to office clock-in times; their day is judged by their dispatched work.</summary>
    public bool FieldStaffClockExempt { get; } = Value<bool>(document, "attendance.fieldStaffClockExempt") ?? false;

    /// <summary>DSP-19 / ATT-14: leave while an assigned installation is unfinished needs the manager's approval (on unless the policy says false).</summary>
    public bool LeaveDuringAssignedTaskRequiresManagerApproval { get; } = Value<bool>(document, "dispatch.leaveDuringAssignedTaskRequiresManagerApproval") ?? true;

    private static IEnumerable<PolicyItem> Items(JsonObject document, string path) =>
        Texts(document, path).Where(s => s.Length > 0).Select(PolicyItem.Parse);

    /// <summary>A clock time of the policy ("HH:mm"), or null when it has none or it is not one.</summary>
    private static TimeOnly? Time(JsonObject document, string path) =>
        TimeOnly.TryParseExact(Text(document, path), "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t) ? t : null;
}
