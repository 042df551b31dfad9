using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Features.Dispatch;

/// <summary>
/// 放入抢单池 / 撤回: the dispatcher offers an undispatched order to the branch's technicians, who may take it themselves
/// (<see cref="TakeFromPool"/>), and may take it back while nobody has. The roles that dispatch are the roles that release.
/// The dispatch clock keeps running while the order waits in the pool.
/// </summary>
public sealed class ReleaseToPool(WorkOrderAccess access, AppDbContext db, PolicyStore policies, AnnouncePoolOrder announce)
{
    public static readonly string[] AllowedRoles = DispatchWorkOrder.AllowedRoles;

    public async Task<WorkOrderDto> Release(CurrentUser user, long id, VersionOnlyRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        WorkOrder? released = null;
        var answer = await access.Run(user, id, "release into the order pool", AllowedRoles, r.Version, ifMatch, async (order, actor, now) =>
        {
            // INT-16: an angry customer's order is the manager's to dispatch personally, never anyone's to take.
            if (order.AngryCustomer && (await policies.ById(db, order.PolicyVersionId, ct)).AngryCustomerToManager)
                throw new ConflictException(Msg.Of("An angry customer's order is dispatched by the after-sales manager personally (INT-16); it does not go into the order pool."));
            order.ReleaseToPool(actor, now);
            // Saved with the release: the branch's technicians hear of it exactly when it happened.
            await announce.Queue(order, now, ct);
            released = order;
        }, ct);
        await announce.PoolChanged(released!, "pooled", ct);
        return answer;
    }

    public async Task<WorkOrderDto> Withdraw(CurrentUser user, long id, VersionOnlyRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        WorkOrder? withdrawn = null;
        var answer = await access.Run(user, id, "take back from the order pool", AllowedRoles, r.Version, ifMatch, (order, actor, now) =>
        {
            order.WithdrawFromPool(actor, now);
            withdrawn = order;
            return Task.CompletedTask;
        }, ct);
        await announce.PoolChanged(withdrawn!, "unpooled", ct);
        return answer;
    }
}
