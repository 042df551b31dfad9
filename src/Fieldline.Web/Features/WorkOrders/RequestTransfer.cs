using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record TransferRequestBody(int? TechnicianId, string? Reason, int? Version);

/// <summary>A technician asks the dispatcher to give the order to a colleague (DSP-11); nothing moves until the dispatcher does it.</summary>
public sealed class RequestTransfer(TechnicianActions actions, AppDbContext db)
{
    public async Task<WorkOrderDto> Handle(CurrentUser user, long id, TransferRequestBody r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("request a transfer", TechnicianActions.AllowedRoles);
        var v = new Validator().RequiredText(r.Reason, 500, "reason");
        if (r.TechnicianId is null) v.Add("technicianId", "{0} (the colleague) is required.");
        v.ThrowIfInvalid();
        var colleague = await db.Technicians.AsNoTracking().Include(t => t.User).FirstOrDefaultAsync(t => t.Id == r.TechnicianId, ct)
            ?? throw ValidationFailedException.For("technicianId", "Technician {1} does not exist.", r.TechnicianId);
        return await actions.Run(user, id, "request a transfer of", r.Version, ifMatch, (order, actor, now) =>
        {
            if (colleague.BranchId != order.BranchId) throw ValidationFailedException.For("technicianId", "Technician {1} does not exist in this branch.", r.TechnicianId);
            order.RequestTransfer(colleague.Id, r.Reason!.Trim(), actor, now);
            Notify.Queue(db, now, "transferRequested", order.BranchId, order.Id, Msg.Of("{0}: transfer requested", order.Code),
                Msg.Of("{0} asks to transfer the order to {1}: {2}", actor.Name, colleague.User?.DisplayName ?? $"#{colleague.Id}", r.Reason), [], [Roles.Dispatcher]);
        }, ct);
    }
}
