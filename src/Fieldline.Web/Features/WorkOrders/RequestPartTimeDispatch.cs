using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record PartTimeRequestBody(int? TechnicianId, string? Reason, int? Version);

/// <summary>
/// DSP-21: an urgent order and no technician free — the dispatcher asks the after-sales manager to send part-time staff,
/// with the reason. The managers are told; the manager answers by dispatching them (<see cref="DispatchWorkOrder"/>) or
/// by declining (<see cref="DeclinePartTimeDispatch"/>). Everything else about the person must already allow the job.
/// </summary>
public sealed class RequestPartTimeDispatch(WorkOrderAccess access, AssignableTechnician assignable, AppDbContext db, PolicyStore policies)
{
    public static readonly string[] AllowedRoles = [Roles.Dispatcher, Roles.InfoClerk];

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, PartTimeRequestBody r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("ask to send part-time staff", AllowedRoles);
        var v = new Validator().RequiredText(r.Reason, 500, "reason");
        if (r.TechnicianId is null) v.Add("technicianId", "{0} is required.");
        v.ThrowIfInvalid();
        return access.Run(user, id, "ask to send part-time staff on", AllowedRoles, r.Version, ifMatch, async (order, actor, now) =>
        {
            // Every reason but the approval itself is checked now: the manager is not asked about someone on leave.
            var tech = await assignable.Check(order, r.TechnicianId, byManager: true, ct);
            var policy = await policies.ById(db, order.PolicyVersionId, ct);
            if (!tech.PartTime)
                throw ValidationFailedException.For("technicianId", "{1} is not part-time staff: dispatch them directly.", tech.User?.DisplayName ?? $"#{tech.Id}");
            if (!TechnicianEligibility.NeedsManager(tech, policy))
                throw new ConflictException(Msg.Of("The policy lets part-time staff be dispatched directly; no approval is needed."));
            order.RequestPartTimeDispatch(tech.Id, r.Reason!.Trim(), actor, now);
            Notify.Queue(db, now, "partTimeRequested", order.BranchId, order.Id, Msg.Of("{0}: part-time staff requested", order.Code),
                Msg.Of("{0} asks to send part-time staff {1}: {2}", actor.Name, tech.User?.DisplayName ?? $"#{tech.Id}", r.Reason!.Trim()), [], [Roles.Manager]);
        }, ct);
    }
}
