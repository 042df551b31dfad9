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
}
