using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Depot;

/// <summary>What the depot's steps share: the unit, tracked, if the caller's branch holds it (else 404), at the version sent.</summary>
public sealed class DepotUnits(AppDbContext db, FindDepot find)
{
    public async Task<DepotUnit> ForChange(CurrentUser user, long id, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        var unit = await db.Set<DepotUnit>().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (unit is null || !user.CanSeeBranch(unit.BranchId)) throw new NotFoundException("Depot unit", id);
        Concurrency.Check(Msg.Of("Depot unit {0}", id), unit.Version, null, ifMatch);
        return unit;
    }

    public async Task<DepotUnitDto> Saved(DepotUnit unit, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        return (await find.Dtos(unit.BranchId, [unit], ct)).Single();
    }
}

/// <summary>SC-27 / SHOP-06: at the office the unit a technician took away is entered in the repair register (维修登记薄): no longer in transit.</summary>
public sealed class RegisterDepotUnit(DepotUnits units, TimeProvider clock)
{
    public async Task<DepotUnitDto> Handle(CurrentUser user, long id, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("enter a unit in the repair register", FindDepot.Staff);
        var unit = await units.ForChange(user, id, ifMatch, ct);
        unit.Register(user.UserId, clock.GetUtcNow());
        return await units.Saved(unit, ct);
    }
}
