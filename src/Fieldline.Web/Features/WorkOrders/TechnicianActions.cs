using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>Actions only the assigned technician takes: anyone else is told the order does not exist.</summary>
public sealed class TechnicianActions(WorkOrderAccess access, AppDbContext db, SlaEngine sla)
{
    public static readonly string[] AllowedRoles = [Roles.Technician];

    /// <summary>
    /// Is the order assigned to this user's technician profile? For a user who is only a technician the order was loaded
    /// through that very test (<see cref="WorkOrderAccess.Visible"/>), so it is not asked again; an office user who also
    /// works as a technician sees the branch's orders and is asked. Either way the clocks then know the technician's user.
    /// </summary>
    private async Task Mine(CurrentUser user, WorkOrder order, long id, CancellationToken ct)
    {
        var mine = user.IsOnlyTechnician || await db.Technicians.AnyAsync(t => t.Id == order.TechnicianId && t.UserId == user.UserId, ct);
        if (!mine || order.TechnicianId is not { } technicianId) throw new NotFoundException("Work order", id);
        sla.TechnicianIs(technicianId, user.UserId);
    }

    public Task<WorkOrderDto> Run(CurrentUser user, long id, string action, int? version, IfMatchVersions? ifMatch, Action<WorkOrder, Actor, DateTimeOffset> apply, CancellationToken ct) =>
        access.Run(user, id, action, AllowedRoles, version, ifMatch, async (order, actor, now) =>
        {
            await Mine(user, order, id, ct);
            apply(order, actor, now);
        }, ct);

    /// <summary>The same, for an action that reads or adds more in its save (completion proposing PEN-86).</summary>
    public Task<WorkOrderDto> Run(CurrentUser user, long id, string action, int? version, IfMatchVersions? ifMatch, Func<WorkOrder, Actor, DateTimeOffset, Task> apply, CancellationToken ct) =>
        access.Run(user, id, action, AllowedRoles, version, ifMatch, async (order, actor, now) =>
        {
            await Mine(user, order, id, ct);
            await apply(order, actor, now);
        }, ct);
}
