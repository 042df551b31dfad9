using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Reports.Kpis;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports;

/// <summary>One trip category of the year (person-trips, 人/次) and the regulation's 2014 reference figure for it.</summary>
public sealed record TripCategoryCount(string Key, string Label, int Trips, int? Reference2014);

/// <summary>
/// RPT-17 / KPI-14: the year's trips (orders completed in the branch's local year, empty trips included) by trip category.
/// <c>Balanced</c> only when every trip has exactly one category of the policy, so the categories add up to the total;
/// until then the report is not published (the workbook answers 409).
/// </summary>
public sealed record YearEndDto(int Year, int? BranchId, int Total, IReadOnlyList<TripCategoryCount> Categories, int Uncategorized,
    IReadOnlyList<long> UncategorizedOrderIds, bool Balanced);

public sealed class ComputeYearEnd(AppDbContext db, BranchZones zones, ComputeKpis kpis, PolicyStore policies, TimeProvider clock)
{
    public async Task<YearEndDto> Handle(CurrentUser user, int? year, int? branchId, CancellationToken ct)
    {
        user.RequireAny("see reports", ComputeKpis.Readers);
        if (year is < 2000 or > 2100) new Validator().Add("year", "{0} must be between {1} and {2}.", 2000, 2100).ThrowIfInvalid();
        var scope = await kpis.Scope(user, branchId, ct);
        var now = clock.GetUtcNow();
        var y = year ?? BranchTime.Today(now, await zones.For(scope.FirstOrDefault(user.BranchId), ct)).Year - 1;
        var policy = await policies.InForce(db, now, ct);
        var keys = TripCategories.Keys(policy);
        var reference = policy.TripCategoryReference2014;

        var counts = keys.ToDictionary(k => k, _ => 0, StringComparer.Ordinal);
        var uncategorizedIds = new List<long>();
        var uncategorizedCount = 0;
        var total = 0;
        foreach (var branch in scope)
        {
            var zone = await zones.For(branch, ct);
            var found = new List<long>();
            foreach (var span in KpiSql.Spans(zone, new DateOnly(y, 1, 1), new DateOnly(y + 1, 1, 1)))
            {
                var (start, end, offset) = (span.Start, span.End, span.OffsetMs);
                // An index range of (BranchId, CompletedAt): the year's trips, not the history — counted by the database.
                var trips = db.WorkOrders.AsNoTracking()
                    .Where(o => o.BranchId == branch && o.CompletedAt >= start && o.CompletedAt < end && o.Status != WorkOrderStatus.Cancelled);
                // The supervisor's category; for the rest, what TripCategories.FromFacts reads: charged (paid service), or
                // in warranty with parts used and a purchase date (part replacement within one year of the purchase).
                var groups = await trips
                    .Select(o => new { o.TripCategory, Charged = o.Charges.Any(), Dated = o.InWarranty && o.Parts.Any() && o.PurchaseDate != null })
                    .GroupBy(o => new { o.TripCategory, o.Charged, o.Dated })
                    .Select(g => new { g.Key.TripCategory, g.Key.Charged, g.Key.Dated, Count = g.Count() }).ToListAsync(ct);
                var uncategorized = 0;
                void Add(string? category, int n)
                {
                    total += n;
                    if (category is not null && counts.TryGetValue(category, out var sofar)) counts[category] = sofar + n;
                    else uncategorized += n;
                }
                foreach (var g in groups.Where(g => g.TripCategory is not null || g.Charged || !g.Dated))
                    Add(g.TripCategory ?? TripCategories.FromFacts(g.Charged, false, false, null, default), g.Count);
                if (groups.Any(g => g.TripCategory is null && !g.Charged && g.Dated))
                {
                    // Within a year of the purchase: the purchase date against the local day of completion, per pair.
                    var dated = await trips.Where(o => o.TripCategory == null && !o.Charges.Any() && o.InWarranty && o.Parts.Any() && o.PurchaseDate != null)
                        .GroupBy(o => new { o.PurchaseDate, Day = (KpiSql.Ms(o.CompletedAt) + offset) / KpiSql.DayMs })
                        .Select(g => new { g.Key.PurchaseDate, g.Key.Day, Count = g.Count() }).ToListAsync(ct);
                    foreach (var d in dated) Add(TripCategories.FromFacts(false, true, true, d.PurchaseDate, KpiSql.Day(d.Day)), d.Count);
                }
                if (uncategorized == 0) continue;
                // Which trips lack a category (the first hundred): read only when some do, in id order, until a hundred are found.
                var candidates = trips.Where(o => o.TripCategory == null || !keys.Contains(o.TripCategory)).OrderBy(o => o.Id)
                    .Select(o => new { o.Id, o.TripCategory, o.InWarranty, o.PurchaseDate, o.CompletedAt, Charged = o.Charges.Any(), PartsUsed = o.Parts.Any() })
                    .AsAsyncEnumerable();
                var left = uncategorized;
                await foreach (var t in candidates.WithCancellation(ct))
                {
                    var category = t.TripCategory ?? TripCategories.FromFacts(t.Charged, t.InWarranty, t.PartsUsed, t.PurchaseDate, BranchTime.Today(t.CompletedAt!.Value, zone));
                    if (category is not null && counts.ContainsKey(category)) continue;
                    found.Add(t.Id);
                    if (--left == 0 || found.Count >= 100) break;
                }
                uncategorizedCount += uncategorized;
            }
            uncategorizedIds.AddRange(found);
        }
        var categories = keys.Select(k => new TripCategoryCount(k, Msg.Code("tripCategory", k).Render(), counts[k], reference.TryGetValue(k, out var r) ? r : null)).ToList();
        return new YearEndDto(y, branchId ?? (user.IsHeadOffice ? null : user.BranchId), total, categories, uncategorizedCount,
            uncategorizedIds.Order().Take(100).ToList(), uncategorizedCount == 0 && categories.Sum(c => c.Trips) == total);
    }

