using System.Text.Json.Nodes;

namespace Fieldline.Web.Features.Policy;

/// <summary>What the policy says about prices, warranty, the money a technician holds and hands in, parts, brand fines and pay (FEE, WAR, PRT, GOV-07, RWD).</summary>
public sealed partial class CompanyPolicy
{
    /// <summary>FEE-04: a price above this multiple of the standard is refused (2× in every preset that has it); null for no cap.</summary>
    public decimal? OverchargeMaxMultiple { get; } = Value<decimal>(document, "fees.overchargeMaxMultipleOfStandard") is > 0 and var m ? m : null;

    /// <summary>WAR-01 (ccec, SC-28): after the warranty only parts are charged; labour is 0.</summary>
    public bool AfterWarrantyChargePartsOnly { get; } = Value<bool>(document, "warranty.afterWarrantyChargePartsOnly") == true;

    /// <summary>
    /// FEE-08: price codes or part numbers the policy allows to be charged on an in-warranty order although the item is
    /// covered (<c>warranty.chargeableInWarranty</c>); no preset names any, so by default a covered item is free.
    /// </summary>
    public IReadOnlySet<string> ChargeableInWarranty { get; } =
        Texts(document, "warranty.chargeableInWarranty").Select(x => PolicyItem.Parse(x).Code).ToHashSet(StringComparer.Ordinal);

    /// <summary>FEE-12 / PRT-04: a technician who owes out-of-warranty parts cost may not draw new parts.</summary>
    public bool RequisitionBlockedWhilePartsCostUnpaid { get; } = Value<bool>(document, "parts.requisitionBlockedWhilePartsCostUnpaid") == true;

    /// <summary>
    /// How much out-of-warranty parts cost a technician may owe and still draw parts (<c>parts.partsCostOwedLimitCNY</c>).
    /// The regulation says "promptly" and names no amount, so nothing may be owed unless the policy sets a limit.
    /// </summary>
    public decimal PartsCostOwedLimit { get; } = Value<decimal>(document, "parts.partsCostOwedLimitCNY") ?? 0m;

    /// <summary>
    /// RWD-09 / ATT-01: the piece rate paid per completed order of a type and product line (installation commission 安装提成费
    /// for <c>install</c>, the repair piece rate for <c>repair</c> …), from <c>pay.pieceRatesCNY.&lt;type&gt;.&lt;productLine&gt;</c>,
    /// falling back to <c>pay.pieceRatesCNY.&lt;type&gt;.default</c>. The source documents name the components but no amounts,
    /// so every preset leaves them null and nothing is paid until the company sets its rates (regulations.md A12).
    /// </summary>
    public decimal? PieceRate(string orderType, string productLine) =>
        _pieceRates.TryGetValue(orderType, out var lines)
        && (lines.TryGetValue(productLine, out var rate) || lines.TryGetValue("default", out rate)) && rate > 0 ? rate : null;

