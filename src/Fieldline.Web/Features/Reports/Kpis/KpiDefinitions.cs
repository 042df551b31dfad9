using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Reports.Kpis;

/// <summary>count, percent, hours, score (1–5), cny.</summary>
public static class KpiUnit
{
    public const string Count = "count", Percent = "percent", Hours = "hours", Score = "score", Cny = "cny";
}

/// <summary>
/// One figure: its rule id (KPI-01…), a key naming exactly what it counts (<c>slaCompliance.dispatch</c>,
/// <c>received.line.ac</c>), its value, and for a ratio the counts it is made of. <paramref name="Target"/> and
/// <paramref name="Ok"/> when the regulation sets a limit (KPI-01: at most the policy's complaint rate).
/// </summary>
public sealed record KpiValue(string RuleId, string Key, string Unit, decimal? Value, decimal? Numerator = null, decimal? Denominator = null,
    decimal? Target = null, bool? Ok = null);

/// <summary>What a definition may read besides the facts: the policy's numbers in force.</summary>
public sealed record KpiContext(decimal? MaxComplaintRatePercent);

/// <summary>
/// Every figure of the dashboard, the reports and <c>GET /api/reports/kpis</c>, defined once here: each a pure function of
/// the period's facts (<see cref="KpiFacts"/>), so the dashboard, a per-technician ranking and a cadence report can never
/// disagree. Ratios are percentages rounded to two decimals; averages of durations are wall-clock hours.
/// </summary>
public static class KpiDefinitions
{
    /// <summary>The clocks whose compliance KPI-13 reports, in the order a manager reads them.</summary>
    public static readonly string[] SlaClocks = ["dispatch", "processing", "acceptance", "contact", "contactLimit", "visit", "completion", "completionTarget", "returnVisit", "resolve"];

    public static IReadOnlyList<KpiValue> All(KpiFacts f, KpiContext c)
    {
        var list = new List<KpiValue>
        {
            Received(f), Completed(f), ComplaintRate(f, c), FirstTimeFix(f), WaitingHours(f), RepairHours(f), Satisfaction(f),
            EmptyTrips(f), Revenue(f), Leaks(f), Fines(f), Bonuses(f), PartsSupply(f), ClaimApproval(f),
        };
        list.AddRange(SlaCompliance(f));
        list.AddRange(ByTypeAndLine(f));
        return list;
    }

    /// <summary>KPI-11: orders received (created) in the period.</summary>
    public static KpiValue Received(KpiFacts f) => new("KPI-11", "received", KpiUnit.Count, f.Received.Sum(o => o.Count));

    /// <summary>KPI-11: orders completed in the period (empty trips included: the trip was made).</summary>
    public static KpiValue Completed(KpiFacts f) => new("KPI-11", "completed", KpiUnit.Count, f.Completed.Sum(o => o.Count));

    /// <summary>KPI-01 / CPL-18: complaints registered in the period (not rejected) ÷ orders completed in it, at most the policy's 1 %.</summary>
    public static KpiValue ComplaintRate(KpiFacts f, KpiContext c)
    {
        int complaints = f.Complaints.Sum(x => x.Count), completed = f.Completed.Sum(o => o.Count);
        var rate = Percent(complaints, completed);
        return new("KPI-01", "complaintRate", KpiUnit.Percent, rate, complaints, completed, c.MaxComplaintRatePercent,
            rate is { } r && c.MaxComplaintRatePercent is { } max ? r <= max : null);
    }

    /// <summary>
    /// KPI-02 / ONS-18 / PEN-86: of the repairs completed in the period (not empty trips), the share that no later repair
    /// names as the one it repeats.
    /// </summary>
    public static KpiValue FirstTimeFix(KpiFacts f)
    {
        var repairs = f.Completed.Where(o => o.Type == WorkOrderType.Repair && !o.EmptyTrip).Sum(o => o.Count);
        var held = repairs - f.Repeats.Sum(r => r.Count);
        return new("KPI-02", "firstTimeFix", KpiUnit.Percent, Percent(held, repairs), held, repairs);
    }

    /// <summary>KPI-03 / PRT-20: of the parts requests (requisitions) made in the period, the share the warehouse issued from stock.</summary>
    public static KpiValue PartsSupply(KpiFacts f)
    {
        int issued = f.Supply.Sum(s => s.Issued), requested = f.Supply.Sum(s => s.Count);
        return new("KPI-03", "partsSupply", KpiUnit.Percent, Percent(issued, requested), issued, requested);
    }

    /// <summary>KPI-04 / WAR-09: of the warranty claims submitted to the manufacturer in the period, the share approved (approved ÷ submitted).</summary>
    public static KpiValue ClaimApproval(KpiFacts f)
    {
        int approved = f.Claims.Sum(c => c.Approved), submitted = f.Claims.Sum(c => c.Count);
        return new("KPI-04", "claimApproval", KpiUnit.Percent, Percent(approved, submitted), approved, submitted);
    }

