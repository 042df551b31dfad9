using System.Globalization;
using System.Text.RegularExpressions;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record WorkOrderQuery(string? Status, int? TechnicianId, bool? Overdue, DateTimeOffset? From, DateTimeOffset? To, string? Q,
    int? BranchId, int? Page, int? PageSize, string? ProductLine = null, int? CustomerId = null, string? Type = null, string? After = null,
    string? Clock = null, bool? Completed = null);

/// <summary>
/// Reads one order, or a filtered page of the orders the caller may see (newest first). Every filter is served by an
/// index and pages go by keyset (<c>after</c>), so a page costs the same with ten thousand orders as with ten million:
/// see the plan checks in QueryPlanTests and the growth benchmark in docs/benchmarks.md.
/// </summary>
public sealed partial class FindWorkOrders(WorkOrderAccess access, BranchZones zones, TimeProvider clock, Infrastructure.Data.AppDbContext db)
{
    /// <summary>The total stops counting here (and says so): counting every order of a long history costs what the whole history costs.</summary>
    public const int CountCap = 10_000;

    /// <summary>
    /// A name prefix that more customers share than this ("张") is searched by walking the orders newest first and keeping
    /// those whose customer's name matches: a page then costs what finding a page of matches costs, not what every order
    /// of thousands of customers costs. Fewer customers are looked up by the customers' index and their orders fetched.
    /// </summary>
    public const int WideNameCustomers = 200;

    /// <summary>A wide name search reads at most this many orders for one page, in chunks of <see cref="WalkChunk"/>; a page
    /// that is not full by then says there may be more, and its cursor resumes the walk where it stopped.</summary>
    public const int WideNameWalk = 5_000;
    private const int WalkChunk = 500;

    [GeneratedRegex(@"^WO-\d{8}-\d{4,}$", RegexOptions.IgnoreCase)]
    private static partial Regex Code();

    public async Task<WorkOrderDto> Get(CurrentUser user, long id, CancellationToken ct)
    {
        var order = await access.Load(user, id, ct);
        return await access.ToDto(order, ct);
    }

    public async Task<Page<WorkOrderSummaryDto>> List(CurrentUser user, WorkOrderQuery q, CancellationToken ct)
    {
        var f = await Filter(user, q, ct);
        List<(WorkOrder Order, string CustomerName)> rows;
        int total;
        if (f is { Uncounted: true, WideName: { } prefix, Statuses.Count: <= 1 })
        {
            var (found, resume) = await Walk(f, prefix, ct);
            var page = Summaries(found, f.Skip + found.Count, f, capped: found.Count == f.Take || resume is not null, await Zones(found, ct));
            return resume is var (at, id) ? page with { Next = Cursor(at, id) } : page;
        }
        if (f.Narrow || f.Statuses.Count > 1)
        {
            var (keys, count) = await Keys(f, f.Skip + f.Take, ct);
            total = count;
            rows = await ByKey(keys.Skip(f.Skip).Take(f.Take).ToList(), ct);
        }
        else
        {
            var query = Ordered(f.Query);
            // A wide name search is not counted: counting its matches would walk the whole history.
            total = f.Uncounted ? 0 : await query.Take(CountCap + 1).CountAsync(ct);
            var page = (f.After is var (at, id) ? query.Where(o => o.CreatedAt <= at && (o.CreatedAt < at || o.Id < id)) : query.Skip(f.Skip)).Take(f.Take);
            rows = (await page.Select(o => new { Order = o, CustomerName = o.Customer!.Name }).ToListAsync(ct)).Select(r => (r.Order, r.CustomerName)).ToList();
        }
        // Uncounted: the total is what has been seen, and "capped" says there may be more.
        return f.Uncounted
            ? Summaries(rows, f.Skip + rows.Count, f, capped: rows.Count == f.Take, await Zones(rows, ct))
            : Summaries(rows, Math.Min(total, CountCap), f, capped: total > CountCap, await Zones(rows, ct));
    }