    // pay.pieceRatesCNY: order type → product line (or "default") → the rate; a line without a number is not listed.
    private readonly Dictionary<string, Dictionary<string, decimal>> _pieceRates =
        (At(document, "pay.pieceRatesCNY") as JsonObject ?? []).Where(t => t.Value is JsonObject).ToDictionary(t => t.Key,
            t => t.Value!.AsObject().Where(l => l.Value is JsonValue v && v.TryGetValue<decimal>(out _))
                .ToDictionary(l => l.Key, l => (decimal)l.Value!, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>Whether the policy sets any piece rate at all (so the pay run can skip the grouping when none is set).</summary>
    public bool HasPieceRates { get; } = At(document, "pay.pieceRatesCNY") is JsonObject rates
        && rates.Any(t => t.Value is JsonObject lines && lines.Any(l => l.Value is JsonValue v && v.TryGetValue<decimal>(out var d) && d > 0));

    /// <summary>
    /// RWD-07: the monthly repair subsidy paid to every repair technician (600 CNY in the Gree preset), forfeited by a
    /// private job taken while company orders are unfinished (PEN-85 deducts it); null when the preset has none (no
    /// <c>monthlyRepairSubsidy</c> reward: the amount a sparse preset's parameters took from generic is not paid, A12).
    /// </summary>
    public decimal? MonthlyRepairSubsidy => Reward("monthlyRepairSubsidy") is { } reward
        && (_monthlyRepairSubsidyParameter ?? reward.Amount) is > 0 and var s ? s : null;

    private readonly decimal? _monthlyRepairSubsidyParameter = Value<decimal>(document, "rewards.monthlyRepairSubsidyCNY");

    /// <summary>
    /// RWD-09 / HR-11: the material reward (材料奖励金, "bonus on materials sold or used", glossary.md) as a percentage of the
    /// material lines (<c>PriceKind.Material</c>) charged on the person's completed orders, from
    /// <c>pay.materialReward.percentOfMaterialCharges</c>. The documents name the reward but not its basis or rate, so every
    /// preset leaves it null and nothing is paid until the company sets it (an assumption, like the piece rates).
    /// </summary>
    public decimal? MaterialRewardPercent { get; } = Value<decimal>(document, "pay.materialReward.percentOfMaterialCharges") is > 0 and var p ? p : null;

    /// <summary>FEE-05 / FEE-07: money collected from a customer is handed to the company within this time (3 days); 0 = on return (ccec); null = no clock.</summary>
    public double? CollectedFeeHandInWithinMinutes { get; } = Value<double>(document, "fees.collectedFeeHandInWithinMinutes");

    /// <summary>FEE-06 / PEN-11: the first offence of collected money not handed in is fined this multiple of the amount withheld (5×); null = the rule's own amount.</summary>
    public decimal? UnremittedFeeFirstOffenceMultiplier { get; } = Value<decimal>(document, "fees.unremittedFeeFirstOffenceMultiplier");

    /// <summary>FEE-07: a paid service is completed only with the number of the invoice issued for the money collected.</summary>
    public bool InvoiceRequiredForPaidService { get; } = Value<bool>(document, "fees.invoiceRequiredForPaidService") == true;

    /// <summary>PRT-01: old parts and repair documents are handed in within this time of the repair (3 days); null = no clock.</summary>
    public double? PartsAndRepairDocsReturnWithinMinutes { get; } = Value<double>(document, "parts.partsAndRepairDocsReturnWithinMinutes");

    /// <summary>PRT-02 / PEN-03: the fine per order whose old parts were not handed in (30 CNY); applied only when the policy has the partsNotReturned rule.</summary>
    public decimal? PartNotReturnedFinePerOrder { get; } = Value<decimal>(document, "parts.partNotReturnedFinePerOrderCNY");

    /// <summary>PRT-03: a returned old part found non-genuine makes the technician bear all the brand's fines (<c>parts.nonGenuineReturnedPartAction = technicianBearsAllFines</c>).</summary>
    public bool NonGenuinePartTechnicianBearsFines { get; } = Text(document, "parts.nonGenuineReturnedPartAction") == "technicianBearsAllFines";

    /// <summary>GOV-07 / PEN-78: a fine the brand imposes on the dealer is passed on to the responsible employee.</summary>
    public bool PassThroughBrandFines { get; } = Value<bool>(document, "brand.passThroughBrandFines") == true;

    /// <summary>EVL-13: whether a passed-on brand fine also revokes the month's evaluation eligibility; null = as the brand-fine rule's actions say.</summary>
    public bool? BrandFineAlsoRevokesEligibility { get; } = Value<bool>(document, "brand.brandFineAlsoRevokesEligibility");

    /// <summary>RWD-01: the daily volume bonus is paid from the order after this many in a day (6); null = the reward rule's own threshold.</summary>
    public int? DailyVolumeBonusThresholdOrders { get; } = Value<int>(document, "rewards.dailyVolumeBonus.thresholdOrders");

    /// <summary>RWD-01: the daily volume bonus per order above the threshold (20 CNY); null = the reward rule's own amount.</summary>
    public decimal? DailyVolumeBonusPerOrder { get; } = Value<decimal>(document, "rewards.dailyVolumeBonus.perOrderCNY");

    /// <summary>RWD-02: the monthly volume bonus is paid for more than this many repair orders in a month (150); null = the reward rule's own.</summary>
    public int? MonthlyVolumeBonusThresholdOrdersExclusive { get; } = Value<int>(document, "rewards.monthlyVolumeBonus.thresholdOrdersExclusive");

    /// <summary>RWD-02: the monthly volume bonus (200 CNY); null = the reward rule's own amount.</summary>
    public decimal? MonthlyVolumeBonusAmount { get; } = Value<decimal>(document, "rewards.monthlyVolumeBonus.amountCNY");

    /// <summary>RWD-03: the subsidy per empty trip, an order where the unit turned out to work normally (30 CNY); null = the reward rule's own amount.</summary>
    public decimal? EmptyTripSubsidy { get; } = Value<decimal>(document, "rewards.emptyTripSubsidyCNY");
}
