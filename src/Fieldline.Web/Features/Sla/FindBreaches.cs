using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Sla;

/// <summary>A breach of a work order's clock (workOrderId, workOrderCode) or of a complaint's resolve clock (complaintId).</summary>
public sealed record BreachDto(long Id, long? WorkOrderId, string? WorkOrderCode, long? ComplaintId, string Clock, string RuleId, bool IsTarget, int? ResponsibleUserId,
    string ResponsibleRole, DateTimeOffset DueAt, DateTimeOffset DetectedAt, DateTimeOffset? ActualAt, double? LateMinutes);

public sealed record BreachQuery(long? WorkOrderId, long? ComplaintId, int? PersonUserId, string? Clock, bool? Mine, bool? IncludeTargets, DateTimeOffset? From, DateTimeOffset? To, int? Page, int? PageSize);

/// <summary>The breach records, for the dispatcher's screens, reports and a technician's own month.</summary>
public sealed class FindBreaches(AppDbContext db, BranchZones zones)
{
    public async Task<Page<BreachDto>> Handle(CurrentUser user, BreachQuery q, CancellationToken ct)
    {
        var (skip, take) = Paging.Check(q.Page, q.PageSize);
        var query = db.SlaBreaches.AsNoTracking();
        if (q.Mine == true || user.IsOnlyTechnician) query = query.Where(b => b.ResponsibleUserId == user.UserId);
        else
        {
            user.RequireAny("read SLA breaches", Roles.Office);
            if (!user.IsHeadOffice) query = query.Where(b => b.BranchId == user.BranchId);
        }
        if (q.WorkOrderId is { } wo) query = query.Where(b => b.WorkOrderId == wo);
        if (q.ComplaintId is { } complaint) query = query.Where(b => b.ComplaintId == complaint);
        if (q.PersonUserId is { } person) query = query.Where(b => b.ResponsibleUserId == person);
        if (!string.IsNullOrEmpty(q.Clock)) query = query.Where(b => b.Clock == q.Clock);
        if (q.IncludeTargets != true) query = query.Where(b => !b.IsTarget);
        if (q.From is { } from) query = query.Where(b => b.DetectedAt >= from.ToUniversalTime());
        if (q.To is { } to) query = query.Where(b => b.DetectedAt < to.ToUniversalTime());
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(b => b.DetectedAt).ThenByDescending(b => b.Id).Skip(skip).Take(take)
            .Select(b => new { Breach = b, Code = db.WorkOrders.Where(o => o.Id == b.WorkOrderId).Select(o => o.Code).FirstOrDefault() }).ToListAsync(ct);
        var items = new List<BreachDto>(rows.Count);
        foreach (var r in rows)
        {
            var zone = await zones.For(r.Breach.BranchId, ct);
            var b = r.Breach;
            items.Add(new BreachDto(b.Id, b.WorkOrderId, r.Code, b.ComplaintId, b.Clock, b.RuleId, b.IsTarget, b.ResponsibleUserId, b.ResponsibleRole,
                BranchTime.Local(b.DueAt, zone), BranchTime.Local(b.DetectedAt, zone), BranchTime.Local(b.ActualAt, zone),
                b.ActualAt is { } a ? Math.Round((a - b.DueAt).TotalMinutes, 1) : null));
        }
        return new Page<BreachDto>(items, total);
    }
}
