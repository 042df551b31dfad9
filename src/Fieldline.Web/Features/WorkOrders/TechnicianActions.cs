using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>Actions only the assigned technician takes: anyone else is told the order does not exist.</summary>
public sealed class TechnicianActions(WorkOrderAccess access, AppDbContext db)
{
    public static readonly string[] AllowedRoles = [Roles.Technician];

    public Task<WorkOrderDto> Run(CurrentUser user, long id, string action, int? version, int? ifMatch, Action<WorkOrder, Actor, DateTimeOffset> apply, CancellationToken ct) =>
        access.Run(user, id, action, AllowedRoles, version, ifMatch, async (order, actor, now) =>
        {
            var mine = await db.Technicians.AnyAsync(t => t.Id == order.TechnicianId && t.UserId == user.UserId, ct);
            if (!mine) throw new NotFoundException("Work order", id);
            apply(order, actor, now);
        }, ct);

    /// <summary>The same, for an action that reads or adds more in its save (completion proposing PEN-86).</summary>
    public Task<WorkOrderDto> Run(CurrentUser user, long id, string action, int? version, int? ifMatch, Func<WorkOrder, Actor, DateTimeOffset, Task> apply, CancellationToken ct) =>
        access.Run(user, id, action, AllowedRoles, version, ifMatch, async (order, actor, now) =>
        {
            var mine = await db.Technicians.AnyAsync(t => t.Id == order.TechnicianId && t.UserId == user.UserId, ct);
            if (!mine) throw new NotFoundException("Work order", id);
            await apply(order, actor, now);
        }, ct);
}
