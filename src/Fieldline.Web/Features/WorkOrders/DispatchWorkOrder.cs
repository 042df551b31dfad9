using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record DispatchRequest(int? TechnicianId, int? Version);

/// <summary>
/// Sends a new order to a technician (INT-14). An angry customer's order is the manager's to dispatch (INT-16), and so is
/// part-time staff (DSP-21): the manager's dispatch is the approval, and answers a dispatcher's pending request.
/// </summary>
public sealed class DispatchWorkOrder(WorkOrderAccess access, AssignableTechnician assignable, AppDbContext db, PolicyStore policies, Dispatch.AnnouncePoolOrder announce)
{
    public static readonly string[] AllowedRoles = [Roles.Dispatcher, Roles.InfoClerk, Roles.Manager];

    public async Task<WorkOrderDto> Handle(CurrentUser user, long id, DispatchRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        WorkOrder? leftPool = null;
        var answer = await access.Run(user, id, "dispatch", AllowedRoles, r.Version, ifMatch, async (order, actor, now) =>
        {
            if (order.Status is not (WorkOrderStatus.New or WorkOrderStatus.Returned)) throw new IllegalTransitionException(order.Status, "dispatch");
            var policy = await policies.ById(db, order.PolicyVersionId, ct);
            if (order.AngryCustomer && policy.AngryCustomerToManager && actor.Role != Roles.Manager)
                throw new ForbiddenException("An angry customer's order is dispatched by the after-sales manager personally (INT-16).");
            var byManager = actor.Role == Roles.Manager;
            var tech = await assignable.Check(order, r.TechnicianId, byManager, ct);
            if (order.InPool) leftPool = order;
            order.Dispatch(tech.Id, actor, now, partTimeApproved: byManager && People.TechnicianEligibility.NeedsManager(tech, policy));
            SmsDispatchOrder.Queue(db, order, tech, now);
        }, ct);
        // An order dispatched from the pool is gone from every technician's pool screen.
        if (leftPool is not null) await announce.PoolChanged(leftPool, "dispatched", ct);
        return answer;
    }
}
