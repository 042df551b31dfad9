using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

/// <summary>Old parts: the keeper sees the branch's (expected first), a technician their own.</summary>
public sealed class FindOldParts(AppDbContext db, BranchZones zones)
{
    public async Task<IReadOnlyList<OldPartDto>> List(CurrentUser user, string? status, CancellationToken ct)
    {
        user.RequireAny("see old parts", [.. ReceiveOldPart.Receivers, Roles.Admin, Roles.Technician]);
        var v = new Validator();
        var wanted = v.Enum<OldPartStatus>(status, "status", required: false, kind: "oldPartStatus");
        v.ThrowIfInvalid();
        var query = db.OldParts.AsNoTracking();
        var (headOffice, branch) = (user.IsHeadOffice, user.BranchId);
        if (user.IsAny([.. ReceiveOldPart.Receivers, Roles.Admin])) query = query.Where(p => headOffice || p.BranchId == branch);
        else
        {
            var own = await db.Technicians.Where(t => t.UserId == user.UserId).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);
            query = query.Where(p => p.TechnicianId == own);
        }
        if (wanted is { } s) query = query.Where(p => p.Status == s);
        return await Dtos(query.OrderBy(p => p.Status).ThenBy(p => p.Id).Take(500), ct);
    }

    internal async Task<IReadOnlyList<OldPartDto>> Dtos(IQueryable<OldPart> query, CancellationToken ct)
    {
        var rows = await query.ToListAsync(ct);
        var partIds = rows.Select(r => r.PartId).Distinct().ToList();
        var parts = await db.Parts.AsNoTracking().Where(p => partIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var techIds = rows.Select(r => r.TechnicianId).Distinct().ToList();
        var names = await db.Technicians.AsNoTracking().Where(t => techIds.Contains(t.Id)).Select(t => new { t.Id, t.User!.DisplayName }).ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);
        var orderIds = rows.Select(r => r.WorkOrderId).Distinct().ToList();
        var codes = await db.WorkOrders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Code, ct);
        var zoneOf = new Dictionary<int, TimeZoneInfo>();
        foreach (var b in rows.Select(r => r.BranchId).Distinct()) zoneOf[b] = await zones.For(b, ct);
        return rows.Select(r => new OldPartDto(r.Id, r.WorkOrderId, codes.GetValueOrDefault(r.WorkOrderId, ""), r.TechnicianId, names.GetValueOrDefault(r.TechnicianId, ""),
            parts[r.PartId].PartNumber, parts[r.PartId].Name, r.Quantity, JsonNames.Of(r.Status), r.Genuine, r.Condition,
            BranchTime.Local(r.ExpectedSince, zoneOf[r.BranchId]), BranchTime.Local(r.ReceivedAt, zoneOf[r.BranchId]), r.Version)).ToList();
    }
}
