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

/// <summary>
/// KPI-11 / KPI-08 / DSP-27: the orders received (by CreatedAt) or completed (by CompletedAt) in one bucket — a type,
/// product line, technician and local day — counted in the database: <c>Count</c> orders, of which <c>Timed</c> have an
/// arrival; <c>WaitMs</c> the sum of call → arrival and <c>RepairMs</c> of arrival → completion over those (completed only).
/// </summary>
public sealed record OrderFact(WorkOrderType Type, string? ProductLine, int? TechnicianId, DateOnly Day, bool EmptyTrip, int Count,
    int Timed = 0, long WaitMs = 0, long RepairMs = 0) : IKpiFact;

/// <summary>KPI-02: of the repairs completed in the bucket (not empty trips), how many a later repair names as the one it repeats.</summary>
public sealed record RepeatFact(string? ProductLine, int? TechnicianId, DateOnly Day, int Count) : IKpiFact;

/// <summary>KPI-07: the return visits made in the bucket with a satisfaction score, and the scores' sum.</summary>
public sealed record VisitFact(string? ProductLine, int? TechnicianId, DateOnly Day, int Count, int Satisfaction) : IKpiFact;

/// <summary>KPI-13: the decided deadlines of one clock started in the bucket, and how many were met.</summary>
public sealed record ClockFact(string Clock, string? ProductLine, int? TechnicianId, DateOnly Day, int Count, int Met) : IKpiFact;

public sealed record ComplaintFact(string? ProductLine, int? TechnicianId, DateOnly Day, int Count) : IKpiFact;

/// <summary>KPI-09: what the orders completed in the bucket charged.</summary>
public sealed record MoneyFact(string? ProductLine, int? TechnicianId, DateOnly Day, decimal Amount) : IKpiFact;

/// <summary>The pay ledger's lines of one pay month (<paramref name="Day"/>: its first day) and kind; a reversal with the kind of the line it reverses.</summary>
public sealed record PayFact(PayLedgerKind Kind, decimal Amount, int? TechnicianId, DateOnly Day, PayLedgerKind? Reverses = null) : IKpiFact
{
    public string? ProductLine => null;

    /// <summary>A fine, or an appeal giving part of one back.</summary>
    public bool IsFine => Kind == PayLedgerKind.Fine || (Kind == PayLedgerKind.Reversal && Reverses == PayLedgerKind.Fine);

    /// <summary>A bonus or subsidy, or a daily bonus taken back (a reversal of a bonus) or paid back (a reversal of that take-back).</summary>
    public bool IsBonus => Kind is PayLedgerKind.Bonus or PayLedgerKind.Subsidy
        || (Kind == PayLedgerKind.Reversal && Reverses is PayLedgerKind.Bonus or PayLedgerKind.Subsidy or PayLedgerKind.Reversal);
}

public sealed record LeakFact(int? TechnicianId, string? ProductLine, DateOnly Day, int Count) : IKpiFact;

/// <summary>KPI-03: the technicians' parts requests (requisitions) made in the bucket, and how many the warehouse issued from stock.</summary>
public sealed record SupplyFact(int? TechnicianId, DateOnly Day, int Count, int Issued) : IKpiFact
{
    public string? ProductLine => null;
}

/// <summary>KPI-04: the warranty claims submitted to the manufacturer in the bucket, how many were approved and how many answered so far.</summary>
public sealed record ClaimFact(string? ProductLine, int? TechnicianId, DateOnly Day, int Count, int Approved, int Decided) : IKpiFact;

/// <summary>
/// How finely a period's facts are bucketed: <c>Total</c> — the period's figures only (the previous period beside a
/// report, the API without a grouping): the clocks are counted per clock alone, without looking up each clock's order;
/// <c>Period</c> — per technician and product line too (a ranking, a per-line view, an assessment); <c>Day</c> — and per
/// local day (the dashboard's days and sparklines, <c>groupBy=day</c>).
/// </summary>
public enum KpiGrain { Total, Period, Day }