    /// <summary>
    /// A wide name search ("张", <see cref="WideNameCustomers"/>): the list's order walked from its index in chunks, each
    /// chunk's customers read by key and their names tested, until the page is full or <see cref="WideNameWalk"/> orders
    /// were read. As one query (orders joined to customers on the name's range, newest first, limit 50) PostgreSQL planned
    /// a join of every matching customer with the branch's whole history: 1.3 s at 1 M orders, 17 ms at 10 k.
    /// </summary>
    /// <returns>The page's matches, and where to resume when the walk stopped before the page was full.</returns>
    private async Task<(List<(WorkOrder Order, string CustomerName)> Rows, (DateTimeOffset At, long Id)? Resume)> Walk(Filtered f, string prefix, CancellationToken ct)
    {
        var matches = new List<(DateTimeOffset At, long Id)>();
        var names = new Dictionary<int, string>();
        var (after, skip, read) = (f.After, f.Skip, 0);
        while (true)
        {
            var ordered = Ordered(f.Unnamed!);
            var chunk = await (after is var (at, id) ? ordered.Where(o => o.CreatedAt <= at && (o.CreatedAt < at || o.Id < id)) : ordered)
                .Select(o => new { o.CreatedAt, o.Id, o.CustomerId }).Take(WalkChunk).ToListAsync(ct);
            var unknown = chunk.Select(o => o.CustomerId).Where(c => !names.ContainsKey(c)).Distinct().ToList();
            foreach (var c in await db.Customers.AsNoTracking().Where(c => unknown.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
                names[c.Id] = c.Name;
            read += chunk.Count;
            foreach (var o in chunk.Where(o => names.GetValueOrDefault(o.CustomerId, "").StartsWith(prefix, StringComparison.Ordinal)))
            {
                if (skip > 0) { skip--; continue; }
                matches.Add((o.CreatedAt, o.Id));
                if (matches.Count == f.Take) return (await ByKey(matches, ct), null);
            }
            if (chunk.Count < WalkChunk) return (await ByKey(matches, ct), null);
            after = (chunk[^1].CreatedAt, chunk[^1].Id);
            if (read >= WideNameWalk) return (await ByKey(matches, ct), after);
        }
    }

    private async Task<Dictionary<int, TimeZoneInfo>> Zones(List<(WorkOrder Order, string CustomerName)> rows, CancellationToken ct)
    {
        var byBranch = new Dictionary<int, TimeZoneInfo>();
        foreach (var branch in rows.Select(r => r.Order.BranchId).Distinct()) byBranch[branch] = await zones.For(branch, ct);
        return byBranch;
    }

    private static Page<WorkOrderSummaryDto> Summaries(List<(WorkOrder Order, string CustomerName)> rows, int total, Filtered f, bool capped,
        Dictionary<int, TimeZoneInfo> zoneOf) =>
        new(rows.Select(r => r.Order.ToSummary(r.CustomerName, zoneOf[r.Order.BranchId])).ToList(), total)
        {
            Next = rows.Count == f.Take ? Cursor(rows[^1].Order) : null, TotalIsCapped = capped,
        };

    /// <summary>The same orders, newest first, read as they are written out (the Excel export): one query, or pages of keys for a search.</summary>
    public async IAsyncEnumerable<(WorkOrder Order, string CustomerName)> Stream(CurrentUser user, WorkOrderQuery q,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var f = await Filter(user, q with { Page = null, PageSize = null, After = null }, ct);
        if (f.Narrow || f.Statuses.Count > 1)
        {
            var (keys, _) = await Keys(f, ExportWorkOrders.MaxRows, ct);
            foreach (var chunk in keys.Chunk(500))
                foreach (var row in await ByKey(chunk, ct)) yield return row;
            yield break;
        }
        await foreach (var row in Ordered(f.Query).Select(o => new { Order = o, CustomerName = o.Customer!.Name }).AsAsyncEnumerable().WithCancellation(ct))
            yield return (row.Order, row.CustomerName);
    }

    /// <summary>Validated filters of a list: the matching orders (unordered), and how they must be read.</summary>
    /// <param name="Narrow">A search or the overdue view: few matches, found by their own index, then sorted.</param>
    /// <param name="Statuses">Several statuses: each read newest first from the status index, and merged.</param>
    /// <param name="Uncounted">A wide name search: read in the list's order and not counted (see <see cref="WideNameCustomers"/>).</param>
    /// <param name="WideName">The wide name's prefix; <paramref name="Unnamed"/> is then the query without the name's condition.</param>
    public sealed record Filtered(IQueryable<WorkOrder> Query, bool Narrow, IReadOnlyList<WorkOrderStatus> Statuses, int Skip, int Take,
        (DateTimeOffset At, long Id)? After, bool Uncounted = false, string? WideName = null, IQueryable<WorkOrder>? Unnamed = null);

    private static IOrderedQueryable<WorkOrder> Ordered(IQueryable<WorkOrder> query) => query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id);

    /// <summary>
    /// The keys of a page's worth of matches, newest first, for the filters whose matches an index finds directly (without
    /// this, SQLite prefers reading the branch's orders newest first and testing each: the whole history for a rare match).
    /// </summary>
    private async Task<(List<(DateTimeOffset At, long Id)> Keys, int Count)> Keys(Filtered f, int want, CancellationToken ct)
    {
        var found = new List<(DateTimeOffset At, long Id)>();
        var count = 0;
        if (f.Narrow)
        {
            var query = f.Statuses.Count > 1 ? f.Query.Where(o => f.Statuses.Contains(o.Status)) : f.Query;
            var keys = await query.Select(o => new { o.CreatedAt, o.Id }).Take(CountCap + 1).ToListAsync(ct);
            count = keys.Count;
            found.AddRange(keys.Select(k => (k.CreatedAt, k.Id)));
        }
        else
            foreach (var status in f.Statuses)
            {
                var one = Ordered(f.Query.Where(o => o.Status == status));
                if (!f.Uncounted) count += await one.Take(CountCap + 1).CountAsync(ct);
                var page = f.After is var (at, id) ? one.Where(o => o.CreatedAt <= at && (o.CreatedAt < at || o.Id < id)) : one;
                found.AddRange((await page.Select(o => new { o.CreatedAt, o.Id }).Take(want).ToListAsync(ct)).Select(k => (k.CreatedAt, k.Id)));
            }
        var ordered = found.OrderByDescending(k => k.At).ThenByDescending(k => k.Id).AsEnumerable();
        if (f.Narrow && f.After is var (afterAt, afterId)) ordered = ordered.Where(k => k.At < afterAt || (k.At == afterAt && k.Id < afterId));
        return (ordered.Take(want).ToList(), count);
    }

    private async Task<List<(WorkOrder Order, string CustomerName)>> ByKey(IReadOnlyCollection<(DateTimeOffset At, long Id)> keys, CancellationToken ct)
    {
        var ids = keys.Select(k => k.Id).ToList();
        var rows = await db.WorkOrders.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => new { Order = o, CustomerName = o.Customer!.Name }).ToListAsync(ct);
        var byId = rows.ToDictionary(r => r.Order.Id);
        return ids.Where(byId.ContainsKey).Select(id => (byId[id].Order, byId[id].CustomerName)).ToList();
    }

