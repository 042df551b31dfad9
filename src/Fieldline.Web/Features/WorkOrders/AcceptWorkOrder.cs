using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record VersionOnlyRequest(int? Version);

/// <summary>The technician acknowledges the SMS dispatch order (DSP-01).</summary>
public sealed class AcceptWorkOrder(TechnicianActions actions)
{
    public Task<WorkOrderDto> Handle(CurrentUser user, long id, VersionOnlyRequest r, IfMatchVersions? ifMatch, CancellationToken ct) =>
        actions.Run(user, id, "accept", r.Version, ifMatch, (order, actor, now) => order.Accept(actor, now), ct);
}
