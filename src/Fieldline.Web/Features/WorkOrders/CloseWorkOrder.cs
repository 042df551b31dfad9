using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>The manager closes a visited order.</summary>
public sealed class CloseWorkOrder(WorkOrderAccess access)
{
    public static readonly string[] AllowedRoles = [Roles.Manager];

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, VersionOnlyRequest r, IfMatchVersions? ifMatch, CancellationToken ct) =>
        access.Run(user, id, "close", AllowedRoles, r.Version, ifMatch, (order, actor, now) =>
        {
            order.Close(actor, now);
            return Task.CompletedTask;
        }, ct);
}
