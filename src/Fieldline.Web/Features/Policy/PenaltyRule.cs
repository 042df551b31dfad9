using System.Text.Json.Nodes;

namespace Fieldline.Web.Features.Policy;

/// <summary>The staff categories a rule names in <c>appliesTo</c> and <c>overriddenBy</c> (regulations.md §22).</summary>
public static class StaffCategory
{
    public const string Installer = "installer";
    public const string RepairTechnician = "repairTechnician";
    public const string AllStaff = "allStaff";
    public const string Supervisor = "afterSalesSupervisor";
    public const string Department = "afterSalesDepartment";

    /// <summary>The category a work order's technician works in: installations are the installer's, every other type the repair technician's.</summary>
    public static string OfOrderType(bool isInstall) => isInstall ? Installer : RepairTechnician;

    /// <summary>A technician's category from their skills (<c>ac.install</c>, <c>ac.repair</c>): one kind only, or null when they do both.</summary>
    public static string? OfSkills(IReadOnlyCollection<string> skills) =>
        skills.Count > 0 && skills.All(s => s.EndsWith(".install", StringComparison.Ordinal)) ? Installer
        : skills.Count > 0 && skills.All(s => !s.EndsWith(".install", StringComparison.Ordinal)) ? RepairTechnician
        : null;
}

/// <summary>What has to be established before a fine is certain (regulations.md §0 "Conditional fines").</summary>
public static class PenaltyCondition
{
    public const string None = "none";
    public const string Verified = "verified";
    public const string CustomerComplaint = "customerComplaint";
    public const string ComplaintVerified = "customerComplaint+verified";
    public const string CustomerDissatisfied = "customerDissatisfied";
    public const string ReturnVisitVerified = "returnVisitVerified";

    /// <summary>Conditions a customer's complaint establishes ("C"; PEN-81's "customer dissatisfied" is marked C too).</summary>
    public static bool RestsOnComplaint(string condition) => condition is CustomerComplaint or ComplaintVerified or CustomerDissatisfied;
}

/// <summary>What a rule or a step of its ladder does besides the money (<c>actions[]</c>): suspend, revoke eligibility, open a review …</summary>
public sealed record PenaltyAction(string Type, int? Days, string? Scope, string? OnlyIfComplaintLevel, decimal? Amount, decimal? MinAmount, string? Subsidy, int? Every)
{
    public const string Suspend = "suspend";
    public const string RevokeEligibility = "revokeEvaluationEligibility";
    public const string DismissalReview = "openDismissalReview";
    public const string ExpulsionReview = "openExpulsionReview";
    public const string ProbationOrDismissal = "probationOrDismissalDecision";
    public const string Warning = "warning";
    public const string SeriousWarning = "seriousWarning";
    public const string ForfeitSubsidy = "forfeitSubsidy";
    public const string SplitAmongPresent = "splitAmongPresentIfNoIndividual";
    public const string CreditRepairTechnician = "creditToRepairTechnician";
    public const string BlockDispatch = "blockDispatchUntilKitComplete";

    /// <summary>Actions that open a review for a manager: dismissal, expulsion, probation (never applied automatically, DSM).</summary>
    public bool OpensReview => Type is DismissalReview or ExpulsionReview or ProbationOrDismissal;

    /// <summary>
    /// Actions whose money is a cost someone assesses (a loss, a repair, the brand's fine): the finder states the amount,
    /// at least <see cref="MinAmount"/> (PEN-52: max(400, 500) = 500).
    /// </summary>
    public bool IsAssessedCharge => Type.StartsWith("charge", StringComparison.Ordinal) || Type.StartsWith("compensate", StringComparison.Ordinal)
        || Type is "fineBySeverityManual" or "severePunishmentManual" or "technicianBearsAllLoss" or "technicianBearsAllFines" or "passThroughBrandFine";

    internal static PenaltyAction Parse(JsonObject a) => new((string?)a["type"] ?? "", (int?)a["days"], (string?)a["scope"], (string?)a["onlyIfComplaintLevel"],
        (decimal?)a["amountCNY"], (decimal?)a["minCNY"], (string?)a["subsidy"], (int?)a["every"]);
}

