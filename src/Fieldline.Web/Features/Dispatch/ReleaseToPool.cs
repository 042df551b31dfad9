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
public sealed class ReleaseToPool(WorkOrderAccess access, AppDbContext db, PolicyStore policies)
{
    public static readonly string[] AllowedRoles = DispatchWorkOrder.AllowedRoles;

    public Task<WorkOrderDto> Release(CurrentUser user, long id, VersionOnlyRequest r, int? ifMatch, CancellationToken ct) =>
        access.Run(user, id, "release into the order pool", AllowedRoles, r.Version, ifMatch, async (order, actor, now) =>
        {
            // INT-16: an angry customer's order is the manager's to dispatch personally, never anyone's to take.
            if (order.AngryCustomer && (await policies.ById(db, order.PolicyVersionId, ct)).AngryCustomerToManager)
                throw new ConflictException(Msg.Of("An angry customer's order is dispatched by the after-sales manager personally (INT-16); it does not go into the order pool."));
            order.ReleaseToPool(actor, now);
        }, ct);

    public Task<WorkOrderDto> Withdraw(CurrentUser user, long id, VersionOnlyRequest r, int? ifMatch, CancellationToken ct) =>
        access.Run(user, id, "take back from the order pool", AllowedRoles, r.Version, ifMatch, (order, actor, now) =>
        {
            order.WithdrawFromPool(actor, now);
            return Task.CompletedTask;
        }, ct);
}
