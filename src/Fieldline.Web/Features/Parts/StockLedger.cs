using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

public sealed record StockLocationDto(int Id, int BranchId, string Kind, string Name, int? TechnicianId);

public sealed record StockLevelDto(int LocationId, string LocationKind, string LocationName, int? TechnicianId, int PartId, string PartNumber, string PartName, int OnHand, int Version);

/// <summary>What a movement line records besides the part, place and quantity.</summary>
public sealed record MovementFacts(int ByUserId, string? Reason = null, string? Reference = null, int? OtherLocationId = null, long? WorkOrderId = null, long? RequisitionId = null,
    decimal? UnitCost = null);

/// <summary>
/// The one way stock changes: a movement line and the cached level, in the caller's save. A change that would take a
/// level below zero is refused (409 naming the part and the place); the level's version makes two concurrent takings
/// of the same units collide at the save, where the second is run again against what the first left (IdempotencyMiddleware):
/// a 409 if the units are gone, else it takes them too. Locations (the branch warehouse, each
/// technician's van) are created the first time they are needed.
/// </summary>
public sealed class StockLedger(AppDbContext db, TimeProvider clock)
{
    public static readonly string[] Keepers = [Roles.Admin, Roles.Manager, Roles.WarehouseKeeper];

    /// <summary>The branch's warehouse and a van for each of its technicians (created now if missing), warehouse first.</summary>
    public async Task<IReadOnlyList<StockLocationDto>> LocationsOf(int branchId, CancellationToken ct)
    {
        await Ensure(branchId, ct);
        var names = await TechnicianNames(branchId, ct);
        var locations = await db.Set<StockLocation>().AsNoTracking().Where(l => l.BranchId == branchId).ToListAsync(ct);
        return locations.OrderBy(l => l.Kind).ThenBy(l => l.TechnicianId is { } t ? names.GetValueOrDefault(t) : "", StringComparer.Ordinal)
            .Select(l => Dto(l, names)).ToList();
    }

    public async Task<StockLocation> Warehouse(int branchId, CancellationToken ct)
    {
        await Ensure(branchId, ct);
        return await db.Set<StockLocation>().SingleAsync(l => l.BranchId == branchId && l.Key == StockLocation.WarehouseKey, ct);
    }

    public async Task<StockLocation?> VanOf(int technicianId, CancellationToken ct)
    {
        var branch = await db.Technicians.Where(t => t.Id == technicianId).Select(t => (int?)t.BranchId).FirstOrDefaultAsync(ct);
        if (branch is null) return null;
        await Ensure(branch.Value, ct);
        return await db.Set<StockLocation>().SingleAsync(l => l.BranchId == branch && l.Key == StockLocation.VanKey(technicianId), ct);
    }

