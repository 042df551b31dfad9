using System.Text.Json.Nodes;

namespace Fieldline.Web.Features.Policy;

/// <summary>What the policy says about prices, warranty and the money a technician holds (FEE, WAR, PRT-04).</summary>
public sealed partial class CompanyPolicy
{
    /// <summary>FEE-04: a price above this multiple of the standard is refused (2× in every preset that has it); null for no cap.</summary>
    public decimal? OverchargeMaxMultiple => Get<decimal?>("fees.overchargeMaxMultipleOfStandard") is > 0 and var m ? m : null;

    /// <summary>WAR-01 (ccec, SC-28): after the warranty only parts are charged; labour is 0.</summary>
    public bool AfterWarrantyChargePartsOnly => Get<bool?>("warranty.afterWarrantyChargePartsOnly") == true;

    /// <summary>
    /// FEE-08: price codes or part numbers the policy allows to be charged on an in-warranty order although the item is
    /// covered (<c>warranty.chargeableInWarranty</c>); no preset names any, so by default a covered item is free.
    /// </summary>
    public IReadOnlySet<string> ChargeableInWarranty =>
        (Parameters["warranty"]?["chargeableInWarranty"] as JsonArray)?.Select(x => PolicyItem.Parse((string)x!).Code).ToHashSet(StringComparer.Ordinal) ?? [];

    /// <summary>FEE-12 / PRT-04: a technician who owes out-of-warranty parts cost may not draw new parts.</summary>
    public bool RequisitionBlockedWhilePartsCostUnpaid => Get<bool?>("parts.requisitionBlockedWhilePartsCostUnpaid") == true;

    /// <summary>
    /// How much out-of-warranty parts cost a technician may owe and still draw parts (<c>parts.partsCostOwedLimitCNY</c>).
    /// The regulation says "promptly" and names no amount, so nothing may be owed unless the policy sets a limit.
    /// </summary>
    public decimal PartsCostOwedLimit => Get<decimal?>("parts.partsCostOwedLimitCNY") ?? 0m;

    /// <summary>
    /// RWD-09 / ATT-01: the piece rate paid per completed order of a type and product line (installation commission 安装提成费
    /// for <c>install</c>, the repair piece rate for <c>repair</c> …), from <c>pay.pieceRatesCNY.&lt;type&gt;.&lt;productLine&gt;</c>,
    /// falling back to <c>pay.pieceRatesCNY.&lt;type&gt;.default</c>. The source documents name the components but no amounts,
    /// so every preset leaves them null and nothing is paid until the company sets its rates (regulations.md A12).
    /// </summary>
    public decimal? PieceRate(string orderType, string productLine) =>
        (Get<decimal?>($"pay.pieceRatesCNY.{orderType}.{productLine}") ?? Get<decimal?>($"pay.pieceRatesCNY.{orderType}.default")) is > 0 and var rate ? rate : null;

    /// <summary>Whether the policy sets any piece rate at all (so the pay run can skip the grouping when none is set).</summary>
    public bool HasPieceRates => Parameters["pay"]?["pieceRatesCNY"] is JsonObject rates
        && rates.Any(t => t.Value is JsonObject lines && lines.Any(l => l.Value is JsonValue v && v.TryGetValue<decimal>(out var d) && d > 0));

    /// <summary>
    /// RWD-07: the monthly repair subsidy paid to every repair technician (600 CNY in the Gree preset), forfeited by a
    /// private job taken while company orders are unfinished (PEN-85 deducts it); null when the preset has none (no
    /// <c>monthlyRepairSubsidy</c> reward: the amount a sparse preset's parameters took from generic is not paid, A12).
    /// </summary>
    public decimal? MonthlyRepairSubsidy => Reward("monthlyRepairSubsidy") is { } reward
        && (Get<decimal?>("rewards.monthlyRepairSubsidyCNY") ?? reward.Amount) is > 0 and var s ? s : null;

    /// <summary>
    /// RWD-09 / HR-11: the material reward (材料奖励金, "bonus on materials sold or used", glossary.md) as a percentage of the
    /// material lines (<c>PriceKind.Material</c>) charged on the person's completed orders, from
    /// <c>pay.materialReward.percentOfMaterialCharges</c>. The documents name the reward but not its basis or rate, so every
    /// preset leaves it null and nothing is paid until the company sets it (an assumption, like the piece rates).
    /// </summary>
    public decimal? MaterialRewardPercent => Get<decimal?>("pay.materialReward.percentOfMaterialCharges") is > 0 and var p ? p : null;
}
