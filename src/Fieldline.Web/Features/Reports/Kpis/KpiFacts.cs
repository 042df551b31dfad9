using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Kpis;

/// <summary>
/// What a fact can be sliced by: the technician it counts for, the product line, and the branch's local day. Every fact a
/// KPI reads has these three, so a per-technician, per-day or per-line figure is the same definition over fewer facts.
/// </summary>
public interface IKpiFact
{
    int? TechnicianId { get; }
    string? ProductLine { get; }
    DateOnly Day { get; }
}

public sealed record OrderFact(long Id, int BranchId, WorkOrderType Type, string? ProductLine, int? TechnicianId, DateOnly Day,
    DateTimeOffset CreatedAt, DateTimeOffset? CheckedInAt, DateTimeOffset? CompletedAt, bool EmptyTrip) : IKpiFact;

public sealed record VisitFact(long OrderId, string? ProductLine, int? TechnicianId, DateOnly Day, int Satisfaction) : IKpiFact;

public sealed record ClockFact(long OrderOrComplaintId, string Clock, bool IsTarget, bool Met, string? ProductLine, int? TechnicianId, DateOnly Day) : IKpiFact;

public sealed record ComplaintFact(long Id, long? OrderId, string? ProductLine, int? TechnicianId, DateOnly Day) : IKpiFact;

public sealed record MoneyFact(long OrderId, string? ProductLine, int? TechnicianId, DateOnly Day, decimal Amount) : IKpiFact;

public sealed record PayFact(PayLedgerKind Kind, decimal Amount, int? TechnicianId, DateOnly Day) : IKpiFact
{
    public string? ProductLine => null;
}

public sealed record LeakFact(long FindingId, long? OrderId, int? TechnicianId, string? ProductLine, DateOnly Day) : IKpiFact;

/// <summary>KPI-03: a technician's parts request (requisition) made in the period, and whether the warehouse issued it from stock.</summary>
public sealed record SupplyFact(long RequisitionId, int? TechnicianId, DateOnly Day, bool Issued) : IKpiFact
{
    public string? ProductLine => null;
}

/// <summary>KPI-04: a warranty claim submitted to the manufacturer in the period, and the manufacturer's answer so far.</summary>
public sealed record ClaimFact(long ClaimId, string? ProductLine, int? TechnicianId, DateOnly Day, bool Approved, bool Decided) : IKpiFact;

/// <summary>
/// The facts of one period [from, to) of the branches asked, each read by an index range of its own date column
/// (the orders' CreatedAt / CompletedAt / VisitedAt, the clocks' StartedAt, the complaints', penalty cases' and ledger
/// lines' times), so what a period costs grows with the period, not with the history.
/// </summary>
public sealed record KpiFacts(
    IReadOnlyList<OrderFact> Received,
    IReadOnlyList<OrderFact> Completed,
    IReadOnlySet<long> Repeated,
    IReadOnlyList<VisitFact> Visits,
    IReadOnlyList<ClockFact> Clocks,
    IReadOnlyList<ComplaintFact> Complaints,
    IReadOnlyList<MoneyFact> Charges,
    IReadOnlyList<PayFact> Pay,
    IReadOnlyList<LeakFact> Leaks,
    IReadOnlyList<SupplyFact> Supply,
    IReadOnlyList<ClaimFact> Claims)
{
    /// <summary>The same facts narrowed to one slice (a technician, a day, a product line).</summary>
    public KpiFacts Where(Func<IKpiFact, bool> keep)
    {
        List<T> Keep<T>(IEnumerable<T> facts) where T : IKpiFact => facts.Where(f => keep(f)).ToList();
        return new(Keep(Received), Keep(Completed), Repeated, Keep(Visits), Keep(Clocks), Keep(Complaints), Keep(Charges), Keep(Pay), Keep(Leaks), Keep(Supply), Keep(Claims));
    }

    public static KpiFacts Concat(IEnumerable<KpiFacts> parts)
    {
        var list = parts.ToList();
        return new(list.SelectMany(p => p.Received).ToList(), list.SelectMany(p => p.Completed).ToList(),
            list.SelectMany(p => p.Repeated).ToHashSet(), list.SelectMany(p => p.Visits).ToList(), list.SelectMany(p => p.Clocks).ToList(),
            list.SelectMany(p => p.Complaints).ToList(), list.SelectMany(p => p.Charges).ToList(), list.SelectMany(p => p.Pay).ToList(),
            list.SelectMany(p => p.Leaks).ToList(), list.SelectMany(p => p.Supply).ToList(), list.SelectMany(p => p.Claims).ToList());
    }
}

