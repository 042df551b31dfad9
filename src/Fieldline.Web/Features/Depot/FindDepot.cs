using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Depot;

public sealed record DepotUnitDto(long Id, long ReceiptId, string ReceiptNumber, long? WorkOrderId, string CustomerName, string CustomerPhone, string Kind,
    string Product, string? SerialNumber, string Fault, string? Accessories, string Status, DateOnly ReceivedOn, DateOnly DueOn, bool Overdue,
    DateTimeOffset? RegisteredAt, DateTimeOffset? RepairedAt, string? RepairNote, DateTimeOffset? CollectedAt, DateTimeOffset? ReturnVisitDueAt,
    bool CustomerBearsAllCosts, int Version, int BranchId);

/// <param name="After">The largest unit id of the previous page (the next page starts after it).</param>
/// <param name="Limit">Units per page: 1–2000 (the console: 100; the API: 2000).</param>
public sealed record DepotQueueQuery(int? BranchId, string? Status, string? Q = null, long? After = null, int? Limit = null);

/// <summary>A page of the queue: <see cref="Next"/> is the <c>after</c> of the next page (none on the last), <see cref="Counts"/> the open units by state.</summary>
public sealed record DepotQueuePage(IReadOnlyList<DepotUnitDto> Items, long? Next, IReadOnlyDictionary<string, int> Counts);

public sealed record DepotReceiptDto(long Id, string Number, int BranchId, long? WorkOrderId, string CustomerName, string CustomerPhone,
    DateTimeOffset ReceivedAt, DateOnly ReceivedOn, bool SmsQueued, IReadOnlyList<DepotUnitDto> Units);

/// <summary>
/// The depot queue (SHOP-01): a branch's units with their throughput due date. Units received on a day are due
/// ceil(N / <c>shop.unitsPerRepairDay</c>) days later, where N is the depot's open units that day (received by then and
/// not repaired before it): 8 → 1 day, 20 → 2, 25 → 3.
/// </summary>
public sealed class FindDepot(AppDbContext db, BranchZones zones, PolicyStore policies, TimeProvider clock)
{
    /// <summary>Who runs the depot: the depot clerk's work is the information clerk's (信息员), with the supervisor and the manager.</summary>
    public static readonly string[] Staff = [Roles.Admin, Roles.Manager, Roles.Supervisor, Roles.InfoClerk];

    /// <summary>The most units one read returns (a page of the API's queue; the console shows <see cref="PageSize"/>).</summary>
    public const int MaxLimit = 2000;
    public const int PageSize = 100;

    private static readonly DepotUnitStatus[] OpenStatuses = [DepotUnitStatus.InTransit, DepotUnitStatus.Registered, DepotUnitStatus.Repaired];

    /// <summary>The API's queue: one page of <see cref="Page"/>, as a list.</summary>
    public async Task<IReadOnlyList<DepotUnitDto>> Queue(CurrentUser user, DepotQueueQuery query, CancellationToken ct) =>
        (await Page(user, query with { Limit = query.Limit ?? MaxLimit }, ct)).Items;