/// <summary>An amount computed from something found (<c>amountFormula</c>): a multiple of a job's price, or by the unit's compressor.</summary>
public sealed record AmountFormula(string? MultiplierOf, decimal? Factor, IReadOnlyDictionary<string, decimal> ByCompressorType)
{
    internal static AmountFormula? Parse(JsonNode? node) => node is JsonObject f
        ? new((string?)f["multiplierOf"], (decimal?)f["factor"],
            (f["byCompressorType"] as JsonObject)?.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => (decimal)p.Value!) ?? new Dictionary<string, decimal>())
        : null;
}

/// <summary>
/// One step of an offence ladder (<c>escalation[]</c>): the n-th offence in the window (<see cref="Offence"/>), or the
/// steps named by a word — "repeat" / "subsequent" for every offence past the numbered ones, and qualifiers the finder
/// states ("serious", "intentional", "brandPenalised", "falsified" …). "over48h" and "3rdInCalendarMonth" are the
/// overdue clock's own (Sla).
/// </summary>
public sealed record LadderStep(int? Offence, string? Label, decimal? Amount, AmountFormula? Formula, IReadOnlyList<PenaltyAction> Actions)
{
    public bool IsRepeat => Label is "repeat" or "subsequent";
    public bool IsQualifier => Offence is null && !IsRepeat && Label is not ("over48h" or "3rdInCalendarMonth");
    public string Name => Offence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Label ?? "";

    internal static LadderStep Parse(JsonObject e)
    {
        var offence = e["offence"];
        int? number = offence is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        // "repeat(+500)"-style labels do not occur in steps; a label is a plain word.
        return new LadderStep(number, number is null ? (string?)offence : null, (decimal?)e["amountCNY"], AmountFormula.Parse(e["amountFormula"]),
            (e["actions"] as JsonArray ?? []).OfType<JsonObject>().Select(PenaltyAction.Parse).ToList());
    }
}

