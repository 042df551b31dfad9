using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

public sealed record PartsCostLineDto(string PartNumber, string PartName, decimal UnitCost, int Quantity, decimal Total,
    int InWarrantyQuantity, decimal InWarrantyTotal, int OutOfWarrantyQuantity, decimal OutOfWarrantyTotal);

/// <summary>The month's table with its state: due by <c>DueOn</c> (the policy's day of the next month), submitted or not.</summary>
public sealed record PartsCostReportDto(int BranchId, string Month, IReadOnlyList<PartsCostLineDto> Lines, int Quantity, decimal Total,
    decimal InWarrantyTotal, decimal OutOfWarrantyTotal, DateOnly DueOn, DateTimeOffset? SubmittedAt, string? SubmittedBy, decimal? SubmittedTotal, bool Late);

/// <summary>
/// The monthly parts cost report (PRT-11, RPT-05, SC-26): per part, the quantity issued to repairs in the month (the
/// "use" lines of the branch's stock ledger: parts that left a van on a completed order), the unit cost it was used at,
/// the total, and the split between in-warranty and out-of-warranty orders. The month is the branch's calendar month;
/// without one, last month (the report is built on the 1st of the month for the month before).
/// </summary>
public sealed class BuildPartsCostReport(AppDbContext db, BranchZones zones, PolicyStore policies, TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.Admin, Roles.Manager, Roles.Supervisor, Roles.Finance, Roles.WarehouseKeeper];

    public async Task<PartsCostReportDto> Handle(CurrentUser user, string? month, int? branchId, CancellationToken ct)
    {
        user.RequireAny("read the parts cost report", Readers);
        var branch = branchId ?? user.BranchId;
        if (!user.CanSeeBranch(branch) || !await zones.Exists(branch, ct)) throw new NotFoundException("Branch", branch);
        var zone = await zones.For(branch, ct);
        var first = Month(month, BranchTime.Today(clock.GetUtcNow(), zone));
        return await Build(branch, first, ct);
    }

    /// <summary>The first day of <paramref name="month"/> (yyyy-MM), or of the month before <paramref name="today"/>; a bad month is a 400 naming it.</summary>
    public static DateOnly Month(string? month, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(month)) return new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        if (DateOnly.TryParseExact(month.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d.Year >= 2000 && InputRules.InRange(d)) return d;
        throw ValidationFailedException.For("month", "{0} must be a month such as {1}.", "2024-03");
    }

    public static string Key(DateOnly first) => first.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public async Task<PartsCostReportDto> Build(int branch, DateOnly first, CancellationToken ct)
    {
        var zone = await zones.For(branch, ct);
        var start = SlaStart(first, zone);
        var end = SlaStart(first.AddMonths(1), zone);
        var locations = db.StockLocations.Where(l => l.BranchId == branch).Select(l => l.Id);
        // Priced at the cost each part was used at (a cost changed in the catalogue later does not rewrite the month);
        // a part used at two costs in the month is two lines.
        var rows = await (from m in db.StockMovements.AsNoTracking()
                          where locations.Contains(m.LocationId) && m.Kind == StockMovementKind.Use && m.At >= start && m.At < end
                          join p in db.Parts on m.PartId equals p.Id
                          join o in db.WorkOrders on m.WorkOrderId equals o.Id into orders
                          from o in orders.DefaultIfEmpty()
                          group m by new { m.PartId, InWarranty = o != null && o.InWarranty, Cost = m.UnitCost ?? p.UnitCost } into g
                          select new { g.Key.PartId, g.Key.InWarranty, g.Key.Cost, Quantity = -g.Sum(x => x.Quantity) }).ToListAsync(ct);
        var partIds = rows.Select(r => r.PartId).Distinct().ToList();
        var parts = await db.Parts.AsNoTracking().Where(p => partIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var lines = rows.GroupBy(r => (r.PartId, r.Cost)).Select(g =>
        {
            var part = parts[g.Key.PartId];
            var cost = g.Key.Cost;
            var inQ = g.Where(r => r.InWarranty).Sum(r => r.Quantity);
            var outQ = g.Where(r => !r.InWarranty).Sum(r => r.Quantity);
            return new PartsCostLineDto(part.PartNumber, part.Name, cost, inQ + outQ, Money(cost * (inQ + outQ)),
                inQ, Money(cost * inQ), outQ, Money(cost * outQ));
        }).Where(l => l.Quantity != 0).OrderBy(l => l.PartNumber, StringComparer.Ordinal).ThenBy(l => l.UnitCost).ToList();

        var key = Key(first);
        var state = await db.Set<PartsCostReport>().AsNoTracking().FirstOrDefaultAsync(r => r.BranchId == branch && r.Month == key, ct);
        var submitter = state?.SubmittedByUserId is { } by ? await db.Users.Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
        var policy = await policies.InForce(db, clock.GetUtcNow(), ct);
        var dueOn = DueOn(first, policy);
        var today = BranchTime.Today(clock.GetUtcNow(), zone);
        var late = state?.SubmittedAt is { } at ? BranchTime.Today(at, zone) > dueOn : today > dueOn;
        return new PartsCostReportDto(branch, key, lines, lines.Sum(l => l.Quantity), lines.Sum(l => l.Total), lines.Sum(l => l.InWarrantyTotal),
            lines.Sum(l => l.OutOfWarrantyTotal), dueOn, BranchTime.Local(state?.SubmittedAt, zone), submitter, state?.SubmittedTotal, late);
    }

    /// <summary>The day of the following month by which the supervisor submits the month's report (the tenant's <c>reporting.partsCostReportDueDay</c>).</summary>
    public static DateOnly DueOn(DateOnly first, CompanyPolicy policy)
    {
        var next = first.AddMonths(1);
        return next.AddDays(Math.Clamp(policy.PartsCostReportDueDay, 1, DateTime.DaysInMonth(next.Year, next.Month)) - 1);
    }

    private static DateTimeOffset SlaStart(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static decimal Money(decimal d) => decimal.Round(d, 2, MidpointRounding.AwayFromZero);
}