    /// <summary>Validates the filters and returns the caller's matching orders.</summary>
    public async Task<Filtered> Filter(CurrentUser user, WorkOrderQuery q, CancellationToken ct)
    {
        var (skip, take) = Paging.Check(q.Page, q.PageSize);
        var v = new Validator();
        var statuses = new List<WorkOrderStatus>();
        foreach (var s in (q.Status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (v.Enum<WorkOrderStatus>(s, "status") is { } status && !statuses.Contains(status)) statuses.Add(status);
        if (q is { From: { } f, To: { } t } && t < f) v.Add("to", "{0} must not be before {1}.", Msg.Field("from"));
        var type = v.Enum<WorkOrderType>(q.Type, "type", required: false);
        var after = ParseCursor(q.After);
        if (q.After is not null && after is null) v.Add("after", "{0} must be the next-page cursor of the previous page.");
        v.MaxLength(q.Q, 100, "q").MaxLength(q.ProductLine, 32, "productLine").MaxLength(q.Clock, 32, "clock").ThrowIfInvalid();
        // A branch the caller may not see (or none) is not found, as on the board and the other lists — not an empty page.
        if (q.BranchId is { } asked && (!user.CanSeeBranch(asked) || !await db.Branches.AnyAsync(b => b.Id == asked, ct)))
            throw new NotFoundException(Msg.Of("Branch {0}", asked));

        var text = q.Q?.Trim();
        var byCode = text is not null && Code().IsMatch(text);
        // A name shared by many customers is searched in the list's order (WideNameCustomers); anything else narrows first.
        var named = string.IsNullOrEmpty(text) || byCode || PhoneNumber.Normalize(text) is not null ? null : await NamedCustomers(text, ct);
        var wideName = named is { Count: > WideNameCustomers };
        var narrow = q.Overdue == true || !string.IsNullOrEmpty(text) && !wideName;
        IQueryable<WorkOrder> query = db.WorkOrders.AsNoTracking();
        // Who sees what is WorkOrderAccess.Visible's rule, spelled out here so that each part can pick its index. For a narrow
        // read the branch is compared as "BranchId + 0": the same test, but one SQLite cannot answer from the branch's index,
        // which it would otherwise prefer (reading the branch's whole history) over the phone's, the code's or the clocks'.
        if (user.IsOnlyTechnician)
        {
            // A technician's own orders by their technician id: an index, where the general rule is a subquery per order.
            var mine = await db.Technicians.Where(t => t.UserId == user.UserId).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);
            query = mine is { } techId ? query.Where(o => o.TechnicianId == techId) : query.Where(_ => false);
        }
        else if (!user.IsAny(Roles.Office)) query = query.Where(_ => false);
        else if (!user.IsHeadOffice) query = InBranch(query, user.BranchId, narrow && !byCode);
        if (q.BranchId is { } branch) query = InBranch(query, branch, narrow && !byCode);
        if (statuses.Count == 1) query = query.Where(o => o.Status == statuses[0]);
        if (q.TechnicianId is { } tech) query = query.Where(o => o.TechnicianId == tech);
        if (!string.IsNullOrWhiteSpace(q.ProductLine)) query = query.Where(o => o.ProductLine == q.ProductLine);
        if (q.CustomerId is { } customer) query = query.Where(o => o.CustomerId == customer);
        if (type is { } t2) query = query.Where(o => o.Type == t2);
        // completed=true: the dates are the completion's (the reports' "completed in the period" figures lead here).
        if (q.Completed == true)
        {
            query = query.Where(o => o.CompletedAt != null && o.Status != WorkOrderStatus.Cancelled);
            if (q.From is { } cf) query = query.Where(o => o.CompletedAt >= cf.ToUniversalTime());
            if (q.To is { } ct2) query = query.Where(o => o.CompletedAt < ct2.ToUniversalTime());
        }
        else
        {
            if (q.From is { } from) query = query.Where(o => o.CreatedAt >= from.ToUniversalTime());
            if (q.To is { } to) query = query.Where(o => o.CreatedAt < to.ToUniversalTime());
        }
        if (q.Overdue == true)
        {
            // Overdue: a hard SLA clock of the order is running past its deadline. Only open orders have running clocks,
            // so the clocks' index finds them (a few hundred at most) and the orders are fetched by key.
            var now = clock.GetUtcNow();
            // With a clock named (Today's "overdue by clock" links), only the orders overdue on that deadline.
            var overdue = await db.SlaClocks.Where(c => c.State == Sla.ClockState.Running && !c.IsTarget && c.DueAt <= now && c.WorkOrderId != null
                    && (q.Clock == null || c.Name == q.Clock))
                .Select(c => c.WorkOrderId!.Value).Distinct().ToListAsync(ct);
            query = query.Where(o => overdue.Contains(o.Id));
        }
        var unnamed = query;
        if (wideName) query = query.Where(o => string.Compare(o.Customer!.Name, text) >= 0 && string.Compare(o.Customer.Name, text + char.MaxValue) < 0
            && o.Customer.Name.StartsWith(text!));
        else if (!string.IsNullOrEmpty(text)) query = await Search(query, text, named, ct);
        return new Filtered(query, narrow, statuses.Count > 1 ? statuses : [], skip, take, after, Uncounted: wideName && !narrow,
            WideName: wideName ? text : null, Unnamed: unnamed);
    }

    private static IQueryable<WorkOrder> InBranch(IQueryable<WorkOrder> query, int branch, bool narrow) =>
        narrow ? query.Where(o => o.BranchId + 0 == branch) : query.Where(o => o.BranchId == branch);

    /// <summary>
    /// "Code, phone or name", each by an index: a full phone number (the order's contact or its customer's, in any
    /// spelling PhoneNumber accepts), an order code, or the beginning of the customer's name.
    /// </summary>
    private async Task<IQueryable<WorkOrder>> Search(IQueryable<WorkOrder> query, string text, List<int>? named, CancellationToken ct)
    {
        if (Code().IsMatch(text))
        {
            var code = text.ToUpperInvariant();
            return query.Where(o => o.Code == code);
        }
        // The customers first (a handful), so that the orders' condition is two index lookups joined by OR, which both
        // databases can combine (an OR with a subquery sends PostgreSQL through the whole table).
        if (PhoneNumber.Normalize(text) is { } phone)
        {
            var customers = await db.Customers.Where(c => c.Phone == phone).Select(c => c.Id).ToListAsync(ct);
            return query.Where(o => o.ContactPhone == phone || customers.Contains(o.CustomerId));
        }
        var ids = named ?? await NamedCustomers(text, ct);
        return query.Where(o => ids.Contains(o.CustomerId));
    }

    /// <summary>The customers whose name begins with the text, up to one more than <see cref="WideNameCustomers"/>.</summary>
    private Task<List<int>> NamedCustomers(string text, CancellationToken ct)
    {
        // A prefix as a range of the name index (LIKE cannot use it on SQLite); StartsWith keeps the match exact.
        var upper = text + char.MaxValue;
        return db.Customers.Where(c => string.Compare(c.Name, text) >= 0 && string.Compare(c.Name, upper) < 0 && c.Name.StartsWith(text))
            .Select(c => c.Id).Take(WideNameCustomers + 1).ToListAsync(ct);
    }

    private static string Cursor(WorkOrder last) => Cursor(last.CreatedAt, last.Id);

    private static string Cursor(DateTimeOffset at, long id) => $"{at.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{id.ToString(CultureInfo.InvariantCulture)}";

    private static (DateTimeOffset, long)? ParseCursor(string? cursor)
    {
        var parts = cursor?.Split('.');
        return parts is [var ticks, var id] && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            && t <= DateTimeOffset.MaxValue.UtcTicks && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            ? (new DateTimeOffset(t, TimeSpan.Zero), i) : null;
    }
}
