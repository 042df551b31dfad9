using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record ConfirmUnreachableRequest(bool? Reached, string? Notes, int? Version);

/// <summary>
/// DSP-08: after the technician reports the customer unreachable, the dispatcher calls too. Still unreachable → the
/// contact clocks are exempt and the technician goes at the original appointment; reached → the normal rules apply.
/// </summary>
public sealed class ConfirmUnreachable(WorkOrderAccess access)
{
    public static readonly string[] AllowedRoles = [Roles.Dispatcher, Roles.Manager];

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, ConfirmUnreachableRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("confirm an unreachable customer", AllowedRoles);
        var v = new Validator();
        if (r.Reached is null) v.Add("reached", "{0} is required: did your own call reach the customer?");
        v.MaxLength(r.Notes, 1000, "notes").ThrowIfInvalid();
        return access.Run(user, id, "confirm the customer unreachable for", AllowedRoles, r.Version, ifMatch, (order, actor, now) =>
        {
            order.ConfirmUnreachable(r.Reached!.Value, r.Notes, actor, now);
            return Task.CompletedTask;
        }, ct);
    }
}
