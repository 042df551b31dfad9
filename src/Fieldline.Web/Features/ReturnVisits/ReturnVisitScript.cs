using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;

namespace Fieldline.Web.Features.ReturnVisits;

/// <summary>One question of the script, as the API shows it: its key, the kind of answer, and the fine a "no" costs under the order's policy.</summary>
public sealed record ScriptQuestionDto(string Key, string Kind, ScriptFineDto? Fine);

/// <summary>The fine a "no" proposes: the policy's rule for the order's technician, its amount and per what unit.</summary>
public sealed record ScriptFineDto(string PenaltyKey, string RuleId, string Condition, decimal? Amount, string Per);

/// <summary>
/// The return-visit script (RV-05, RV-06, RV-10): what the agent asks and, for each answer that shows a violation, the
/// policy rule it verifies. Every question is phrased so that "yes" is the regulation kept. A "no" fines only when the
/// order's policy version has the rule, for the order technician's staff category (PEN-32 → PEN-75 for an installer), with
/// a condition a return visit can establish (none, verified, returnVisitVerified): a complaint-conditioned rule (PEN-28
/// product not explained, PEN-30 site not cleaned) is recorded, not fined — the complaint desk decides those.
/// </summary>
public static class ReturnVisitScript
{
    /// <summary>Stored with every visit, so an answer is always read against the questions that were asked.</summary>
    public const string Version = "rv-2026.1";

    public const string YesNo = "yesNo";
    public const string Count = "count";
    public const string Amount = "amount";

    /// <summary>Money the customer says was charged (RV-06): compared with the order's own charge lines.</summary>
    public const string ChargedAmount = "chargedAmount";
    public const string RefusedTips = "refusedTips";
    public const string TipAmount = "tipAmount";
    public const string StickerLeft = "stickerLeft";
    public const string UnitsWithoutSticker = "unitsWithoutSticker";

    /// <summary>The rule that fines a charge the customer reports differently from the order (RV-06, PEN-90).</summary>
    public const string ChargeMismatchRule = "repairSlipDataMismatch";

    private sealed record Question(string Key, string Kind, string? FineKey, WorkOrderType? OnlyFor = null);

    private static readonly Question[] All =
    [
        new("arrivedOnTime", YesNo, null),
        new("uniformAndCard", YesNo, "serviceCardNotShown"),
        new("coveredFurniture", YesNo, "noShoeCoversOrCloths"),
        new("refusedWaterAndCigarettes", YesNo, "smokingEatingDrinkingAtCustomer"),
        new(RefusedTips, YesNo, "takingCustomerItemsOrTips"),
        new(TipAmount, Amount, null),
        new("explainedUseAndCare", YesNo, null),
        new("cleanedUp", YesNo, null),
        new(StickerLeft, YesNo, "serviceStickerMissing"),
        new(UnitsWithoutSticker, Count, null),
        new("cardSigned", YesNo, "customerSignatureMissing", WorkOrderType.Install),
        new("slipDataCorrect", YesNo, ChargeMismatchRule, WorkOrderType.Repair),
        new(ChargedAmount, Amount, null),
    ];

    /// <summary>The questions for this order under its policy version, in the order the agent asks them.</summary>
    public static IReadOnlyList<ScriptQuestionDto> For(WorkOrderType type, CompanyPolicy policy)
    {
        var category = StaffCategory.OfOrderType(type == WorkOrderType.Install);
        return All.Where(q => q.OnlyFor is null || q.OnlyFor == type)
            .Select(q => new ScriptQuestionDto(q.Key, q.Kind, Fine(q.Key == ChargedAmount ? ChargeMismatchRule : q.FineKey, policy, category) is { } r
                ? new ScriptFineDto(r.Key, r.RuleId, r.Condition, r.Amount ?? r.Escalation.FirstOrDefault(s => s.Amount is not null)?.Amount, r.Per) : null))
            .ToList();
    }

    /// <summary>The rule a "no" proposes for a person of <paramref name="category"/>, or null when the visit cannot establish it.</summary>
    public static PenaltyRule? Fine(string? key, CompanyPolicy policy, string category) =>
        key is not null && policy.RuleFor(key, category) is { } rule && rule.AppliesToCategory(category)
        && rule.Condition is PenaltyCondition.None or PenaltyCondition.Verified or PenaltyCondition.ReturnVisitVerified ? rule : null;
}
