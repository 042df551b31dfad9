using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

/// <summary>
/// The keeper issues a requisition: every line moves from the branch warehouse to the technician's van in one save
/// (an issue line out, an issue line in, each naming the requisition and its order). Not enough in the warehouse for
/// any line is a 409 naming the part, and nothing moves; a requisition is issued once, and not while the technician owes
/// out-of-warranty parts cost (FEE-12).
/// </summary>
public sealed class IssueRequisition(AppDbContext db, StockLedger ledger, TimeProvider clock, FindRequisitions find, PartsCostOwed owed)
{
    public async Task<RequisitionDto> Handle(CurrentUser user, long id, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("issue parts", StockLedger.Keepers);
        var requisition = await db.Requisitions.Include(r => r.Lines).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (requisition is null || !user.CanSeeBranch(requisition.BranchId)) throw new NotFoundException("Requisition", id);
        Concurrency.Check(Msg.Of("Requisition {0}", id), requisition.Version, null, ifMatch);
        await owed.Check(requisition.TechnicianId, ct); // FEE-12: owed when it was asked for, or since
        requisition.Issue(user.UserId, clock.GetUtcNow());
        var warehouse = await ledger.Warehouse(requisition.BranchId, ct);
        var van = await ledger.VanOf(requisition.TechnicianId, ct) ?? throw new NotFoundException("Requisition", id);
        var partIds = requisition.Lines.Select(l => l.PartId).ToList();
        var parts = await db.Parts.Where(p => partIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        foreach (var line in requisition.Lines)
        {
            var facts = new MovementFacts(user.UserId, WorkOrderId: requisition.WorkOrderId, RequisitionId: requisition.Id);
            await ledger.Post(parts[line.PartId], warehouse, -line.Quantity, StockMovementKind.Issue, facts with { OtherLocationId = van.Id }, ct);
            await ledger.Post(parts[line.PartId], van, line.Quantity, StockMovementKind.Issue, facts with { OtherLocationId = warehouse.Id }, ct);
        }
        await db.SaveChangesAsync(ct);
        return (await find.Dtos(db.Requisitions.AsNoTracking().Where(x => x.Id == requisition.Id), ct)).Single();
    }
}
