using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Depot;

public sealed record DepotUnitDto(long Id, long ReceiptId, string ReceiptNumber, long? WorkOrderId, string CustomerName, string CustomerPhone, string Kind,
    string Product, string? SerialNumber, string Fault, string? Accessories, string Status, DateOnly ReceivedOn, DateOnly DueOn, bool Overdue,
    DateTimeOffset? RegisteredAt, DateTimeOffset? RepairedAt, string? RepairNote, DateTimeOffset? CollectedAt, DateTimeOffset? ReturnVisitDueAt,
    bool CustomerBearsAllCosts, int Version);

public sealed record DepotReceiptDto(long Id, string Number, int BranchId, long? WorkOrderId, string CustomerName, string CustomerPhone,
    DateTimeOffset ReceivedAt, DateOnly ReceivedOn, bool SmsQueued, IReadOnlyList<DepotUnitDto> Units);

/// <summary>
/// The depot queue (SHOP-01): a branch's units with their throughput due date. Units received on a day are due
/// ceil(N / <c>shop.unitsPerRepairDay</c>) days later, where N is the depot's open units that day (received by then and
/// not repaired before it): 8 → 1 day, 20 → 2, 25 → 3.
/// </summary>
public sealed class FindDepot(AppDbContext db, BranchZones zones, PolicyStore policies, TimeProvider clock)
{
    /// <summary>Who runs the depot: the depot clerk's work is the information clerk's (信息员), with the supervisor and the manager.</summary>
    public static readonly string[] Staff = [Roles.Admin, Roles.Manager, Roles.Supervisor, Roles.InfoClerk];

    /// <summary>Open (not yet collected) units by default; <c>status</c> one of inTransit, registered, repaired, collected.</summary>
    public async Task<IReadOnlyList<DepotUnitDto>> Queue(CurrentUser user, int? branchId, string? status, CancellationToken ct)
    {
        user.RequireAny("read the depot queue", Staff);
        var v = new Validator();
        var wanted = string.IsNullOrWhiteSpace(status) ? (DepotUnitStatus?)null : v.Enum<DepotUnitStatus>(status, "status", kind: "depotStatus");
        v.ThrowIfInvalid();
        var branch = branchId ?? user.BranchId;
        if (!user.CanSeeBranch(branch)) throw new NotFoundException("Branch", branch);
        var units = db.Set<DepotUnit>().AsNoTracking().Where(u => u.BranchId == branch);
        units = wanted is { } w ? units.Where(u => u.Status == w) : units.Where(u => u.Status != DepotUnitStatus.Collected);
        var list = await units.OrderBy(u => u.ReceivedOn).ThenBy(u => u.Id).Take(2000).ToListAsync(ct);
        var dtos = await Dtos(branch, list, ct);
        return dtos.OrderBy(d => d.DueOn).ThenBy(d => d.ReceivedOn).ThenBy(d => d.Id).ToList();
    }

    public async Task<DepotReceiptDto> Receipt(CurrentUser user, long id, CancellationToken ct)
    {
        var receipt = await Visible(user, id, ct);
        var units = await db.Set<DepotUnit>().AsNoTracking().Where(u => u.ReceiptId == id).OrderBy(u => u.Id).ToListAsync(ct);
        var zone = await zones.For(receipt.BranchId, ct);
        return new DepotReceiptDto(receipt.Id, receipt.Number, receipt.BranchId, receipt.WorkOrderId, receipt.CustomerName, receipt.CustomerPhone,
            BranchTime.Local(receipt.ReceivedAt, zone), receipt.ReceivedOn, receipt.SmsQueuedAt is not null, await Dtos(receipt.BranchId, units, ct));
    }

    /// <summary>A receipt the caller may see: depot staff of its branch (head office: any), or the technician who issued it; else 404.</summary>
    public async Task<DepotReceipt> Visible(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("read a collection receipt", [.. Staff, Roles.Technician]);
        var receipt = await db.Set<DepotReceipt>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        var mine = receipt is not null && (user.IsAny(Staff) ? user.CanSeeBranch(receipt.BranchId) : receipt.ReceivedByUserId == user.UserId);
        return mine ? receipt! : throw new NotFoundException("Collection receipt", id);
    }

    public async Task<IReadOnlyList<DepotUnitDto>> Dtos(int branchId, IReadOnlyList<DepotUnit> units, CancellationToken ct)
    {
        if (units.Count == 0) return [];
        var zone = await zones.For(branchId, ct);
        var now = clock.GetUtcNow();
        var today = BranchTime.Today(now, zone);
        var perDay = (await policies.InForce(db, now, ct)).Get<int?>("shop.unitsPerRepairDay") is int p and > 0 ? p : 10;
        var from = units.Min(u => u.ReceivedOn);
        var to = units.Max(u => u.ReceivedOn);
        // Every unit that was open on one of the days these units came in: the depot's load on those days.
        var load = await db.Set<DepotUnit>().AsNoTracking().Where(u => u.BranchId == branchId && u.ReceivedOn <= to && (u.RepairedOn == null || u.RepairedOn >= from))
            .Select(u => new { u.ReceivedOn, u.RepairedOn }).ToListAsync(ct);
        var open = units.Select(u => u.ReceivedOn).Distinct()
            .ToDictionary(d => d, d => load.Count(l => l.ReceivedOn <= d && (l.RepairedOn is null || l.RepairedOn >= d)));
        var receiptIds = units.Select(u => u.ReceiptId).Distinct().ToList();
        var receipts = await db.Set<DepotReceipt>().AsNoTracking().Where(x => receiptIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, ct);
        return units.Select(u =>
        {
            var receipt = receipts[u.ReceiptId];
            var due = DueOn(u.ReceivedOn, Math.Max(1, open[u.ReceivedOn]), perDay);
            var overdue = u.RepairedOn is { } done ? done > due : today > due;
            return new DepotUnitDto(u.Id, u.ReceiptId, receipt.Number, receipt.WorkOrderId, receipt.CustomerName, receipt.CustomerPhone, JsonNames.Of(u.Kind),
                u.Product, u.SerialNumber, u.Fault, u.Accessories, JsonNames.Of(u.Status), u.ReceivedOn, due, overdue, BranchTime.Local(u.RegisteredAt, zone),
                BranchTime.Local(u.RepairedAt, zone), u.RepairNote, BranchTime.Local(u.CollectedAt, zone), BranchTime.Local(u.ReturnVisitDueAt, zone),
                u.CustomerBearsAllCosts, u.Version);
        }).ToList();
    }

    /// <summary>SHOP-01: receipt day + ceil(N / units per repair day) days.</summary>
    public static DateOnly DueOn(DateOnly received, int openUnits, int perDay) => received.AddDays((openUnits + perDay - 1) / perDay);
}
