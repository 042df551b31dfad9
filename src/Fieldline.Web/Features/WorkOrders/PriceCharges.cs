using Fieldline.Web.Features.Billing;
using Fieldline.Web.Features.Parts;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>What a charge line is priced against: a line of the price list or a part of the catalogue.</summary>
public sealed record ChargeReference(string Code, string Name, decimal Standard, bool Labour, bool Excluded);

/// <summary>
/// The warranty decides the price (WAR-01, WAR-03, FEE-04, FEE-08, FEE-10, SC-23, SC-28). Each charge line refers to a
/// price code (the price list) or a part number (the catalogue's list price), or is free text:
/// <list type="bullet">
/// <item>In warranty, a covered item is free: a line above 0 is refused naming it, unless the policy lists the item in
/// <c>warranty.chargeableInWarranty</c>. Excluded items — consumable parts such as filter cartridges (WAR-01) and the
/// materials the customer pays for (FEE-10) — are charged as out of warranty. Free text is not known to be excluded, so it is free too.</item>
/// <item>Out of warranty under <c>warranty.afterWarrantyChargePartsOnly</c> (purifiers, SC-28), labour is 0.</item>
/// <item>A line above the policy's multiple of its standard (2×, FEE-04) is refused; a free-text line with a price is
/// refused while the policy has a cap, having no standard to be capped by. Either is saved only with a supervisor's
/// approval for the order (<see cref="WorkOrder.ApprovePrice"/>), and flagged with its reason.</item>
/// </list>
/// </summary>
public sealed class PriceCharges(AppDbContext db)
{
    /// <summary>The references of the lines (null for free text); an unknown code or part is bad input, named.</summary>
    public async Task<IReadOnlyList<ChargeReference?>> References(Validator v, IReadOnlyList<ChargeInput> lines, CancellationToken ct)
    {
        var codes = lines.Where(c => c.PriceCode is not null).Select(c => c.PriceCode!).Distinct().ToList();
        var numbers = lines.Where(c => c.PartNumber is not null).Select(c => c.PartNumber!).Distinct().ToList();
        var prices = codes.Count == 0 ? [] : await db.PriceItems.AsNoTracking().Where(p => codes.Contains(p.Code) && p.Active).ToDictionaryAsync(p => p.Code, ct);
        var parts = numbers.Count == 0 ? [] : await db.Parts.AsNoTracking().Where(p => numbers.Contains(p.PartNumber) && p.Active).ToDictionaryAsync(p => p.PartNumber, ct);
        var refs = new List<ChargeReference?>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.PriceCode is { } code)
            {
                if (prices.TryGetValue(code, out var item))
                    refs.Add(new(code, item.Name, item.StandardPrice, item.Kind == PriceKind.Labour, item.Kind == PriceKind.Material));
                else
                {
                    v.Add($"charges[{i}].priceCode", "{0}: '{1}' is not a code of the active price list.", code);
                    refs.Add(null);
                }
            }
            else if (line.PartNumber is { } number)
            {
                if (parts.TryGetValue(number, out var part))
                    refs.Add(new(number, part.Name, part.ListPrice, false, part.WarrantyClass == PartWarrantyClass.Consumable));
                else
                {
                    v.Add($"charges[{i}].partNumber", "{0}: '{1}' is not a part of the catalogue.", number);
                    refs.Add(null);
                }
            }
            else refs.Add(null);
        }
        return refs;
    }

    /// <summary>What a line costs when the technician gives no amount: free where the warranty or the policy makes it free, else the standard × quantity.</summary>
    public static decimal DefaultAmount(ChargeReference? r, int quantity, bool inWarranty, CompanyPolicy policy) =>
        r is null || IsFree(r, inWarranty, policy) ? 0m : decimal.Round(r.Standard * quantity, 2);

    private static bool IsFree(ChargeReference r, bool inWarranty, CompanyPolicy policy) =>
        inWarranty ? !r.Excluded && !policy.ChargeableInWarranty.Contains(r.Code) : r.Labour && policy.AfterWarrantyChargePartsOnly;

    /// <summary>Checks every line against the order's warranty and the policy; a line a supervisor approved is flagged with the reason.</summary>
    public static void Check(Validator v, CompanyPolicy policy, WorkOrder order, IReadOnlyList<WorkOrderCharge> charges, IReadOnlyList<ChargeReference?> refs)
    {
        var multiple = policy.OverchargeMaxMultiple;
        var approvals = order.PriceApprovals.ToList();
        for (var i = 0; i < charges.Count; i++)
        {
            var c = charges[i];
            var r = refs[i];
            c.StandardPrice = r?.Standard;
            if (c.Amount == 0) continue;
            var field = $"charges[{i}].amount";
            if (order.InWarranty && (r is null || IsFree(r, true, policy)))
            {
                v.Add(field, "{0}: the order is in warranty and {1} is covered, so it is free for the customer (FEE-08): charge 0 or remove the line.",
                    Msg.Verbatim(r?.Name ?? c.Description));
                continue;
            }
            if (!order.InWarranty && r is not null && IsFree(r, false, policy))
            {
                v.Add(field, "{0}: after the warranty only parts are charged; the labour {1} is 0 (WAR-01).", Msg.Verbatim(r.Name));
                continue;
            }
            if (multiple is not { } m) continue;
            var approval = approvals.FirstOrDefault(a => a.Approval.PriceCode == c.PriceCode && a.Approval.PartNumber == c.PartNumber
                && (c.PriceCode is not null || c.PartNumber is not null || a.Approval.Description == c.Description) && c.Amount <= a.Approval.Amount);
            if (r is null)
            {
                if (approval.Approval is null)
                    v.Add(field, "{0}: a charge without a price code needs a supervisor's approval (FEE-04); choose a line of the price list or a part of the catalogue.");
                else (c.OverrideReason, c.OverrideBy) = (approval.Approval.Reason, approval.By);
                continue;
            }
            var cap = decimal.Round(m * r.Standard * c.Quantity, 2);
            if (c.Amount <= cap) continue;
            if (approval.Approval is null)
                v.Add(field, "{0}: {1} is above the cap of {2} for {3} × {4} ({5}× the standard price {6}); only a supervisor's approval with a reason can save it.",
                    Format.Money(c.Amount), Format.Money(cap), c.Quantity, Msg.Verbatim(r.Name), m, Format.Money(r.Standard));
            else (c.OverrideReason, c.OverrideBy) = (approval.Approval.Reason, approval.By);
        }
    }
}