    /// <summary>KPI-08 / CMP-08: average hours from the call (order created) to the technician's arrival, over the orders completed in the period.</summary>
    public static KpiValue WaitingHours(KpiFacts f)
    {
        var timed = f.Completed.Sum(o => o.Timed);
        return new("KPI-08", "waitingHours", KpiUnit.Hours, Hours(f.Completed.Sum(o => o.WaitMs), timed), null, timed);
    }

    /// <summary>KPI-08: average hours from arrival to completion (the repair's duration on site), over the orders completed in the period.</summary>
    public static KpiValue RepairHours(KpiFacts f)
    {
        var timed = f.Completed.Sum(o => o.Timed);
        return new("KPI-08", "repairHours", KpiUnit.Hours, Hours(f.Completed.Sum(o => o.RepairMs), timed), null, timed);
    }

    /// <summary>KPI-07: the customers' average satisfaction (1–5) at the return visits made in the period.</summary>
    public static KpiValue Satisfaction(KpiFacts f)
    {
        int sum = f.Visits.Sum(v => v.Satisfaction), visits = f.Visits.Sum(v => v.Count);
        return new("KPI-07", "satisfaction", KpiUnit.Score, Average(sum, visits), sum, visits);
    }

    /// <summary>DSP-27: trips that found the appliance working (空单) among the orders completed in the period.</summary>
    public static KpiValue EmptyTrips(KpiFacts f) => new("DSP-27", "emptyTrips", KpiUnit.Count, f.Completed.Where(o => o.EmptyTrip).Sum(o => o.Count));

    /// <summary>KPI-09: what the orders completed in the period charged (CNY).</summary>
    public static KpiValue Revenue(KpiFacts f) => new("KPI-09", "revenue", KpiUnit.Cny, f.Charges.Sum(m => m.Amount));

    /// <summary>KPI-12 / INS-30: leaks caused by an installation (leak findings on repairs, their chargeback not dismissed) found in the period.</summary>
    public static KpiValue Leaks(KpiFacts f) => new("KPI-12", "leaks", KpiUnit.Count, f.Leaks.Sum(l => l.Count));

    /// <summary>Fines deducted in the pay ledger of the period's pay months (fines less what appeals gave back, as a positive amount in CNY).</summary>
    public static KpiValue Fines(KpiFacts f) => new("PEN", "fines", KpiUnit.Cny, -f.Pay.Where(p => p.IsFine).Sum(p => p.Amount));

    /// <summary>Bonuses and subsidies in the pay ledger of the period's pay months, less daily bonuses taken back (CNY).</summary>
    public static KpiValue Bonuses(KpiFacts f) => new("RWD", "bonuses", KpiUnit.Cny, f.Pay.Where(p => p.IsBonus).Sum(p => p.Amount));

    /// <summary>
    /// KPI-13: per clock, the share of the deadlines started in the period that were met, of those decided (met or
    /// breached): dispatch 30 min, processing 24 h, contact 20 min / 2 h (target) and 4 h (contactLimit), completion,
    /// return visit, a complaint's resolution 24 h / 72 h.
    /// </summary>
    public static IEnumerable<KpiValue> SlaCompliance(KpiFacts f)
    {
        foreach (var group in f.Clocks.GroupBy(c => c.Clock)
                     .OrderBy(g => Array.IndexOf(SlaClocks, g.Key) is var i and >= 0 ? i : int.MaxValue).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            int met = group.Sum(c => c.Met), decided = group.Sum(c => c.Count);
            yield return new("KPI-13", $"slaCompliance.{group.Key}", KpiUnit.Percent, Percent(met, decided), met, decided);
        }
    }

    /// <summary>KPI-11: orders received and completed per type and per product line.</summary>
    public static IEnumerable<KpiValue> ByTypeAndLine(KpiFacts f)
    {
        foreach (var (name, orders) in new[] { ("received", f.Received), ("completed", f.Completed) })
        {
            foreach (var g in orders.GroupBy(o => o.Type).OrderBy(g => g.Key))
                yield return new("KPI-11", $"{name}.type.{JsonNames.Of(g.Key)}", KpiUnit.Count, g.Sum(o => o.Count));
            foreach (var g in orders.GroupBy(o => o.ProductLine ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
                yield return new("KPI-11", $"{name}.line.{g.Key}", KpiUnit.Count, g.Sum(o => o.Count));
        }
    }

    private static decimal? Percent(int part, int whole) => whole == 0 ? null : Math.Round(100m * part / whole, 2, MidpointRounding.AwayFromZero);

    /// <summary>A sum over a count as a double's average would be (the figures were averaged as doubles), rounded to two places.</summary>
    private static decimal? Average(double sum, int count) =>
        count == 0 ? null : Math.Round((decimal)(sum / count), 2, MidpointRounding.AwayFromZero);

    /// <summary>The average of durations summed in milliseconds, in hours.</summary>
    private static decimal? Hours(long ms, int count) => Average(ms / 3_600_000d, count);
}
