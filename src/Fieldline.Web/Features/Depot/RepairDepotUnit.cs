using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Depot;

public sealed record DepotRepairRequest(string? Note);

/// <summary>The depot repaired a registered unit (what was done is noted): it waits for the customer.</summary>
public sealed class RepairDepotUnit(DepotUnits units, BranchZones zones, TimeProvider clock)
{
    public async Task<DepotUnitDto> Handle(CurrentUser user, long id, DepotRepairRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record a depot repair", FindDepot.Staff);
        new Validator().RequiredText(r.Note, 500, "note").ThrowIfInvalid();
        var unit = await units.ForChange(user, id, ifMatch, ct);
        var now = clock.GetUtcNow();
        unit.Repaired(r.Note!.Trim(), now, BranchTime.Today(now, await zones.For(unit.BranchId, ct)));
        return await units.Saved(unit, ct);
    }
}
