using System.Collections.Concurrent;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Identity;

/// <summary>
/// Each branch's time zone: times are shown, and days counted, in the branch's zone. A branch's zone is set when it is
/// created and never changes, and branches are never deleted, so what one request read serves every later one on this
/// node (<see cref="Known"/>, a singleton) — no statement per request (issue 14).
/// </summary>
public sealed class BranchZones(AppDbContext db, BranchZones.Known known)
{
    /// <summary>The zones of the branches this node has seen.</summary>
    public sealed class Known
    {
        internal readonly ConcurrentDictionary<int, TimeZoneInfo> Zones = new();
    }

    /// <summary>The branch's zone; the default zone for a branch that does not exist.</summary>
    public async Task<TimeZoneInfo> For(int branchId, CancellationToken ct) => await Find(branchId, ct) ?? BranchTime.Zone(null);

    /// <summary>The branch's zone, or null when there is no such branch.</summary>
    public async Task<TimeZoneInfo?> Find(int branchId, CancellationToken ct)
    {
        if (known.Zones.TryGetValue(branchId, out var zone)) return zone;
        var branch = await db.Branches.Where(b => b.Id == branchId).Select(b => new { b.TimeZone }).FirstOrDefaultAsync(ct);
        return branch is null ? null : known.Zones[branchId] = BranchTime.Zone(branch.TimeZone);
    }

    public async Task<bool> Exists(int branchId, CancellationToken ct) => await Find(branchId, ct) is not null;
}
