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
    public async Task<WorkOrderDto> Handle(CurrentUser user, long id, TransferRequestBody r, int? ifMatch, CancellationToken ct)
    {
        user.RequireAny("request a transfer", TechnicianActions.AllowedRoles);
        var v = new Validator().RequiredText(r.Reason, 500, "reason");
        if (r.TechnicianId is null) v.Add("technicianId", "'technicianId' (the colleague) is required.");
        v.ThrowIfInvalid();
        var colleague = await db.Technicians.AsNoTracking().FirstOrDefaultAsync(t => t.Id == r.TechnicianId, ct)
            ?? throw ValidationFailedException.For("technicianId", $"Technician {r.TechnicianId} does not exist.");
        return await actions.Run(user, id, "request a transfer of", r.Version, ifMatch, (order, actor, now) =>
        {
            if (colleague.BranchId != order.BranchId) throw ValidationFailedException.For("technicianId", $"Technician {r.TechnicianId} does not exist in this branch.");
            order.RequestTransfer(colleague.Id, r.Reason!.Trim(), actor, now);
            Notify.Queue(db, now, "transferRequested", order.BranchId, order.Id, $"{order.Code} 转单申请",
                $"{actor.Name} 申请将工单转给技师 {colleague.Id}: {r.Reason}", [], [Roles.Dispatcher]);
        }, ct);
    }
}