    /// <summary>The published form (a workbook in the reader's language), refused while the categories do not add up to the total.</summary>
    public async Task<(YearEndDto Report, Func<Stream, CancellationToken, Task> Write)> Publish(CurrentUser user, int? year, int? branchId, CancellationToken ct)
    {
        var report = await Handle(user, year, branchId, ct);
        if (!report.Balanced)
            throw new ConflictException(Msg.Of("The year-end statistics cannot be published: {0} of {1} trips have no trip category.", report.Uncategorized, report.Total));
        return (report, (output, token) => Write(report, output, token));
    }

    private static async Task Write(YearEndDto r, Stream output, CancellationToken ct)
    {
        await using var book = await SpreadCheetah.Spreadsheet.CreateNewAsync(output, cancellationToken: ct);
        var options = new SpreadCheetah.Worksheets.WorksheetOptions { FrozenRows = 1 };
        options.Column(1).Width = 30;
        options.Column(2).Width = 14;
        options.Column(3).Width = 14;
        await book.StartWorksheetAsync(Msg.Of("Year-end statistics {0}", r.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)).Render(), options, ct);
        var bold = book.AddStyle(new SpreadCheetah.Styling.Style { Font = { Bold = true } });
        await book.AddRowAsync([new SpreadCheetah.StyledCell(Msg.Of("Trip category").Render(), bold), new SpreadCheetah.StyledCell(Msg.Of("Person-trips").Render(), bold),
            new SpreadCheetah.StyledCell(Msg.Of("2014 reference").Render(), bold)], ct);
        foreach (var c in r.Categories)
            await book.AddRowAsync([new SpreadCheetah.DataCell(c.Label), new SpreadCheetah.DataCell(c.Trips), c.Reference2014 is { } x ? new SpreadCheetah.DataCell(x) : new SpreadCheetah.DataCell("")], ct);
        await book.AddRowAsync([new SpreadCheetah.StyledCell(Msg.Of("Total").Render(), bold), new SpreadCheetah.StyledCell(r.Total, bold), new SpreadCheetah.StyledCell("", null)], ct);
        await book.FinishAsync(ct);
    }
}
