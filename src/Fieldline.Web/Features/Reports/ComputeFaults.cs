using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Reports.Kpis;
using Fieldline.Web.Features.Reports.Problems;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports;

public sealed record FaultCategoryCount(string Category, int Count, int Previous);

/// <summary>One fault category of a model in one month (yyyy-MM) of the period.</summary>
public sealed record FaultMonthCount(string Month, string Category, int Count);

/// <summary>
/// A product model's repairs with a fault category in the period and in the period before (as long, ending where it
/// starts); <c>rate</c> is its share (%) of all the period's categorised repairs, <c>rising</c> when it had more repairs
/// than in the period before.
/// </summary>
public sealed record FaultModel(string Model, string ProductLine, int Count, int Previous, decimal? Rate, decimal? PreviousRate, bool Rising,
    IReadOnlyList<FaultCategoryCount> Categories, IReadOnlyList<FaultMonthCount> Months);

/// <summary><c>problems</c>: those sent to the technical department in the period or still open at its end, with their answers (RPT-02/09).</summary>
public sealed record FaultStatistics(int? BranchId, DateOnly From, DateOnly To, DateOnly PreviousFrom, int Repairs, int PreviousRepairs,
    IReadOnlyList<FaultModel> Models, IReadOnlyList<string> RisingModels, IReadOnlyList<TechnicalProblemDto>? Problems = null);

/// <summary>
/// RPT-06: product faults classified and counted — of the repairs completed in a period (local days of the branch, not
/// cancelled, not empty trips) that recorded a fault category, the count per product model, per category and per month,
/// against the period before; the models whose fault count rose are listed first. Read by an index range of
/// (BranchId, CompletedAt), like the KPI facts.
/// </summary>
public sealed class ComputeFaults(AppDbContext db, BranchZones zones, ComputeKpis kpis, TimeProvider clock, FindTechnicalProblems problems)
{
    public async Task<FaultStatistics> Handle(CurrentUser user, DateOnly? from, DateOnly? to, int? branchId, CancellationToken ct)
    {
        user.RequireAny("see reports", ComputeKpis.Readers);
        var v = new Validator();
        if (from is { } f0 && to is { } t0)
        {
            if (t0 <= f0) v.Add("to", "{0} must be after {1}.", Msg.Field("from"));
            else if (t0.DayNumber - f0.DayNumber > ComputeKpis.MaxDays) v.Add("to", "{0} must be at most {1} days after {2}.", ComputeKpis.MaxDays, Msg.Field("from"));
        }
        v.ThrowIfInvalid();
        var scope = await kpis.Scope(user, branchId, ct);
        var today = BranchTime.Today(clock.GetUtcNow(), await zones.For(scope.FirstOrDefault(user.BranchId), ct));
        var start = from ?? (to is { } t ? t.AddMonths(-3) : new DateOnly(today.Year, today.Month, 1).AddMonths(-2));
        var end = to ?? start.AddMonths(3);
        var result = await Compute(scope, start, end, ct);
        return result with { BranchId = branchId is null && user.IsHeadOffice ? null : scope[0], Problems = await problems.Of(scope, start, end, false, ct) };
    }

    private sealed record Row(string Model, string Line, string Category, DateOnly Day, int Count);

    public async Task<FaultStatistics> Compute(IReadOnlyList<int> branches, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var previousFrom = from.AddDays(-(to.DayNumber - from.DayNumber));
        var now = new List<Row>();
        var before = new List<Row>();
        foreach (var branch in branches)
        {
            var zone = await zones.For(branch, ct);
            now.AddRange(await Read(branch, zone, from, to, ct));
            before.AddRange(await Read(branch, zone, previousFrom, from, ct));
        }
        decimal? Share(int part, int whole) => whole == 0 ? null : Math.Round(100m * part / whole, 2, MidpointRounding.AwayFromZero);
        int total = now.Sum(r => r.Count), totalBefore = before.Sum(r => r.Count);
        var nowByModel = now.ToLookup(r => r.Model, StringComparer.Ordinal);
        var beforeByModel = before.ToLookup(r => r.Model, StringComparer.Ordinal);
        var models = now.Select(r => r.Model).Concat(before.Select(r => r.Model)).Distinct(StringComparer.Ordinal).Select(model =>
        {
            var mine = nowByModel[model].ToList();
            var earlier = beforeByModel[model].ToList();
            int count = mine.Sum(r => r.Count), previous = earlier.Sum(r => r.Count);
            var categories = mine.Select(r => r.Category).Concat(earlier.Select(r => r.Category)).Distinct(StringComparer.Ordinal)
                .Select(c => new FaultCategoryCount(c, mine.Where(r => r.Category == c).Sum(r => r.Count), earlier.Where(r => r.Category == c).Sum(r => r.Count)))
                .OrderByDescending(c => c.Count).ThenBy(c => c.Category, StringComparer.Ordinal).ToList();
            var months = mine.GroupBy(r => (Month: r.Day.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), r.Category))
                .Select(g => new FaultMonthCount(g.Key.Month, g.Key.Category, g.Sum(r => r.Count))).OrderBy(m => m.Month, StringComparer.Ordinal).ThenBy(m => m.Category, StringComparer.Ordinal).ToList();
            return new FaultModel(model, (mine.FirstOrDefault() ?? earlier.First()).Line, count, previous, Share(count, total),
                Share(previous, totalBefore), count > previous, categories, months);
        }).OrderByDescending(m => m.Rising).ThenByDescending(m => m.Count).ThenBy(m => m.Model, StringComparer.Ordinal).ToList();
        return new FaultStatistics(branches.Count == 1 ? branches[0] : null, from, to, previousFrom, total, totalBefore, models,
            models.Where(m => m.Rising).Select(m => m.Model).ToList());
    }

    private async Task<List<Row>> Read(int branch, TimeZoneInfo zone, DateOnly from, DateOnly to, CancellationToken ct)
    {
        // Counted by the database per model, category and local day (a month is the days' sum).
        var rows = new List<Row>();
        foreach (var s in KpiSql.Spans(zone, from, to))
        {
            var (start, end, offset) = (s.Start, s.End, s.OffsetMs);
            var counts = await db.WorkOrders.AsNoTracking()
                .Where(o => o.BranchId == branch && o.CompletedAt >= start && o.CompletedAt < end && o.Status != WorkOrderStatus.Cancelled
                    && !o.EmptyTrip && o.FaultCategory != null && o.FaultCategory != "")
                .GroupBy(o => new { o.ProductModel, o.ProductLine, o.FaultCategory, Day = (KpiSql.Ms(o.CompletedAt) + offset) / KpiSql.DayMs })
                .Select(g => new { g.Key.ProductModel, g.Key.ProductLine, g.Key.FaultCategory, g.Key.Day, Count = g.Count() }).ToListAsync(ct);
            rows.AddRange(counts.Select(o => new Row(string.IsNullOrWhiteSpace(o.ProductModel) ? "—" : o.ProductModel.Trim(), o.ProductLine, o.FaultCategory!.Trim(),
                KpiSql.Day(o.Day), o.Count)));
        }
        return rows;
    }
}