    /// <summary>
    /// Open (not yet collected) units by default, <c>status</c> one of inTransit, registered, repaired, collected; of one
    /// branch (<c>branchId</c>; the caller's own by default, every branch for head office). The units are read in the order
    /// they came in (their id: the oldest, which are due first, first) a page at a time — <c>after</c> is the largest id of
    /// the previous page — and each page is shown by its due date. <c>q</c> finds a unit by its receipt number, its order's
    /// code, its serial number, the customer's name or phone, the product or the fault, however old the queue is: a depot
    /// with thousands of open units never hides a new one behind the oldest (it is on a later page, counted, and found).
    /// </summary>
    public async Task<DepotQueuePage> Page(CurrentUser user, DepotQueueQuery query, CancellationToken ct)
    {
        user.RequireAny("read the depot queue", Staff);
        var v = new Validator();
        var wanted = string.IsNullOrWhiteSpace(query.Status) ? (DepotUnitStatus?)null : v.Enum<DepotUnitStatus>(query.Status.Trim(), "status", kind: "depotStatus");
        var text = string.IsNullOrWhiteSpace(query.Q) ? null : query.Q.Trim();
        v.MaxLength(text, 100, "q");
        var limit = query.Limit ?? PageSize;
        if (limit is < 1 or > MaxLimit) v.Add("limit", "{0} must be between {1} and {2}.", 1, MaxLimit);
        v.ThrowIfInvalid();
        if (query.BranchId is { } asked && (!user.CanSeeBranch(asked) || !await zones.Exists(asked, ct))) throw new NotFoundException("Branch", asked);

        var scope = db.Set<DepotUnit>().AsNoTracking();
        if (query.BranchId is { } b) scope = scope.Where(u => u.BranchId == b);
        else if (!user.IsHeadOffice) scope = scope.Where(u => u.BranchId == user.BranchId);
        if (text is not null) scope = Search(scope, text);

        // How many units wait in each open state (for the page's filter), whatever page is shown.
        var counts = (await scope.Where(u => OpenStatuses.Contains(u.Status)).GroupBy(u => u.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(c => JsonNames.Of(c.Key), c => c.Count);
        var units = wanted is { } w ? scope.Where(u => u.Status == w) : scope.Where(u => OpenStatuses.Contains(u.Status));
        if (query.After is { } after) units = units.Where(u => u.Id > after);
        var list = await units.OrderBy(u => u.Id).Take(limit + 1).ToListAsync(ct);
        var more = list.Count > limit;
        if (more) list.RemoveAt(list.Count - 1);
        var dtos = new List<DepotUnitDto>();
        foreach (var branch in list.GroupBy(u => u.BranchId)) dtos.AddRange(await Dtos(branch.Key, branch.ToList(), ct));
        var items = dtos.OrderBy(d => d.DueOn).ThenBy(d => d.ReceivedOn).ThenBy(d => d.Id).ToList();
        return new DepotQueuePage(items, more ? list[^1].Id : null, counts);
    }

    /// <summary>The units handed back most recently (the page's list of return visits to come), newest first.</summary>
    public async Task<IReadOnlyList<DepotUnitDto>> RecentlyCollected(CurrentUser user, int? branchId, int take, CancellationToken ct)
    {
        user.RequireAny("read the depot queue", Staff);
        if (branchId is { } asked && (!user.CanSeeBranch(asked) || !await zones.Exists(asked, ct))) throw new NotFoundException("Branch", asked);
        var units = db.Set<DepotUnit>().AsNoTracking().Where(u => u.Status == DepotUnitStatus.Collected);
        if (branchId is { } b) units = units.Where(u => u.BranchId == b);
        else if (!user.IsHeadOffice) units = units.Where(u => u.BranchId == user.BranchId);
        var list = await units.OrderByDescending(u => u.CollectedAt).ThenByDescending(u => u.Id).Take(take).ToListAsync(ct);
        var dtos = new List<DepotUnitDto>();
        foreach (var branch in list.GroupBy(u => u.BranchId)) dtos.AddRange(await Dtos(branch.Key, branch.ToList(), ct));
        return dtos.OrderByDescending(d => d.CollectedAt).ThenByDescending(d => d.Id).ToList();
    }

    /// <summary>Units whose receipt number, order code, serial, customer, phone, product or fault holds <paramref name="text"/>.</summary>
    private IQueryable<DepotUnit> Search(IQueryable<DepotUnit> units, string text)
    {
        var upper = text.ToUpperInvariant();
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        var phone = digits.Length >= 4 && digits.Length == text.Count(c => !(c is '-' or ' ' or '+')) ? digits : null;
        var receipts = db.Set<DepotReceipt>();
        return units.Where(u => u.Product.Contains(text) || u.Fault.Contains(text) || (u.SerialNumber != null && u.SerialNumber.ToUpper().Contains(upper))
            || receipts.Any(r => r.Id == u.ReceiptId && (r.Number.Contains(upper) || r.CustomerName.Contains(text) || r.CustomerPhone.Contains(text) || (phone != null && r.CustomerPhone.Contains(phone))
                || (r.WorkOrderId != null && db.WorkOrders.Any(o => o.Id == r.WorkOrderId && o.Code == upper)))));
    }

    public async Task<DepotReceiptDto> Receipt(CurrentUser user, long id, CancellationToken ct)
    {
        var receipt = await Visible(user, id, ct);
        var units = await db.Set<DepotUnit>().AsNoTracking().Where(u => u.ReceiptId == id).OrderBy(u => u.Id).ToListAsync(ct);
        var zone = await zones.For(receipt.BranchId, ct);
        return new DepotReceiptDto(receipt.Id, receipt.Number, receipt.BranchId, receipt.WorkOrderId, receipt.CustomerName, receipt.CustomerPhone,
            BranchTime.Local(receipt.ReceivedAt, zone), receipt.ReceivedOn, receipt.SmsQueuedAt is not null, await Dtos(receipt.BranchId, units, ct));
    }

    /// <summary>A receipt the caller may see: depot staff of its branch (head office: any), or the technician who issued it; else 404.</summary>
    public async Task<DepotReceipt> Visible(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("read a collection receipt", [.. Staff, Roles.Technician]);
        var receipt = await db.Set<DepotReceipt>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        var mine = receipt is not null && (user.IsAny(Staff) ? user.CanSeeBranch(receipt.BranchId) : receipt.ReceivedByUserId == user.UserId);
        return mine ? receipt! : throw new NotFoundException("Collection receipt", id);
    }

    public async Task<IReadOnlyList<DepotUnitDto>> Dtos(int branchId, IReadOnlyList<DepotUnit> units, CancellationToken ct)
    {
        if (units.Count == 0) return [];
        var zone = await zones.For(branchId, ct);
        var now = clock.GetUtcNow();
        var today = BranchTime.Today(now, zone);
        var perDay = (await policies.InForce(db, now, ct)).UnitsPerRepairDay;
        var from = units.Min(u => u.ReceivedOn);
        var to = units.Max(u => u.ReceivedOn);
        // Every unit that was open on one of the days these units came in: the depot's load on those days.
        var load = await db.Set<DepotUnit>().AsNoTracking().Where(u => u.BranchId == branchId && u.ReceivedOn <= to && (u.RepairedOn == null || u.RepairedOn >= from))
            .Select(u => new { u.ReceivedOn, u.RepairedOn }).ToListAsync(ct);
        var open = units.Select(u => u.ReceivedOn).Distinct()
            .ToDictionary(d => d, d => load.Count(l => l.ReceivedOn <= d && (l.RepairedOn is null || l.RepairedOn >= d)));
        var receiptIds = units.Select(u => u.ReceiptId).Distinct().ToList();
        var receipts = await db.Set<DepotReceipt>().AsNoTracking().Where(x => receiptIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, ct);
        return units.Select(u =>
        {
            var receipt = receipts[u.ReceiptId];
            var due = DueOn(u.ReceivedOn, Math.Max(1, open[u.ReceivedOn]), perDay);
            var overdue = u.RepairedOn is { } done ? done > due : today > due;
            return new DepotUnitDto(u.Id, u.ReceiptId, receipt.Number, receipt.WorkOrderId, receipt.CustomerName, receipt.CustomerPhone, JsonNames.Of(u.Kind),
                u.Product, u.SerialNumber, u.Fault, u.Accessories, JsonNames.Of(u.Status), u.ReceivedOn, due, overdue, BranchTime.Local(u.RegisteredAt, zone),
                BranchTime.Local(u.RepairedAt, zone), u.RepairNote, BranchTime.Local(u.CollectedAt, zone), BranchTime.Local(u.ReturnVisitDueAt, zone),
                u.CustomerBearsAllCosts, u.Version, receipt.BranchId);
        }).ToList();
    }

    /// <summary>SHOP-01: receipt day + ceil(N / units per repair day) days.</summary>
    public static DateOnly DueOn(DateOnly received, int openUnits, int perDay) => received.AddDays((openUnits + perDay - 1) / perDay);
}