/// <summary>
/// Which kinds of facts a reader needs: each is a GROUP BY over the period's rows, so a caller that reads three kinds
/// (the assessment: clocks, complaints, return visits) does not pay for the other eight. A kind not asked for is empty.
/// </summary>
[Flags]
public enum KpiFactKinds
{
    None = 0,
    Received = 1, Completed = 2, Repeats = 4, Visits = 8, Clocks = 16, Complaints = 32, Charges = 64, Pay = 128, Leaks = 256, Supply = 512, Claims = 1024,
    All = Received | Completed | Repeats | Visits | Clocks | Complaints | Charges | Pay | Leaks | Supply | Claims,
}

/// <summary>
/// The facts of one period [from, to) of the branches asked — not rows but the database's counts and sums per bucket
/// (technician, product line, local day at <see cref="KpiGrain.Day"/>, and what a fact's definitions tell apart), each
/// read by an index range of its own date column (the orders' CreatedAt / CompletedAt / VisitedAt, the clocks' StartedAt,
/// the complaints' and penalty cases' times, the ledger lines' pay month), so what a period costs grows with the period, not with the
/// history, and the process holds a few buckets per technician and day, never the period's orders.
/// </summary>
public sealed record KpiFacts(
    IReadOnlyList<OrderFact> Received,
    IReadOnlyList<OrderFact> Completed,
    IReadOnlyList<RepeatFact> Repeats,
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
        return new(Keep(Received), Keep(Completed), Keep(Repeats), Keep(Visits), Keep(Clocks), Keep(Complaints), Keep(Charges), Keep(Pay), Keep(Leaks), Keep(Supply), Keep(Claims));
    }

    /// <summary>
    /// The facts sliced by a key (a technician, a day, a product line) in one pass: the same as <see cref="Where"/> per key,
    /// without reading every fact once per key.
    /// </summary>
    public Func<TKey, KpiFacts> By<TKey>(Func<IKpiFact, TKey> key)
    {
        ILookup<TKey, T> L<T>(IEnumerable<T> facts) where T : IKpiFact => facts.ToLookup(f => key(f));
        var (r, c, rp, v, cl, co, ch, p, l, s, cm) = (L(Received), L(Completed), L(Repeats), L(Visits), L(Clocks), L(Complaints), L(Charges), L(Pay), L(Leaks), L(Supply), L(Claims));
        return k => new(r[k].ToList(), c[k].ToList(), rp[k].ToList(), v[k].ToList(), cl[k].ToList(), co[k].ToList(), ch[k].ToList(), p[k].ToList(),
            l[k].ToList(), s[k].ToList(), cm[k].ToList());
    }

    public static KpiFacts Concat(IEnumerable<KpiFacts> parts)
    {
        var list = parts.ToList();
        return new(list.SelectMany(p => p.Received).ToList(), list.SelectMany(p => p.Completed).ToList(),
            list.SelectMany(p => p.Repeats).ToList(), list.SelectMany(p => p.Visits).ToList(), list.SelectMany(p => p.Clocks).ToList(),
            list.SelectMany(p => p.Complaints).ToList(), list.SelectMany(p => p.Charges).ToList(), list.SelectMany(p => p.Pay).ToList(),
            list.SelectMany(p => p.Leaks).ToList(), list.SelectMany(p => p.Supply).ToList(), list.SelectMany(p => p.Claims).ToList());
    }
}

