using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record PriceApprovalAsk(string? PriceCode, decimal? Amount, string? Reason, int? Version);

/// <summary>
/// FEE-04 (SC-23), the technician's side: a price above the policy's cap is asked for from the phone — the price item,
/// the amount of the whole line and why — and the supervisors are told. Nothing is charged until a supervisor or manager
/// approves it (<see cref="ApprovePrice"/>, on the order's 收费审核 page, where the request is offered as it was asked).
/// </summary>
public sealed class RequestPriceApproval(TechnicianActions actions, AppDbContext db)
{
    public async Task<WorkOrderDto> Handle(CurrentUser user, long id, PriceApprovalAsk r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("ask for a price approval", TechnicianActions.AllowedRoles);
        var v = new Validator().RequiredText(r.PriceCode, 32, "priceCode").RequiredText(r.Reason, 500, "reason");
        if (r.Amount is null or <= 0 or > 100_000m || decimal.Round(r.Amount.Value, 2) != r.Amount.Value)
            v.Add("amount", "{0} must be between 0.00 and 100000.00 CNY with at most two decimals.");
        v.ThrowIfInvalid();
        var code = r.PriceCode!.Trim();
        var item = await db.PriceItems.AsNoTracking().FirstOrDefaultAsync(p => p.Code == code && p.Active, ct)
            ?? throw ValidationFailedException.For("priceCode", "{0} '{1}' is not in the price list.", code);
        return await actions.Run(user, id, "ask for a price approval on", r.Version, ifMatch, (order, actor, now) =>
        {
            order.RequestPriceApproval(item.Code, r.Amount!.Value, r.Reason!.Trim(), actor, now);
            Notify.Queue(db, now, "priceApprovalRequested", order.BranchId, order.Id, Msg.Of("{0}: price approval requested", order.Code),
                Msg.Of("{0} asks to charge {1} for {2}: {3}", actor.Name, $"¥{r.Amount.Value:0.00}", item.Name, r.Reason.Trim()), [], [Roles.Supervisor]);
        }, ct);
    }
}
