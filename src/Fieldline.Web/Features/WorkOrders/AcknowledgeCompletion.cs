using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>
/// ONS-31 (第19篇 §8): where the policy says so, a finished installation — signed by the customer — is reported to the
/// company (the completion, which tells the dispatchers: <c>completionToAcknowledge</c>), and the crew leaves the site
/// only once the office has acknowledged it here (备案). The technician is told on the phone.
/// </summary>
public sealed class AcknowledgeCompletion(WorkOrderAccess access, AppDbContext db, PolicyStore policies)
{
    public static readonly string[] AllowedRoles = [Roles.Dispatcher, Roles.InfoClerk, Roles.Supervisor, Roles.Manager];

    /// <summary>Whether the order's completion waits for the office's acknowledgement: installations, where the policy asks.</summary>
    public static bool Needed(WorkOrder order, CompanyPolicy policy) => policy.AcknowledgeBeforeLeavingSite && order.Type == WorkOrderType.Install;

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, VersionOnlyRequest r, IfMatchVersions? ifMatch, CancellationToken ct) =>
        access.Run(user, id, "acknowledge the completion of", AllowedRoles, r.Version, ifMatch, async (order, actor, now) =>
        {
            if (!Needed(order, await policies.ById(db, order.PolicyVersionId, ct)))
                throw new ConflictException(Msg.Of("{0} needs no acknowledgement: under its policy the crew leaves once the customer has signed.", order.Code));
            order.AcknowledgeCompletion(actor, now);
            var technician = await db.Technicians.AsNoTracking().Where(t => t.Id == order.TechnicianId).Select(t => (int?)t.UserId).FirstOrDefaultAsync(ct);
            Notify.Queue(db, now, "completionAcknowledged", order.BranchId, order.Id, Msg.Of("{0}: acknowledged by the company", order.Code),
                Msg.Of("{0} acknowledged the finished installation: the crew may leave the site.", actor.Name), [technician], []);
        }, ct);
}
