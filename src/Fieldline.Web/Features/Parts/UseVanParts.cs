using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

/// <summary>
/// The parts a completion names come off the technician's van, in the completion's own save: a part of the catalogue
/// is a "use" line against the van (not enough on the van is a 409 naming the part, and the completion is not saved).
/// A number the catalogue does not know stays the free text it always was. A used part the catalogue marks must-return
/// is expected back at the warehouse (<see cref="OldPart"/>, PRT-01).
/// </summary>
public sealed class UseVanParts(AppDbContext db, StockLedger ledger, TimeProvider clock)
{
    public async Task Handle(long workOrderId, int technicianId, IEnumerable<(string PartNumber, int Quantity)> used, int byUserId, CancellationToken ct)
    {
        var lines = used.GroupBy(u => u.PartNumber, StringComparer.Ordinal).Select(g => (PartNumber: g.Key, Quantity: g.Sum(u => u.Quantity))).ToList();
        if (lines.Count == 0) return;
        var numbers = lines.Select(l => l.PartNumber).ToList();
        var parts = await db.Parts.Where(p => numbers.Contains(p.PartNumber)).ToDictionaryAsync(p => p.PartNumber, ct);
        if (parts.Count == 0) return;
        var van = await ledger.VanOf(technicianId, ct);
        if (van is null) return;
        foreach (var (number, quantity) in lines)
            if (parts.TryGetValue(number, out var part))
            {
                await ledger.Post(part, van, -quantity, StockMovementKind.Use, new MovementFacts(byUserId, WorkOrderId: workOrderId, UnitCost: part.UnitCost), ct);
                if (part.MustReturn)
                    db.OldParts.Add(new OldPart
                    {
                        BranchId = van.BranchId, WorkOrderId = workOrderId, TechnicianId = technicianId, PartId = part.Id, Quantity = quantity, ExpectedSince = clock.GetUtcNow(),
                    });
            }
    }
}