/// <summary>Reads the facts of one branch and period (the branch's local days [from, to)).</summary>
public sealed class KpiFactReader(AppDbContext db)
{

    public async Task<KpiFacts> Read(int branchId, TimeZoneInfo zone, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var start = SlaMath.At(from, TimeOnly.MinValue, zone);
        var end = SlaMath.At(to, TimeOnly.MinValue, zone);
        DateOnly Day(DateTimeOffset at) => BranchTime.Today(at, zone);
        var orders = db.WorkOrders.AsNoTracking().Where(o => o.BranchId == branchId);

        var received = (await orders.Where(o => o.CreatedAt >= start && o.CreatedAt < end)
                .Select(o => new { o.Id, o.Type, o.ProductLine, o.TechnicianId, o.CreatedAt, o.CheckedInAt, o.CompletedAt, o.EmptyTrip })
                .ToListAsync(ct))
            .Select(o => new OrderFact(o.Id, branchId, o.Type, o.ProductLine, o.TechnicianId, Day(o.CreatedAt), o.CreatedAt, o.CheckedInAt, o.CompletedAt, o.EmptyTrip))
            .ToList();
        var completed = (await orders.Where(o => o.CompletedAt >= start && o.CompletedAt < end && o.Status != WorkOrderStatus.Cancelled)
                .Select(o => new { o.Id, o.Type, o.ProductLine, o.TechnicianId, o.CreatedAt, o.CheckedInAt, o.CompletedAt, o.EmptyTrip })
                .ToListAsync(ct))
            .Select(o => new OrderFact(o.Id, branchId, o.Type, o.ProductLine, o.TechnicianId, Day(o.CompletedAt!.Value), o.CreatedAt, o.CheckedInAt, o.CompletedAt, o.EmptyTrip))
            .ToList();

        // KPI-02: an order was not fixed the first time when a later repair names it as the one it repeats (intake records
        // the link in the repeat's "created" entry, PEN-86). A repeat comes after the fix, so only entries since the period
        // began can name one of its orders: an index range of (Action, At).
        var repeatData = await db.Timeline.AsNoTracking()
            .Where(e => e.Action == "created" && e.At >= start && e.DataJson.Contains("\"repeatOf\":"))
            .Where(e => orders.Any(o => o.Id == e.WorkOrderId))
            .Select(e => e.DataJson).ToListAsync(ct);
        var repeated = repeatData.Select(RepeatOf).OfType<long>().ToHashSet();

        var visits = (await orders.Where(o => o.VisitedAt >= start && o.VisitedAt < end && o.Satisfaction != null)
                .Select(o => new { o.Id, o.ProductLine, o.TechnicianId, o.VisitedAt, o.Satisfaction }).ToListAsync(ct))
            .Select(o => new VisitFact(o.Id, o.ProductLine, o.TechnicianId, Day(o.VisitedAt!.Value), o.Satisfaction!.Value)).ToList();

        // KPI-13: a clock counts in the period it started in, once decided: met, or breached (stopped late, or still running
        // past its deadline). A clock still running within its time, exempt or cancelled is not counted.
        var clocks = (await db.SlaClocks.AsNoTracking().Where(c => c.BranchId == branchId && c.StartedAt >= start && c.StartedAt < end)
                .Where(c => c.State == ClockState.Met || c.State == ClockState.Breached || c.OverdueAt != null)
                .Select(c => new
                {
                    c.WorkOrderId, c.ComplaintId, c.Name, c.IsTarget, c.State, c.StartedAt,
                    Line = c.WorkOrder != null ? c.WorkOrder.ProductLine : c.Complaint != null && c.Complaint.WorkOrder != null ? c.Complaint.WorkOrder.ProductLine : null,
                    Tech = c.WorkOrder != null ? c.WorkOrder.TechnicianId : null,
                }).ToListAsync(ct))
            .Select(c => new ClockFact(c.WorkOrderId ?? -c.ComplaintId!.Value, c.Name, c.IsTarget, c.State == ClockState.Met, c.Line, c.Tech, Day(c.StartedAt)))
            .ToList();

        var techByUser = await db.Technicians.AsNoTracking().Where(t => t.BranchId == branchId).ToDictionaryAsync(t => t.UserId, t => t.Id, ct);
        int? Tech(int? userId) => userId is { } u && techByUser.TryGetValue(u, out var t) ? t : null;

        // KPI-01: complaints registered in the period, except those found groundless (rejected).
        var complaints = (await db.Complaints.AsNoTracking()
                .Where(c => c.BranchId == branchId && c.CreatedAt >= start && c.CreatedAt < end && c.Status != ComplaintStatus.Rejected)
                .Select(c => new { c.Id, c.WorkOrderId, c.PersonUserId, c.CreatedAt, Line = c.WorkOrder != null ? c.WorkOrder.ProductLine : null, OrderTech = c.WorkOrder != null ? c.WorkOrder.TechnicianId : null })
                .ToListAsync(ct))
            .Select(c => new ComplaintFact(c.Id, c.WorkOrderId, c.Line, Tech(c.PersonUserId) ?? c.OrderTech, Day(c.CreatedAt))).ToList();

        // KPI-09: the charges of the orders completed in the period (summed here: SQLite cannot sum decimals in SQL).
        var charges = (await orders.Where(o => o.CompletedAt >= start && o.CompletedAt < end && o.Status != WorkOrderStatus.Cancelled)
                .Join(db.Set<WorkOrderCharge>(), o => o.Id, c => c.WorkOrderId, (o, c) => new { o.Id, o.ProductLine, o.TechnicianId, o.CompletedAt, c.Amount })
                .ToListAsync(ct))
            .Select(c => new MoneyFact(c.Id, c.ProductLine, c.TechnicianId, Day(c.CompletedAt!.Value), c.Amount)).ToList();

        var pay = (await db.PayLedger.AsNoTracking().Where(p => p.BranchId == branchId && p.PostedAt >= start && p.PostedAt < end)
                .Select(p => new { p.Kind, p.Amount, p.PersonUserId, p.PostedAt }).ToListAsync(ct))
            .Select(p => new PayFact(p.Kind, p.Amount, Tech(p.PersonUserId), Day(p.PostedAt))).ToList();

        // KPI-12 / INS-30: the leaks found in the period (LeakFinding, one per repair order), counted against the installer
        // and the installation's product line; a finding whose chargeback was dismissed on appeal does not count.
        var leaks = (await db.LeakFindings.AsNoTracking()
                .Where(l => l.BranchId == branchId && l.FoundAt >= start && l.FoundAt < end && (l.Case == null || l.Case.State != PenaltyState.Dismissed))
                .Join(db.WorkOrders, l => l.InstallOrderId, o => o.Id, (l, o) => new { l.Id, l.InstallOrderId, l.InstallerUserId, o.ProductLine, l.FoundAt })
                .ToListAsync(ct))
            .Select(l => new LeakFact(l.Id, l.InstallOrderId, Tech(l.InstallerUserId), l.ProductLine, Day(l.FoundAt))).ToList();

        // KPI-03: the parts requests made in the period, met from stock when the warehouse issued them.
        var supply = (await db.Requisitions.AsNoTracking().Where(r => r.BranchId == branchId && r.RequestedAt >= start && r.RequestedAt < end)
                .Select(r => new { r.Id, r.TechnicianId, r.RequestedAt, r.Status }).ToListAsync(ct))
            .Select(r => new SupplyFact(r.Id, r.TechnicianId, Day(r.RequestedAt), r.Status == Parts.RequisitionStatus.Issued)).ToList();

        // KPI-04: the warranty claims submitted to the manufacturer in the period; approved ÷ submitted.
        var claims = (await db.Set<Claims.WarrantyClaim>().AsNoTracking().Where(c => c.BranchId == branchId && c.SubmittedAt >= start && c.SubmittedAt < end)
                .Join(db.WorkOrders, c => c.WorkOrderId, o => o.Id, (c, o) => new { c.Id, o.ProductLine, o.TechnicianId, c.SubmittedAt, c.Status })
                .ToListAsync(ct))
            .Select(c => new ClaimFact(c.Id, c.ProductLine, c.TechnicianId, Day(c.SubmittedAt), c.Status == Claims.WarrantyClaimStatus.Approved,
                c.Status != Claims.WarrantyClaimStatus.Submitted)).ToList();

        return new KpiFacts(received, completed, repeated, visits, clocks, complaints, charges, pay, leaks, supply, claims);
    }

    private static long? RepeatOf(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty("repeatOf", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.Number && r.TryGetInt64(out var id) ? id : null;
    }
}
