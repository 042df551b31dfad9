using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record DeclinePartTimeBody(string? Reason, int? Version);

/// <summary>
/// DSP-21: the after-sales manager says no to sending part-time staff, with the reason; the order waits for the
/// dispatcher again, who is told. (Saying yes is the manager's dispatch of that person.)
/// </summary>
public sealed class DeclinePartTimeDispatch(WorkOrderAccess access, AppDbContext db)
{
    public static readonly string[] AllowedRoles = [Roles.Manager];

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, DeclinePartTimeBody r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("decline a part-time request", AllowedRoles);
        new Validator().RequiredText(r.Reason, 500, "reason").ThrowIfInvalid();
        return access.Run(user, id, "decline the part-time request of", AllowedRoles, r.Version, ifMatch, async (order, actor, now) =>
        {
            var askedBy = order.PendingPartTimeRequest()?.By;
            order.DeclinePartTimeDispatch(r.Reason!.Trim(), actor, now);
            var requester = await db.Users.AsNoTracking().Where(u => u.UserName == askedBy).Select(u => (int?)u.Id).FirstOrDefaultAsync(ct);
            Notify.Queue(db, now, "partTimeDeclined", order.BranchId, order.Id, Msg.Of("{0}: part-time staff not approved", order.Code),
                Msg.Of("{0} did not approve sending part-time staff: {1}", actor.Name, r.Reason!.Trim()), [requester], []);
        }, ct);
    }
}