/// <summary>
/// Reads the facts of one branch and period (the branch's local days [from, to)): one GROUP BY per kind of fact and span of
/// one UTC offset (<see cref="KpiSql.Spans"/>; one span in a zone without summer time), so the database counts and the
/// process receives a few small rows per bucket.
/// </summary>
public sealed class KpiFactReader(AppDbContext db)
{
    /// <param name="sliceClocks">false: the clocks are counted per clock only, whatever the grain (the dashboard shows the
    /// on-time rates of the period, not per technician or day), so no clock's order is looked up.</param>
    /// <param name="kinds">The kinds of facts to read; the others are empty (all by default).</param>
    public async Task<KpiFacts> Read(int branchId, TimeZoneInfo zone, DateOnly from, DateOnly to, CancellationToken ct, KpiGrain grain = KpiGrain.Period,
        bool sliceClocks = true, KpiFactKinds kinds = KpiFactKinds.All)
    {
        var spans = KpiSql.Spans(zone, from, to);
        // Per day: (ms since 1970 + the zone's offset) / a day's ms is the local day. For the period as one bucket the
        // divisor is larger than any time, so every row falls into the same bucket.
        var unit = grain == KpiGrain.Day ? KpiSql.DayMs : long.MaxValue / 4;
        DateOnly Day(long? bucket) => grain == KpiGrain.Day ? KpiSql.Day(bucket) : from;
        async Task<List<T>> Each<T>(Func<DateTimeOffset, DateTimeOffset, long, Task<List<T>>> read, KpiFactKinds kind)
        {
            var all = new List<T>();
            if (!kinds.HasFlag(kind)) return all;
            foreach (var s in spans) all.AddRange(await read(s.Start, s.End, s.OffsetMs));
            return all;
        }
        var orders = db.WorkOrders.AsNoTracking().Where(o => o.BranchId == branchId);

        var received = await Each(async (start, end, offset) => (await orders.Where(o => o.CreatedAt >= start && o.CreatedAt < end)
                .GroupBy(o => new { o.Type, o.ProductLine, o.TechnicianId, Day = (KpiSql.Ms(o.CreatedAt) + offset) / unit })
                .Select(g => new { g.Key.Type, g.Key.ProductLine, g.Key.TechnicianId, g.Key.Day, Count = g.Count() })
                .ToListAsync(ct))
            .Select(g => new OrderFact(g.Type, g.ProductLine, g.TechnicianId, Day(g.Day), false, g.Count)).ToList(), KpiFactKinds.Received);

        var completed = await Each(async (start, end, offset) => (await orders
                .Where(o => o.CompletedAt >= start && o.CompletedAt < end && o.Status != WorkOrderStatus.Cancelled)
                .GroupBy(o => new { o.Type, o.ProductLine, o.TechnicianId, o.EmptyTrip, Day = (KpiSql.Ms(o.CompletedAt) + offset) / unit })
                .Select(g => new
                {
                    g.Key.Type, g.Key.ProductLine, g.Key.TechnicianId, g.Key.EmptyTrip, g.Key.Day, Count = g.Count(),
                    Timed = g.Count(o => o.CheckedInAt != null),
                    Wait = g.Sum(o => KpiSql.Ms(o.CheckedInAt) - KpiSql.Ms(o.CreatedAt)),
                    Repair = g.Sum(o => KpiSql.Ms(o.CompletedAt) - KpiSql.Ms(o.CheckedInAt)),
                })
                .ToListAsync(ct))
            .Select(g => new OrderFact(g.Type, g.ProductLine, g.TechnicianId, Day(g.Day), g.EmptyTrip, g.Count, g.Timed, g.Wait ?? 0, g.Repair ?? 0)).ToList(), KpiFactKinds.Completed);

        // KPI-02: an order was not fixed the first time when a later repair of the branch names it as the one it repeats
        // (intake records the link, PEN-86: WorkOrder.RepeatOfId) — a probe of a partial index per completed repair.
        var repeats = await Each(async (start, end, offset) => (await orders
                .Where(o => o.CompletedAt >= start && o.CompletedAt < end && o.Status != WorkOrderStatus.Cancelled
                    && o.Type == WorkOrderType.Repair && !o.EmptyTrip
                    && db.WorkOrders.Any(r => r.RepeatOfId == o.Id && r.BranchId == branchId))
                .GroupBy(o => new { o.ProductLine, o.TechnicianId, Day = (KpiSql.Ms(o.CompletedAt) + offset) / unit })
                .Select(g => new { g.Key.ProductLine, g.Key.TechnicianId, g.Key.Day, Count = g.Count() })
                .ToListAsync(ct))
            .Select(g => new RepeatFact(g.ProductLine, g.TechnicianId, Day(g.Day), g.Count)).ToList(), KpiFactKinds.Repeats);

        var visits = await Each(async (start, end, offset) => (await orders.Where(o => o.VisitedAt >= start && o.VisitedAt < end && o.Satisfaction != null)
                .GroupBy(o => new { o.ProductLine, o.TechnicianId, Day = (KpiSql.Ms(o.VisitedAt) + offset) / unit })
                .Select(g => new { g.Key.ProductLine, g.Key.TechnicianId, g.Key.Day, Count = g.Count(), Sum = g.Sum(o => o.Satisfaction) })
                .ToListAsync(ct))
            .Select(g => new VisitFact(g.ProductLine, g.TechnicianId, Day(g.Day), g.Count, g.Sum ?? 0)).ToList(), KpiFactKinds.Visits);

        // KPI-13: a clock counts in the period it started in, once decided: met, or breached (stopped late, or still running
        // past its deadline). A clock still running within its time, exempt or cancelled is not counted.
        var decided = db.SlaClocks.AsNoTracking().Where(c => c.BranchId == branchId)
            .Where(c => c.State == ClockState.Met || c.State == ClockState.Breached || c.OverdueAt != null);
        // Per clock only: from the hourly counts the database keeps (ClockHour) when the period's spans start and end on
        // whole UTC hours (every whole-hour zone), else from the clocks themselves.
        // A count is its folded row plus the changes not folded yet, read in one statement (a fold in between cannot
        // move a change from one to the other unseen).
        var clocks = grain == KpiGrain.Total || !sliceClocks
            ? await Each(async (start, end, offset) => (WholeHours(start, end) is var (fromHour, toHour)
                    ? await db.Set<ClockHour>().AsNoTracking()
                        .Where(h => h.BranchId == branchId && h.Hour >= fromHour && h.Hour < toHour)
                        .Select(h => new { h.Name, h.Decided, h.Met })
                        .Concat(db.Set<ClockHourChange>().AsNoTracking()
                            .Where(h => h.BranchId == branchId && h.Hour >= fromHour && h.Hour < toHour)
                            .Select(h => new { h.Name, h.Decided, h.Met }))
                        .GroupBy(h => h.Name)
                        .Select(g => new { Name = g.Key, Count = g.Sum(h => h.Decided), Met = g.Sum(h => h.Met) })
                        .Where(g => g.Count != 0)
                        .ToListAsync(ct)
                    : await decided.Where(c => c.StartedAt >= start && c.StartedAt < end)
                        .GroupBy(c => c.Name)
                        .Select(g => new { Name = g.Key, Count = g.Count(), Met = g.Count(c => c.State == ClockState.Met) })
                        .ToListAsync(ct))
                // Of no technician, line or day (DateOnly.MinValue): a slice by any of them holds none of these clocks.
                .Select(g => new ClockFact(g.Name, null, null, DateOnly.MinValue, g.Count, g.Met)).ToList(), KpiFactKinds.Clocks)
            : await Each(async (start, end, offset) => (await decided.Where(c => c.StartedAt >= start && c.StartedAt < end)
                .Select(c => new
                {
                    c.Name, Met = c.State == ClockState.Met, c.StartedAt,
                    Line = c.WorkOrder != null ? c.WorkOrder.ProductLine : c.Complaint != null && c.Complaint.WorkOrder != null ? c.Complaint.WorkOrder.ProductLine : null,
                    Tech = c.WorkOrder != null ? c.WorkOrder.TechnicianId : null,
                })
                .GroupBy(c => new { c.Name, c.Line, c.Tech, Day = (KpiSql.Ms(c.StartedAt) + offset) / unit })
                .Select(g => new { g.Key.Name, g.Key.Line, g.Key.Tech, g.Key.Day, Count = g.Count(), Met = g.Count(c => c.Met) })
                .ToListAsync(ct))
            .Select(g => new ClockFact(g.Name, g.Line, g.Tech, Day(g.Day), g.Count, g.Met)).ToList(), KpiFactKinds.Clocks);

        var techByUser = await db.Technicians.AsNoTracking().Where(t => t.BranchId == branchId).ToDictionaryAsync(t => t.UserId, t => t.Id, ct);
        int? Tech(int? userId) => userId is { } u && techByUser.TryGetValue(u, out var t) ? t : null;

        // KPI-01: complaints registered in the period, except those found groundless (rejected); against the person named,
        // else the order's technician.
        var complaints = await Each(async (start, end, offset) => (await db.Complaints.AsNoTracking()
                .Where(c => c.BranchId == branchId && c.CreatedAt >= start && c.CreatedAt < end && c.Status != ComplaintStatus.Rejected)
                .Select(c => new { c.PersonUserId, c.CreatedAt, Line = c.WorkOrder != null ? c.WorkOrder.ProductLine : null, OrderTech = c.WorkOrder != null ? c.WorkOrder.TechnicianId : null })
                .GroupBy(c => new { c.PersonUserId, c.Line, c.OrderTech, Day = (KpiSql.Ms(c.CreatedAt) + offset) / unit })
                .Select(g => new { g.Key.PersonUserId, g.Key.Line, g.Key.OrderTech, g.Key.Day, Count = g.Count() })
                .ToListAsync(ct))
            .Select(c => new ComplaintFact(c.Line, Tech(c.PersonUserId) ?? c.OrderTech, Day(c.Day), c.Count)).ToList(), KpiFactKinds.Complaints);

        // KPI-09: the charges of the orders completed in the period (decimals summed by the database: ef_sum on SQLite).
        var charges = await Each(async (start, end, offset) => (await orders
                .Where(o => o.CompletedAt >= start && o.CompletedAt < end && o.Status != WorkOrderStatus.Cancelled)
                .Join(db.Set<WorkOrderCharge>(), o => o.Id, c => c.WorkOrderId, (o, c) => new { o.ProductLine, o.TechnicianId, o.CompletedAt, c.Amount })
                .GroupBy(c => new { c.ProductLine, c.TechnicianId, Day = (KpiSql.Ms(c.CompletedAt) + offset) / unit })
                .Select(g => new { g.Key.ProductLine, g.Key.TechnicianId, g.Key.Day, Amount = g.Sum(c => c.Amount) })
                .ToListAsync(ct))
            .Select(c => new MoneyFact(c.ProductLine, c.TechnicianId, Day(c.Day), c.Amount)).ToList(), KpiFactKinds.Charges);

        // The fines and bonuses of a period are the pay ledger's, by its pay month (the line's Period), not by when a line
        // was posted: the month close posts a month's bonuses on the next month's first day, and a fine confirmed after the
        // close goes to the next open month, so posting time never matched the ledger of the month a report is about. A
        // line belongs to the first day of its pay month: a period of whole months holds exactly those months' ledgers; a
        // shorter one holds the pay months that begin within it (month-to-date: the month's ledger so far; a period from
        // the 15th: none of that month's lines, which are its own month's). A reversal counts with what it reverses: an
        // appeal's with the fines, a daily bonus taken back or paid back with the bonuses.
        var pay = kinds.HasFlag(KpiFactKinds.Pay)
            ? (await db.PayLedger.AsNoTracking()
                .Where(p => p.BranchId == branchId && p.Period >= from && p.Period < to)
                .Select(p => new
                {
                    p.Kind, p.PersonUserId, p.Period, p.Amount,
                    Reverses = p.ReversalOfId == null ? null : db.PayLedger.Where(o => o.Id == p.ReversalOfId).Select(o => (PayLedgerKind?)o.Kind).FirstOrDefault(),
                })
                .GroupBy(p => new { p.Kind, p.Reverses, p.PersonUserId, p.Period })
                .Select(g => new { g.Key.Kind, g.Key.Reverses, g.Key.PersonUserId, g.Key.Period, Amount = g.Sum(p => p.Amount) })
                .ToListAsync(ct))
            .Select(p => new PayFact(p.Kind, p.Amount, Tech(p.PersonUserId), grain == KpiGrain.Day ? p.Period : from, p.Reverses)).ToList()
            : [];

        // KPI-12 / INS-30: the leaks found in the period (LeakFinding, one per repair order), counted against the installer
        // and the installation's product line; a finding whose chargeback was dismissed on appeal does not count.
        var leaks = await Each(async (start, end, offset) => (await db.LeakFindings.AsNoTracking()
                .Where(l => l.BranchId == branchId && l.FoundAt >= start && l.FoundAt < end && (l.Case == null || l.Case.State != PenaltyState.Dismissed))
                .Join(db.WorkOrders, l => l.InstallOrderId, o => o.Id, (l, o) => new { l.InstallerUserId, o.ProductLine, l.FoundAt })
                .GroupBy(l => new { l.InstallerUserId, l.ProductLine, Day = (KpiSql.Ms(l.FoundAt) + offset) / unit })
                .Select(g => new { g.Key.InstallerUserId, g.Key.ProductLine, g.Key.Day, Count = g.Count() })
                .ToListAsync(ct))
            .Select(l => new LeakFact(Tech(l.InstallerUserId), l.ProductLine, Day(l.Day), l.Count)).ToList(), KpiFactKinds.Leaks);

        // KPI-03: the parts requests made in the period, met from stock when the warehouse issued them.
        var supply = await Each(async (start, end, offset) => (await db.Requisitions.AsNoTracking()
                .Where(r => r.BranchId == branchId && r.RequestedAt >= start && r.RequestedAt < end)
                .GroupBy(r => new { r.TechnicianId, Day = (KpiSql.Ms(r.RequestedAt) + offset) / unit })
                .Select(g => new { g.Key.TechnicianId, g.Key.Day, Count = g.Count(), Issued = g.Count(r => r.Status == Parts.RequisitionStatus.Issued) })
                .ToListAsync(ct))
            .Select(r => new SupplyFact(r.TechnicianId, Day(r.Day), r.Count, r.Issued)).ToList(), KpiFactKinds.Supply);

        // KPI-04: the warranty claims submitted to the manufacturer in the period; approved ÷ submitted.
        var claims = await Each(async (start, end, offset) => (await db.Set<Claims.WarrantyClaim>().AsNoTracking()
                .Where(c => c.BranchId == branchId && c.SubmittedAt >= start && c.SubmittedAt < end)
                .Join(db.WorkOrders, c => c.WorkOrderId, o => o.Id, (c, o) => new { o.ProductLine, o.TechnicianId, c.SubmittedAt, c.Status })
                .GroupBy(c => new { c.ProductLine, c.TechnicianId, Day = (KpiSql.Ms(c.SubmittedAt) + offset) / unit })
                .Select(g => new
                {
                    g.Key.ProductLine, g.Key.TechnicianId, g.Key.Day, Count = g.Count(),
                    Approved = g.Count(c => c.Status == Claims.WarrantyClaimStatus.Approved),
                    Decided = g.Count(c => c.Status != Claims.WarrantyClaimStatus.Submitted),
                })
                .ToListAsync(ct))
            .Select(c => new ClaimFact(c.ProductLine, c.TechnicianId, Day(c.Day), c.Count, c.Approved, c.Decided)).ToList(), KpiFactKinds.Claims);

        return new KpiFacts(received, completed, repeats, visits, clocks, complaints, charges, pay, leaks, supply, claims);
    }

    /// <summary>[start, end) as whole hours since 1970 when both fall on a whole UTC hour (<see cref="ClockHour"/>), else null.</summary>
    internal static (long From, long To)? WholeHours(DateTimeOffset start, DateTimeOffset end) =>
        start.UtcTicks % TimeSpan.TicksPerHour == 0 && end.UtcTicks % TimeSpan.TicksPerHour == 0
            ? (start.ToUnixTimeMilliseconds() / ClockHour.HourMs, end.ToUnixTimeMilliseconds() / ClockHour.HourMs)
            : null;
}
