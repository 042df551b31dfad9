using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record PriceApprovalRequest(string? PriceCode, string? PartNumber, string? Description, decimal? Amount, string? Reason, int? Version);

/// <summary>
/// FEE-04 (SC-23): only a supervisor's override with a reason saves a charge above the cap, or a free-text charge without a
/// price code. The supervisor approves the line for the order before the technician completes it; the completion's
/// matching line (same price code or part number, or the same description for free text, up to the amount) is saved
/// and flagged with the reason and who gave it. The order's technician is told (the phone re-reads the order).
/// </summary>
public sealed class ApprovePrice(WorkOrderAccess access, Infrastructure.Data.AppDbContext db)
{
    public static readonly string[] Approvers = [Roles.Supervisor, Roles.Manager];

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, PriceApprovalRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("approve a price", Approvers);
        var v = new Validator().MaxLength(r.PriceCode, 32, "priceCode").MaxLength(r.PartNumber, 64, "partNumber").MaxLength(r.Description, 200, "description")
            .RequiredText(r.Reason, 500, "reason");
        var code = string.IsNullOrWhiteSpace(r.PriceCode) ? null : r.PriceCode.Trim();
        var part = string.IsNullOrWhiteSpace(r.PartNumber) ? null : r.PartNumber.Trim();
        if (code is not null && part is not null) v.Add("partNumber", "{0}: give a price code or a part number, not both.");
        if (code is null && part is null && string.IsNullOrWhiteSpace(r.Description)) v.Add("description", "{0} is required for a line without a price code or part number.");
        if (r.Amount is null or <= 0 or > 100_000m || decimal.Round(r.Amount.Value, 2) != r.Amount.Value)
            v.Add("amount", "{0} must be between 0.00 and 100000.00 CNY with at most two decimals.");
        v.ThrowIfInvalid();
        var approval = new PriceApproval(code, part, code is null && part is null ? r.Description!.Trim() : null, r.Amount!.Value, r.Reason!.Trim());
        return access.Run(user, id, "approve a price for", Approvers, r.Version, ifMatch, async (order, actor, now) =>
        {
            order.ApprovePrice(approval, actor, now);
            var technician = await db.Technicians.AsNoTracking().Where(t => t.Id == order.TechnicianId).Select(t => (int?)t.UserId).FirstOrDefaultAsync(ct);
            Notify.Queue(db, now, "priceApproved", order.BranchId, order.Id, Msg.Of("{0}: price approved", order.Code),
                Msg.Of("{0} approved up to {1}: {2}", actor.Name, $"¥{approval.Amount:0.00}", approval.Reason), [technician], []);
        }, ct);
    }
}
