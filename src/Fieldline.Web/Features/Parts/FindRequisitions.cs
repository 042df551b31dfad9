using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

/// <summary>Requisitions: the keeper sees the branch's (waiting ones first), a technician only their own.</summary>
public sealed class FindRequisitions(AppDbContext db, BranchZones zones)
{
    public async Task<IReadOnlyList<RequisitionDto>> List(CurrentUser user, string? status, CancellationToken ct)
    {
        user.RequireAny("see requisitions", [.. StockLedger.Keepers, Roles.Technician]);
        var v = new Validator();
        var wanted = v.Enum<RequisitionStatus>(status, "status", required: false, kind: "requisitionStatus");
        v.ThrowIfInvalid();
        var query = db.Requisitions.AsNoTracking();
        var (headOffice, branch) = (user.IsHeadOffice, user.BranchId);
        if (user.IsAny(StockLedger.Keepers)) query = query.Where(r => headOffice || r.BranchId == branch);
        else
        {
            var own = await db.Technicians.Where(t => t.UserId == user.UserId).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);
            query = query.Where(r => r.TechnicianId == own);
        }
        if (wanted is { } s) query = query.Where(r => r.Status == s);
        return await Dtos(query.OrderBy(r => r.Status).ThenByDescending(r => r.Id).Take(200), ct);
    }

    internal async Task<IReadOnlyList<RequisitionDto>> Dtos(IQueryable<Requisition> query, CancellationToken ct)
    {
        var rows = await query.Include(r => r.Lines).ToListAsync(ct);
        var partIds = rows.SelectMany(r => r.Lines.Select(l => l.PartId)).Distinct().ToList();
        var parts = await db.Parts.AsNoTracking().Where(p => partIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var techIds = rows.Select(r => r.TechnicianId).Distinct().ToList();
        var names = await db.Technicians.AsNoTracking().Where(t => techIds.Contains(t.Id)).Select(t => new { t.Id, t.User!.DisplayName }).ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);
        var orderIds = rows.Where(r => r.WorkOrderId is not null).Select(r => r.WorkOrderId!.Value).Distinct().ToList();
        var codes = await db.WorkOrders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Code, ct);
        var zoneOf = new Dictionary<int, TimeZoneInfo>();
        foreach (var b in rows.Select(r => r.BranchId).Distinct()) zoneOf[b] = await zones.For(b, ct);
        return rows.Select(r => new RequisitionDto(r.Id, r.TechnicianId, names.GetValueOrDefault(r.TechnicianId, ""), r.WorkOrderId,
            r.WorkOrderId is { } o ? codes.GetValueOrDefault(o) : null, JsonNames.Of(r.Status), r.Note, BranchTime.Local(r.RequestedAt, zoneOf[r.BranchId]), BranchTime.Local(r.IssuedAt, zoneOf[r.BranchId]),
            r.Lines.Select(l => new RequisitionLineDto(parts[l.PartId].PartNumber, parts[l.PartId].Name, l.Quantity)).ToList(), r.Version)).ToList();
    }
}