/// <summary>
/// One fine or sanction of the policy (<c>penalties[]</c>), typed: the rule's key and ids, what triggers it, whom it
/// applies to, the condition that must be established, per what unit it is charged, its amount (fixed, by complaint
/// level, or a formula), its offence ladder, its other actions and the staff-specific rules that override it. Every
/// feature that fines reads this, never the JSON.
/// </summary>
public sealed record PenaltyRule(
    string Key, IReadOnlyList<string> RuleIds, string Trigger, IReadOnlyList<string> AppliesTo, string Condition, string Per,
    decimal? Amount, AmountFormula? Formula, IReadOnlyDictionary<string, decimal> AmountByComplaintLevel,
    IReadOnlyList<LadderStep> Escalation, IReadOnlyList<PenaltyAction> Actions, IReadOnlyDictionary<string, string> OverriddenBy, string? Source)
{
    /// <summary>The rule's own id, e.g. PEN-75.</summary>
    public string RuleId => RuleIds.Count > 0 ? RuleIds[0] : Key;

    /// <summary>The ids as a case stores them, e.g. "PEN-89,CMP-04,CMP-05".</summary>
    public string RuleIdList => string.Join(",", RuleIds);

    /// <summary>Charged per counted unit (sticker, bolt, spot, unit, day, slip, order, late) rather than per occurrence.</summary>
    public bool IsPerUnit => Per is not ("occurrence" or "time" or "case" or "month" or "");

    /// <summary>Has numbered steps (1st, 2nd … offence): offences are counted per person in the repeat-offence window.</summary>
    public bool HasLadder => Escalation.Any(s => s.Offence is not null || s.IsRepeat);

    public PenaltyAction? Action(string type) => Actions.FirstOrDefault(a => a.Type == type);

    /// <summary>Whether the rule applies to a person of <paramref name="category"/> (null: not known, so any rule for staff).</summary>
    public bool AppliesToCategory(string? category) =>
        AppliesTo.Count == 0 || AppliesTo.Contains(StaffCategory.AllStaff) || category is null || AppliesTo.Contains(category);

    /// <summary>
    /// The step for the <paramref name="offence"/>-th offence, or the qualifier step the finder named. Past the numbered
    /// steps a "repeat"/"subsequent" step applies, else the last numbered one (a 4th refusal is treated as the 3rd).
    /// </summary>
    public LadderStep? StepFor(int offence, string? qualifier)
    {
        if (qualifier is not null) return Escalation.FirstOrDefault(s => s.IsQualifier && s.Label == qualifier);
        if (!HasLadder) return null;
        if (Escalation.FirstOrDefault(s => s.Offence == offence) is { } exact) return exact;
        var numbered = Escalation.Where(s => s.Offence is not null).ToList();
        var last = numbered.Count == 0 ? 0 : numbered.Max(s => s.Offence!.Value);
        if (offence > last) return Escalation.FirstOrDefault(s => s.IsRepeat) ?? numbered.FirstOrDefault(s => s.Offence == last);
        return null;
    }

    /// <summary>The qualifiers a finder may name for this rule ("serious", "intentional" …).</summary>
    public IEnumerable<string> Qualifiers => Escalation.Where(s => s.IsQualifier).Select(s => s.Label!);

    /// <summary>A fine the policy states as a parameter rather than a penalties[] entry (PRT-01: parts.partNotReturnedFinePerOrderCNY).</summary>
    public static PenaltyRule OfParameter(string key, string ruleId, decimal amount) => new(key, [ruleId], key, [], PenaltyCondition.None, "order", amount, null,
        new Dictionary<string, decimal>(), [], [], new Dictionary<string, string>(), null);

    public static PenaltyRule Parse(JsonObject o) => new(
        (string)o["key"]!,
        (o["ruleIds"] as JsonArray ?? []).Select(x => (string)x!).ToList(),
        (string?)o["trigger"] ?? "",
        (o["appliesTo"] as JsonArray ?? []).Select(x => (string)x!).ToList(),
        (string?)o["condition"] ?? PenaltyCondition.None,
        (string?)o["per"] ?? "occurrence",
        (decimal?)o["amountCNY"],
        AmountFormula.Parse(o["amountFormula"]),
        (o["amountByComplaintLevelCNY"] as JsonObject)?.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => (decimal)p.Value!) ?? new Dictionary<string, decimal>(),
        (o["escalation"] as JsonArray ?? []).OfType<JsonObject>().Select(LadderStep.Parse).ToList(),
        (o["actions"] as JsonArray ?? []).OfType<JsonObject>().Select(PenaltyAction.Parse).ToList(),
        (o["overriddenBy"] as JsonObject)?.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => (string)p.Value!) ?? new Dictionary<string, string>(),
        (string?)o["source"]);
}

/// <summary>
/// One reward, subsidy or pay component of the policy (<c>rewards[]</c>), typed, with the numbers the regulation keeps
/// beside it under <c>parameters.rewards</c> (the monthly threshold, the daily conditions).
/// </summary>
public sealed record RewardRule(string Key, IReadOnlyList<string> RuleIds, IReadOnlyList<string> AppliesTo, decimal? Amount, decimal? PerOrder, int? FromOrderNumber,
    IReadOnlyDictionary<string, decimal> ByCompressorType, string? FundedBy)
{
    public string RuleId => RuleIds.Count > 0 ? RuleIds[0] : Key;

    /// <summary>Whether the reward is paid to a person of <paramref name="category"/> (null: not known, so any).</summary>
    public bool AppliesToCategory(string? category) =>
        AppliesTo.Count == 0 || AppliesTo.Contains(StaffCategory.AllStaff) || category is null || AppliesTo.Contains(category);

    public static RewardRule Parse(JsonObject o) => new(
        (string)o["key"]!,
        (o["ruleIds"] as JsonArray ?? []).Select(x => (string)x!).ToList(),
        (o["appliesTo"] as JsonArray ?? []).Select(x => (string)x!).ToList(),
        (decimal?)o["amountCNY"], (decimal?)o["perOrderCNY"], (int?)o["fromOrderNumber"],
        (o["amountByCompressorTypeCNY"] as JsonObject)?.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => (decimal)p.Value!) ?? new Dictionary<string, decimal>(),
        (string?)o["fundedBy"]);
}