    /// <summary>A location the caller may see (office staff: their branch's; head office: any), else 404.</summary>
    public async Task<StockLocation> Visible(CurrentUser user, int locationId, string field, CancellationToken ct)
    {
        var location = await db.Set<StockLocation>().FirstOrDefaultAsync(l => l.Id == locationId, ct);
        if (location is null || !user.CanSeeBranch(location.BranchId)) throw new NotFoundException(Msg.Of("Stock location {0}", locationId));
        if (user.IsOnlyTechnician)
        {
            var own = await db.Technicians.Where(t => t.UserId == user.UserId).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);
            if (location.TechnicianId is null || location.TechnicianId != own) throw new NotFoundException(Msg.Of("Stock location {0}", locationId));
        }
        _ = field;
        return location;
    }

    public async Task<Part> ActivePart(string partNumber, string field, CancellationToken ct) =>
        await db.Set<Part>().FirstOrDefaultAsync(p => p.PartNumber == partNumber && p.Active, ct)
        ?? throw ValidationFailedException.For(field, Msg.Of("{0}: '{1}' is not a part of the catalogue.", Msg.Field(field), partNumber));

    /// <summary>Adds the line and changes the level (not saved: the caller saves once, with everything else of its use case).</summary>
    public async Task<StockLevel> Post(Part part, StockLocation at, int quantity, StockMovementKind kind, MovementFacts facts, CancellationToken ct)
    {
        var level = db.Set<StockLevel>().Local.FirstOrDefault(l => l.LocationId == at.Id && l.PartId == part.Id)
            ?? await db.Set<StockLevel>().FirstOrDefaultAsync(l => l.LocationId == at.Id && l.PartId == part.Id, ct);
        if (level is null)
        {
            level = new StockLevel { LocationId = at.Id, PartId = part.Id };
            db.Add(level);
        }
        if (level.OnHand + quantity < 0)
            throw new ConflictException(Msg.Of("Not enough {0} {1} at {2}: {3} on hand, {4} needed.", part.PartNumber, Msg.Verbatim(part.Name),
                await NameOf(at, ct), level.OnHand, -quantity), Msg.Of("Not enough stock"));
        level.OnHand += quantity;
        db.Add(new StockMovement
        {
            PartId = part.Id, LocationId = at.Id, Quantity = quantity, Kind = kind, OtherLocationId = facts.OtherLocationId, WorkOrderId = facts.WorkOrderId,
            RequisitionId = facts.RequisitionId, Reference = facts.Reference, Reason = facts.Reason, UnitCost = facts.UnitCost, ByUserId = facts.ByUserId, At = clock.GetUtcNow(),
        });
        return level;
    }

    public async Task<StockLevelDto> LevelDto(StockLevel level, CancellationToken ct)
    {
        var location = await db.Set<StockLocation>().AsNoTracking().SingleAsync(l => l.Id == level.LocationId, ct);
        var part = await db.Set<Part>().AsNoTracking().SingleAsync(p => p.Id == level.PartId, ct);
        return new StockLevelDto(location.Id, JsonNames.Of(location.Kind), (await NameOf(location, ct)).Render(), location.TechnicianId, part.Id, part.PartNumber, part.Name, level.OnHand, level.Version);
    }

    public async Task<Msg> NameOf(StockLocation location, CancellationToken ct)
    {
        if (location.TechnicianId is not { } tech) return Msg.Of("Branch warehouse");
        var name = await db.Technicians.Where(t => t.Id == tech).Select(t => t.User!.DisplayName).FirstOrDefaultAsync(ct);
        return Msg.Of("Van of {0}", Msg.Verbatim(name ?? "#" + tech));
    }

    public static StockLocationDto Dto(StockLocation l, IReadOnlyDictionary<int, string> names) =>
        new(l.Id, l.BranchId, JsonNames.Of(l.Kind), Name(l, names).Render(), l.TechnicianId);

    public static Msg Name(StockLocation l, IReadOnlyDictionary<int, string> names) => l.TechnicianId is { } t
        ? Msg.Of("Van of {0}", Msg.Verbatim(names.GetValueOrDefault(t) ?? "#" + t)) : Msg.Of("Branch warehouse");

    public Task<Dictionary<int, string>> TechnicianNames(int branchId, CancellationToken ct) =>
        db.Technicians.AsNoTracking().Where(t => t.BranchId == branchId).Select(t => new { t.Id, t.User!.DisplayName }).ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);

    private async Task Ensure(int branchId, CancellationToken ct)
    {
        var have = await db.Set<StockLocation>().Where(l => l.BranchId == branchId).Select(l => l.Key).ToListAsync(ct);
        var technicians = await db.Technicians.Where(t => t.BranchId == branchId).Select(t => t.Id).ToListAsync(ct);
        var missing = new List<StockLocation>();
        if (!have.Contains(StockLocation.WarehouseKey))
            missing.Add(new StockLocation { BranchId = branchId, Kind = StockLocationKind.Warehouse, Key = StockLocation.WarehouseKey });
        missing.AddRange(technicians.Where(t => !have.Contains(StockLocation.VanKey(t)))
            .Select(t => new StockLocation { BranchId = branchId, Kind = StockLocationKind.Van, TechnicianId = t, Key = StockLocation.VanKey(t) }));
        if (missing.Count == 0) return;
        // Created in their own save, before the use case changes anything (a refused request may undo them: they come back next time).
        db.AddRange(missing);
        await db.SaveChangesAsync(ct);
    }
}
