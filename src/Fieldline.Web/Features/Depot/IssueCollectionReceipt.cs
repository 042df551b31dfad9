using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Depot;

/// <summary><c>kind</c>: repair (default) or return (退货).</summary>
public sealed record DepotUnitInput(string? Product, string? SerialNumber, string? Fault, string? Accessories, string? Kind);

/// <summary>
/// With <c>workOrderId</c> the customer's name, phone and product default to the order's. <c>sms</c>: the receipt is also
/// sent to the customer's phone. <c>branchId</c> only for head office staff without an order.
/// </summary>
public sealed record DepotReceiptRequest(long? WorkOrderId, string? CustomerName, string? CustomerPhone, List<DepotUnitInput>? Units, bool Sms = false, int? BranchId = null);

/// <summary>
/// The customer goods collection receipt (客户商品领取收据, SC-27, SHOP-06, ONS-28): a technician who cannot fix the product
/// on site takes it away (the units are in transit until the office enters them in the repair register), or the depot
/// takes units in at its counter (entered at once). Numbered R-yyyy-nnnn per branch and year; a return (退货) is saved at
/// the customer's cost until the general manager approves it (SHOP-05).
/// </summary>
public sealed class IssueCollectionReceipt(AppDbContext db, TimeProvider clock, WorkOrderAccess orders, BranchZones zones, PolicyStore policies, FindDepot find)
{
    public const int MaxUnits = 100;

    public async Task<DepotReceiptDto> Handle(CurrentUser user, DepotReceiptRequest r, CancellationToken ct)
    {
        user.RequireAny("issue a collection receipt", [.. FindDepot.Staff, Roles.Technician]);
        var v = new Validator();
        if (r.Units is not { Count: > 0 }) v.Add("units", "{0}: at least one unit.");
        else if (r.Units.Count > MaxUnits) v.Add("units", "{0}: at most {1} units.", MaxUnits);
        var kinds = new List<DepotUnitKind>();
        for (var i = 0; i < (r.Units?.Count ?? 0); i++)
        {
            var u = r.Units![i];
            if (u is null) { v.Add($"units[{i}]", "{0} is required."); kinds.Add(DepotUnitKind.Repair); continue; }
            if (r.WorkOrderId is null) v.Required(u.Product, $"units[{i}].product");
            v.MaxLength(u.Product, 100, $"units[{i}].product").MaxLength(u.SerialNumber, 64, $"units[{i}].serialNumber")
                .RequiredText(u.Fault, 500, $"units[{i}].fault").MaxLength(u.Accessories, 200, $"units[{i}].accessories");
            kinds.Add(string.IsNullOrWhiteSpace(u.Kind) ? DepotUnitKind.Repair : v.Enum<DepotUnitKind>(u.Kind, $"units[{i}].kind", kind: "depotKind") ?? DepotUnitKind.Repair);
        }
        v.MaxLength(r.CustomerName, 100, "customerName");
        if (!string.IsNullOrWhiteSpace(r.CustomerPhone) && PhoneNumber.Normalize(r.CustomerPhone) is null)
            v.Add("customerPhone", "{0} must be a mobile or landline number.");
        v.ThrowIfInvalid();

        WorkOrder? order = null;
        if (r.WorkOrderId is { } orderId)
            order = await orders.Visible(user).AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct) ?? throw new NotFoundException("Work order", orderId);
        var name = string.IsNullOrWhiteSpace(r.CustomerName) ? order?.ContactPerson : r.CustomerName.Trim();
        var phone = PhoneNumber.Normalize(string.IsNullOrWhiteSpace(r.CustomerPhone) ? order?.ContactPhone : r.CustomerPhone);
        if (string.IsNullOrEmpty(name)) v.Add("customerName", "{0} is required.");
        if (phone is null) v.Add("customerPhone", "{0} must be a mobile or landline number.");
        var branchId = order?.BranchId ?? r.BranchId ?? user.BranchId;
        if (!user.CanSeeBranch(branchId) || !await zones.Exists(branchId, ct)) v.Add("branchId", "{0}: no such branch.");
        v.ThrowIfInvalid();

        var inTransit = user.IsOnlyTechnician;
        var policy = await policies.InForce(db, clock.GetUtcNow(), ct);
        var returnNeedsApproval = policy.ReturnRequiresGMApproval;
        var zone = await zones.For(branchId, ct);
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var today = BranchTime.Today(now, zone);
            var last = await db.Set<DepotReceipt>().Where(x => x.BranchId == branchId && x.Year == today.Year).MaxAsync(x => (int?)x.Sequence, ct) ?? 0;
            var receipt = new DepotReceipt
            {
                BranchId = branchId, Year = today.Year, Sequence = last + 1, Number = DepotReceipt.Format(today.Year, last + 1), WorkOrderId = order?.Id,
                CustomerName = name!, CustomerPhone = phone!, ReceivedByUserId = user.UserId, ReceivedAt = now, ReceivedOn = today,
            };
            for (var i = 0; i < r.Units!.Count; i++)
            {
                var u = r.Units[i];
                receipt.Units.Add(DepotUnit.New(receipt, kinds[i], Clean(u.Product) ?? order?.ProductModel ?? order?.ProductLine ?? "-", Clean(u.SerialNumber) ?? (r.Units.Count == 1 ? order?.SerialNumber : null),
                    u.Fault!.Trim(), Clean(u.Accessories), inTransit, returnNeedsApproval, user.UserId, now));
            }
            if (r.Sms)
            {
                receipt.SmsQueuedAt = now;
                Notify.SmsTo(db, now, "depotReceipt", branchId, order?.Id, phone!, Msg.Of("Customer goods collection receipt {0}", receipt.Number),
                    Msg.Of("We have received {0} unit(s) from you for repair on {1}: {2}. Please keep this receipt number to collect them.",
                        receipt.Units.Count, today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                        Msg.Verbatim(string.Join("、", receipt.Units.Select(x => x.Product)))));
            }
            db.Add(receipt);
            try
            {
                await db.SaveChangesAsync(ct);
                return await find.Receipt(user, receipt.Id, ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "DepotReceipts"))
            {
                // Another receipt took this number at the same moment: take the next one. Any other refusal (a foreign key, a
                // value too long) is a fault, not a race, and is not retried.
                if (attempt >= 3) throw new ConflictException(Msg.Of("Other receipts took the next numbers at the same moment. Issue the receipt again."));
                await db.RollbackWriteAsync(); // in a request's deferred unit the refused save's other rows are still in its write
                foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList()) entry.State = EntityState.Detached;
            }
        }
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
