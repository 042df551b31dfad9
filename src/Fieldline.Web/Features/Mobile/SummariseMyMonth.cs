using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Mobile;

public sealed record MonthOrderDto(long Id, string Code, string Type, string CustomerName, DateTimeOffset CompletedAt, bool EmptyTrip);

/// <param name="LedgerTotal">The month's pay-ledger sum (fines negative), <paramref name="Ledger"/> its lines.</param>
public sealed record MonthSummaryDto(string Month, int Completed, int EmptyTrips, IReadOnlyList<MonthOrderDto> Items, decimal LedgerTotal, IReadOnlyList<PayLedgerEntryDto> Ledger);

/// <summary>
/// "My month" on the phone: the orders the technician finished since the first of the month in their branch's time
/// zone. The work-order list filters by creation time, so this reads completion time here instead. With them, what the
/// month's pay ledger holds for the technician (the fines confirmed into this pay month), from the ledger's own use case.
/// </summary>
public sealed class SummariseMyMonth(AppDbContext db, WorkOrderAccess access, BranchZones zones, TimeProvider clock, FindPayLedger ledger)
{
    public async Task<MonthSummaryDto> Handle(CurrentUser user, CancellationToken ct)
    {
        user.RequireAny("read their month", Roles.Technician);
        var technicianId = await db.Technicians.Where(t => t.UserId == user.UserId).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("Technician profile");
        var zone = await zones.For(user.BranchId, ct);
        var local = BranchTime.Local(clock.GetUtcNow(), zone);
        var firstLocal = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var from = new DateTimeOffset(firstLocal, zone.GetUtcOffset(firstLocal)).ToUniversalTime();
        var rows = await access.Visible(user).AsNoTracking()
            .Where(o => o.TechnicianId == technicianId && o.CompletedAt >= from)
            .Select(o => new { o.Id, o.Code, o.Type, Customer = o.Customer!.Name, o.CompletedAt, o.EmptyTrip })
            .ToListAsync(ct);
        var items = rows.OrderByDescending(r => r.CompletedAt)
            .Select(r => new MonthOrderDto(r.Id, r.Code, JsonNames.Of(r.Type), r.Customer, BranchTime.Local(r.CompletedAt!.Value, zone), r.EmptyTrip)).ToList();
        var pay = await ledger.Handle(user, new PayLedgerQuery($"{local:yyyy-MM}", null, Mine: true, null, 1, Paging.MaxPageSize), ct);
        return new MonthSummaryDto($"{local:yyyy-MM}", items.Count, items.Count(i => i.EmptyTrip), items, pay.Totals.Sum(t => t.Total), pay.Items);
    }
}
