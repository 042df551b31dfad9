using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Identity;

/// <summary>Each branch's time zone, read once per request: times are shown, and days counted, in the branch's zone.</summary>
public sealed class BranchZones(AppDbContext db)
{
    private readonly Dictionary<int, TimeZoneInfo> _zones = [];

    public async Task<TimeZoneInfo> For(int branchId, CancellationToken ct)
    {
        if (_zones.TryGetValue(branchId, out var zone)) return zone;
        var id = await db.Branches.Where(b => b.Id == branchId).Select(b => b.TimeZone).FirstOrDefaultAsync(ct);
        return _zones[branchId] = BranchTime.Zone(id);
    }
}
