using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>Ends an open order without service, with a reason.</summary>
public sealed class CancelWorkOrder(WorkOrderAccess access)
{
    public static readonly string[] AllowedRoles = [Roles.Dispatcher, Roles.Manager];

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, ReasonRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("cancel", AllowedRoles);
        new Validator().RequiredText(r.Reason, 500, "reason").ThrowIfInvalid();
        return access.Run(user, id, "cancel", AllowedRoles, r.Version, ifMatch, (order, actor, now) =>
        {
            order.Cancel(r.Reason!.Trim(), actor, now);
            return Task.CompletedTask;
        }, ct);
    }
}
