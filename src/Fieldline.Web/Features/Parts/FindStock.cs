using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

/// <summary>
/// What is on hand where. Office staff see their branch's places (one place with <c>locationId</c>, one part with
/// <c>partNumber</c>); a technician sees only their own van.
/// </summary>
public sealed class FindStock(AppDbContext db, StockLedger ledger)
{
    public async Task<IReadOnlyList<StockLocationDto>> Locations(CurrentUser user, CancellationToken ct)
    {
        user.RequireAny("see stock", [.. Roles.Office, Roles.Technician]);
        var all = await ledger.LocationsOf(user.BranchId, ct);
        if (!user.IsOnlyTechnician) return all;
        var own = await OwnTechnicianId(user, ct);
        return all.Where(l => l.TechnicianId == own).ToList();
    }

    public const int MaxRows = 10_000;

    /// <summary>At most <paramref name="max"/> levels (<see cref="MaxRows"/>; the Excel export: all of them).</summary>
    public async Task<IReadOnlyList<StockLevelDto>> Levels(CurrentUser user, int? locationId, string? partNumber, CancellationToken ct, int max = MaxRows)
    {
        user.RequireAny("see stock", [.. Roles.Office, Roles.Technician]);
        List<int> places;
        int branch;
        if (locationId is { } id)
        {
            var location = await ledger.Visible(user, id, "locationId", ct);
            places = new List<int> { location.Id };
            branch = location.BranchId;
        }
        else
        {
            places = (await Locations(user, ct)).Select(l => l.Id).ToList();
            branch = user.BranchId;
        }
        var query = db.Set<StockLevel>().AsNoTracking().Where(l => places.Contains(l.LocationId))
            .Join(db.Set<Part>(), l => l.PartId, p => p.Id, (l, p) => new { Level = l, Part = p });
        if (!string.IsNullOrWhiteSpace(partNumber)) query = query.Where(x => x.Part.PartNumber == partNumber.Trim());
        var rows = await query.OrderBy(x => x.Level.LocationId).ThenBy(x => x.Part.PartNumber).Take(max)
            .Select(x => new { x.Level.LocationId, x.Level.OnHand, x.Level.Version, PartId = x.Part.Id, x.Part.PartNumber, x.Part.Name }).ToListAsync(ct);
        var locations = await db.Set<StockLocation>().AsNoTracking().Where(l => places.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        var names = await ledger.TechnicianNames(branch, ct);
        var place = locations.Values.ToDictionary(l => l.Id, l => (Kind: JsonNames.Of(l.Kind), Name: StockLedger.Name(l, names).Render(), l.TechnicianId)); // once per place, not per row
        return rows.Select(x =>
        {
            var l = place[x.LocationId];
            return new StockLevelDto(x.LocationId, l.Kind, l.Name, l.TechnicianId, x.PartId, x.PartNumber, x.Name, x.OnHand, x.Version);
        }).ToList();
    }

    private Task<int?> OwnTechnicianId(CurrentUser user, CancellationToken ct) =>
        db.Technicians.Where(t => t.UserId == user.UserId).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);
}
