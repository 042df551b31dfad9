using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Depot;

/// <summary>SHOP-05: the general manager (the manager's role) approves a product return; until then the customer bears all its costs.</summary>
public sealed class ApproveDepotReturn(DepotUnits units, TimeProvider clock)
{
    public static readonly string[] Approvers = [Roles.Admin, Roles.Manager];

    public async Task<DepotUnitDto> Handle(CurrentUser user, long id, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("approve a product return", Approvers);
        var unit = await units.ForChange(user, id, ifMatch, ct);
        unit.ApproveReturn(user.UserId, clock.GetUtcNow());
        return await units.Saved(unit, ct);
    }
}
