using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Dispatch;

public sealed record OverdueByClock(string Clock, int Orders);

/// <summary>Today in a branch (its own calendar day): received, dispatched, on site now, completed, and what is overdue now, per clock (complaints' resolve clocks included; 'Overdue' counts orders).</summary>
public sealed record TodayDto(int? BranchId, DateOnly Day, DateTimeOffset Now, int Received, int Dispatched, int OnSite, int Completed,
    int Unassigned, int Overdue, IReadOnlyList<OverdueByClock> OverdueByClock, int PenaltyCasesProposed);

public sealed class SummariseToday(AppDbContext db, BranchZones zones, TimeProvider clock)
{
    public async Task<TodayDto> Handle(CurrentUser user, int? branchId, CancellationToken ct)
    {
        user.RequireAny("see today's figures", Roles.Office);
        // Head office sees the company unless it picks a branch; a branch sees itself.
        int? branch = user.IsHeadOffice ? branchId : user.BranchId;
        if (branchId is { } asked && !user.CanSeeBranch(asked)) throw new NotFoundException("Branch", asked);
        var zone = await zones.For(branch ?? user.BranchId, ct);
        var now = clock.GetUtcNow();
        var day = BranchTime.Today(now, zone);
        var start = SlaMath.At(day, new TimeOnly(0, 0), zone);

        // Each figure is an index range of today or of what is open now, never a pass over the history: head office names
        // its branches so that the branch-first indexes serve it too (SummariseToday in QueryPlanTests).
        var branches = branch is { } one ? [one] : await db.Branches.Select(b => b.Id).ToListAsync(ct);
        var orders = db.WorkOrders.AsNoTracking().Where(o => branches.Contains(o.BranchId));
        var received = await orders.CountAsync(o => o.CreatedAt >= start, ct);
        var dispatched = await db.Timeline.AsNoTracking()
            .Where(e => (e.Action == "dispatched" || e.Action == "transferred" || e.Action == "taken") && e.At >= start)
            .Where(e => orders.Any(o => o.Id == e.WorkOrderId)).Select(e => e.WorkOrderId).Distinct().CountAsync(ct);
        var onSite = await orders.CountAsync(o => o.Status == WorkOrderStatus.InProgress, ct);
        var completed = await orders.CountAsync(o => o.CompletedAt >= start, ct);
        var unassigned = await orders.CountAsync(o => o.Status == WorkOrderStatus.New || o.Status == WorkOrderStatus.Returned, ct);
        var late = db.SlaClocks.AsNoTracking().Where(c => c.State == ClockState.Running && c.DueAt <= now && !c.IsTarget && branches.Contains(c.BranchId));
        var overdue = await late.GroupBy(c => c.Name).Select(g => new OverdueByClock(g.Key, g.Select(c => c.WorkOrderId ?? -c.ComplaintId!.Value).Distinct().Count())).ToListAsync(ct);
        var overdueOrders = await late.Where(c => c.WorkOrderId != null).Select(c => c.WorkOrderId).Distinct().CountAsync(ct);
        var proposed = await db.PenaltyCases.AsNoTracking().CountAsync(c => branches.Contains(c.BranchId) && c.State == PenaltyState.Proposed, ct);
        return new TodayDto(branch, day, BranchTime.Local(now, zone), received, dispatched, onSite, completed, unassigned, overdueOrders,
            overdue.OrderByDescending(o => o.Orders).ToList(), proposed);
    }
}
