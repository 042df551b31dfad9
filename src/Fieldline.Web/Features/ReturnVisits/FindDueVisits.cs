using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.ReturnVisits;

/// <summary>
/// An order waiting for its return visit: who to call, by when (the RV-01 clock's due time, in the branch's zone), how many
/// calls were tried and when the next may be made, the script for its type under its policy version, and what the order
/// itself says was charged — so the agent can compare it with what the customer says (RV-06). <c>purpose</c> says why the
/// customer is called: <c>service</c> (after the order), <c>depot</c> (a depot unit handed back without an order, SHOP-02:
/// <c>depotUnitId</c>, the receipt number as <c>code</c>) or <c>periodic</c> (RV-02: a registered unit, <c>productId</c>, its
/// serial as <c>code</c>); the last two have no order, no script and are recorded with <c>POST /api/return-visits</c>.
/// </summary>
public sealed record DueVisitDto(long? WorkOrderId, string Code, string Type, int BranchId, string CustomerName, string ContactPerson, string ContactPhone,
    string Address, int? TechnicianId, string? TechnicianName, DateTimeOffset? CompletedAt, DateTimeOffset? DueAt, bool Overdue, int Attempts, int MaxAttempts,
    DateTimeOffset? NextAttemptAt, string ScriptVersion, IReadOnlyList<ScriptQuestionDto> Script, IReadOnlyList<ChargeDto> Charges, decimal ChargedTotal,
    string? InvoiceNumber, string Purpose = Purposes.Service, long? DepotUnitId = null, int? ProductId = null);

/// <summary>One recorded attempt, as the workbench lists an order's history.</summary>
public sealed record ReturnVisitDto(long Id, int Attempt, string Outcome, string Channel, string ScriptVersion, IReadOnlyDictionary<string, decimal> Answers,
    int? Satisfaction, string? Remarks, string By, DateTimeOffset At);

public sealed record DueVisitQuery(int? BranchId, int? TechnicianId, string? Type);

/// <summary>
/// The return-visit queue (RV-01, RV-09): completed orders of the caller's branch (head office: every branch) not yet
/// visited, earliest due first, without those whose every allowed call went unanswered. An order the customer rated
/// through the link is visited already, so it is not here. Depot units handed back without an order (SHOP-02) and registered
/// units due for their periodic visit (RV-02) join the same queue unless it is filtered by technician or order type.
/// </summary>
public sealed class FindDueVisits(WorkOrderAccess access, AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.ReturnVisitAgent, Roles.Manager, Roles.Admin];

    public async Task<Page<DueVisitDto>> Handle(CurrentUser user, DueVisitQuery query, CancellationToken ct)
    {
        user.RequireAny("read the return-visit queue", Readers);
        var v = new Validator();
        WorkOrderType? type = null;
        if (query.Type is { Length: > 0 } t)
        {
            if (Enum.TryParse<WorkOrderType>(t, ignoreCase: true, out var parsed) && !int.TryParse(t, out _)) type = parsed;
            else v.Add("type", "{0}: '{1}' is not one of the allowed values: {2}.", t, Msg.Join(Enum.GetValues<WorkOrderType>().Select(x => Msg.Choice("type", JsonNames.Of(x)))));
        }
        v.ThrowIfInvalid();
        // A branch or technician the caller may not see is a 404, as on the board and every other branch filter — never an
        // empty queue that reads as "nothing due" (head office: a branch that does not exist).
        if (query.BranchId is { } asked && (!user.CanSeeBranch(asked) || !await zones.Exists(asked, ct))) throw new NotFoundException("Branch", asked);
        if (query.TechnicianId is { } wanted && !await db.Technicians.AnyAsync(t => t.Id == wanted && (user.IsHeadOffice || t.BranchId == user.BranchId), ct))
            throw new NotFoundException("Technician", wanted);
        var orders = access.Visible(user).Where(o => o.Status == WorkOrderStatus.Completed);
        if (query.BranchId is { } branch) orders = orders.Where(o => o.BranchId == branch);
        if (query.TechnicianId is { } tech) orders = orders.Where(o => o.TechnicianId == tech);
        if (type is { } ty) orders = orders.Where(o => o.Type == ty);
        var rows = await Rows(orders.Take(1000), ct);
        if (query.TechnicianId is null && type is null)
        {
            rows.AddRange(await DepotRows(user, query.BranchId, ct));
            rows.AddRange(await PeriodicRows(user, query.BranchId, ct));
        }
        var due = rows.Where(r => r.Unreachable < r.MaxAttempts)
            .OrderBy(r => r.DueAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.CompletedAt).ThenBy(r => r.WorkOrderId).ToList();
        return new Page<DueVisitDto>(due.Select(r => r.Dto).ToList(), due.Count);
    }

    /// <summary>One completed order the caller may see, with its script (also when it is not due any more): the script page.</summary>
    public async Task<DueVisitDto> One(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("read the return-visit queue", Readers);
        var rows = await Rows(access.Visible(user).Where(o => o.Id == id), ct);
        return rows.FirstOrDefault()?.Dto ?? throw new NotFoundException("Work order", id);
    }

    /// <summary>The attempts recorded for an order the caller may see, first to last.</summary>
    public async Task<IReadOnlyList<ReturnVisitDto>> History(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("read the return-visit queue", Readers);
        var order = await access.Visible(user).Where(o => o.Id == id).Select(o => new { o.Id, o.BranchId }).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("Work order", id);
        var zone = await zones.For(order.BranchId, ct);
        var visits = await db.ReturnVisits.AsNoTracking().Where(x => x.WorkOrderId == id).OrderBy(x => x.Attempt).ToListAsync(ct);
        return visits.Select(x => new ReturnVisitDto(x.Id, x.Attempt, x.Outcome, x.Channel, x.ScriptVersion,
            System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, decimal>>(x.AnswersJson) ?? [], x.Satisfaction, x.Remarks, x.By, BranchTime.Local(x.At, zone))).ToList();
    }

    /// <summary>The depot unit's or registered unit's visit, when the caller's queue holds it now (for recording it).</summary>
    internal async Task<DueVisitDto?> UnitVisit(CurrentUser user, long? depotUnitId, int? productId, CancellationToken ct) =>
        (depotUnitId is not null ? await DepotRows(user, null, ct, depotUnitId) : await PeriodicRows(user, null, ct, productId))
            .Where(r => r.Unreachable < r.MaxAttempts).Select(r => r.Dto).FirstOrDefault();

    /// <summary>
    /// SHOP-02: units the customer collected from the depot that came without a work order (or from an order visited already
    /// after its field completion, which is not in the queue any more), due
    /// returnVisit.afterCustomerReceiptWithinMinutes after the hand-back, until a call reaches (or is refused by) the customer.
    /// </summary>
    private async Task<List<Row>> DepotRows(CurrentUser user, int? branchId, CancellationToken ct, long? onlyUnit = null)
    {
        var units = db.Set<Depot.DepotUnit>().AsNoTracking().Where(u => u.Status == Depot.DepotUnitStatus.Collected && u.ReturnVisitDueAt != null);
        if (!user.IsHeadOffice) units = units.Where(u => u.BranchId == user.BranchId);
        if (branchId is { } b) units = units.Where(u => u.BranchId == b);
        if (onlyUnit is { } one) units = units.Where(u => u.Id == one);
        var list = await units
            // Without an order, or with one whose own return visit was made already (visited, closed): its queue row is gone, so the unit has its own.
            .Join(db.Set<Depot.DepotReceipt>().Where(r => r.WorkOrderId == null
                    || db.WorkOrders.Any(o => o.Id == r.WorkOrderId && (o.Status == WorkOrderStatus.Visited || o.Status == WorkOrderStatus.Closed))),
                u => u.ReceiptId, r => r.Id, (u, r) => new
            {
                u.Id, u.BranchId, u.Product, u.SerialNumber, u.CollectedAt, u.ReturnVisitDueAt, r.Number, r.CustomerName, r.CustomerPhone,
            })
            .Where(u => !db.ReturnVisits.Any(v => v.DepotUnitId == u.Id && v.Outcome != RecordReturnVisit.Unreachable))
            .OrderBy(u => u.ReturnVisitDueAt).Take(500).ToListAsync(ct);
        if (list.Count == 0) return [];
        var ids = list.Select(u => u.Id).ToList();
        var visits = await db.ReturnVisits.AsNoTracking().Where(v => v.DepotUnitId != null && ids.Contains(v.DepotUnitId.Value))
            .Select(v => new { Id = v.DepotUnitId!.Value, v.At }).ToListAsync(ct);
        var policy = await policies.InForce(db, clock.GetUtcNow(), ct);
        var rows = new List<Row>();
        foreach (var u in list)
        {
            var tries = visits.Where(v => v.Id == u.Id).Select(v => v.At).ToList();
            rows.Add(await UnitRow(Purposes.Depot, u.BranchId, u.Number, u.CustomerName, u.CustomerPhone, "", $"{u.Product} {u.SerialNumber}".Trim(), u.CollectedAt,
                u.ReturnVisitDueAt, tries, policy, u.Id, null, ct));
        }
        return rows;
    }

    /// <summary>
    /// RV-02: registered units whose customer is due a visit again — the policy's interval after the last service (the
    /// install or purchase day, the last completed order for the unit, the last periodic visit that reached the customer or
    /// used every try), once that day has come.
    /// </summary>
    private async Task<List<Row>> PeriodicRows(CurrentUser user, int? branchId, CancellationToken ct, int? onlyProduct = null)
    {
        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        if (policy.PeriodicVisitIntervalDays is not { } interval) return [];
        // A day's margin for the zones: the exact due time is worked out per unit below.
        var cutoff = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-interval + 1);
        var products = db.Products.AsNoTracking().Where(p => (p.InstalledOn ?? p.PurchaseDate) != null && (p.InstalledOn ?? p.PurchaseDate) <= cutoff);
        if (onlyProduct is { } one) products = products.Where(p => p.Id == one);
        var list = await products.Join(db.Customers.Where(c => (user.IsHeadOffice || c.BranchId == user.BranchId) && (branchId == null || c.BranchId == branchId)),
                p => p.CustomerId, c => c.Id, (p, c) => new { p.Id, p.Model, p.SerialNumber, p.ProductLine, Since = (p.InstalledOn ?? p.PurchaseDate)!.Value, c.BranchId, c.Name, c.Phone, c.Address })
            .OrderBy(p => p.Since).ThenBy(p => p.Id).Take(2000).ToListAsync(ct);
        if (list.Count == 0) return [];
        var ids = list.Select(p => p.Id).ToList();
        var services = await db.WorkOrders.AsNoTracking().Where(o => o.ProductId != null && ids.Contains(o.ProductId.Value) && o.CompletedAt != null)
            .GroupBy(o => o.ProductId!.Value).Select(g => new { Id = g.Key, Last = g.Max(o => o.CompletedAt) }).ToListAsync(ct);
        var visits = await db.ReturnVisits.AsNoTracking().Where(v => v.ProductId != null && ids.Contains(v.ProductId.Value))
            .Select(v => new { Id = v.ProductId!.Value, v.At, v.Outcome, v.Attempt }).ToListAsync(ct);
        var max = policy.ReturnVisitMaxAttempts;
        var rows = new List<Row>();
        foreach (var p in list)
        {
            var zone = await zones.For(p.BranchId, ct);
            var basis = PeriodicBasis(p.Since, zone, services.FirstOrDefault(s => s.Id == p.Id)?.Last,
                visits.Where(v => v.Id == p.Id).Select(v => (v.At, v.Outcome, v.Attempt)), max);
            var dueAt = basis.AddDays(interval);
            if (dueAt > now) continue;
            var tries = visits.Where(v => v.Id == p.Id && v.At >= dueAt).Select(v => v.At).ToList();
            rows.Add(await UnitRow(Purposes.Periodic, p.BranchId, p.SerialNumber, p.Name, p.Phone, p.Address, p.Model, basis, dueAt, tries, policy, null, p.Id, ct));
            if (rows.Count >= 500) break;
        }
        return rows;
    }

    /// <summary>RV-02: when the current period of a registered unit began (its due time is this plus the interval).</summary>
    internal static DateTimeOffset PeriodicBasis(DateOnly since, TimeZoneInfo zone, DateTimeOffset? lastService,
        IEnumerable<(DateTimeOffset At, string Outcome, int Attempt)> visits, int maxAttempts)
    {
        var start = new DateTimeOffset(since.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(since.ToDateTime(TimeOnly.MinValue)));
        var basis = lastService is { } s && s > start ? s : start;
        foreach (var v in visits)
            if ((v.Outcome != RecordReturnVisit.Unreachable || v.Attempt >= maxAttempts) && v.At > basis) basis = v.At;
        return basis;
    }

    private async Task<Row> UnitRow(string purpose, int branchId, string code, string customer, string phone, string address, string product,
        DateTimeOffset? since, DateTimeOffset? dueAt, List<DateTimeOffset> tries, CompanyPolicy policy, long? depotUnitId, int? productId, CancellationToken ct)
    {
        var zone = await zones.For(branchId, ct);
        var now = clock.GetUtcNow();
        var max = policy.ReturnVisitMaxAttempts;
        DateTimeOffset? next = tries.Count > 0 ? tries.Max().AddMinutes(policy.ReturnVisitRetryAfterMinutes) : null;
        var dto = new DueVisitDto(null, code, purpose, branchId, customer, customer, phone, string.IsNullOrEmpty(address) ? product : $"{address} · {product}",
            null, null, BranchTime.Local(since, zone), BranchTime.Local(dueAt, zone), dueAt is { } d && now >= d, tries.Count, max,
            next is { } n && n > now ? BranchTime.Local(n, zone) : null, ReturnVisitScript.Version, [], [], 0m, null, purpose, depotUnitId, productId);
        return new Row(0, dueAt, since, tries.Count, max, dto);
    }

    private sealed record Row(long WorkOrderId, DateTimeOffset? DueAt, DateTimeOffset? CompletedAt, int Unreachable, int MaxAttempts, DueVisitDto Dto);

    private async Task<List<Row>> Rows(IQueryable<WorkOrder> orders, CancellationToken ct)
    {
        var list = await orders.AsNoTracking().Select(o => new
        {
            o.Id, o.Code, o.Type, o.BranchId, o.PolicyVersionId, CustomerName = o.Customer!.Name, o.ContactPerson, o.ContactPhone, o.Address,
            o.TechnicianId, o.CompletedAt, o.InvoiceNumber,
        }).ToListAsync(ct);
        if (list.Count == 0) return [];
        var ids = list.Select(o => o.Id).ToList();
        var clocks = await db.SlaClocks.AsNoTracking().Where(c => c.WorkOrderId != null && ids.Contains(c.WorkOrderId.Value) && c.Name == Clocks.ReturnVisit)
            .Select(c => new { WorkOrderId = c.WorkOrderId!.Value, c.Id, c.DueAt }).ToListAsync(ct);
        var visits = await db.ReturnVisits.AsNoTracking().Where(x => x.WorkOrderId != null && ids.Contains(x.WorkOrderId.Value)).Select(x => new { WorkOrderId = x.WorkOrderId!.Value, x.Outcome, x.At }).ToListAsync(ct);
        var charges = await db.Set<WorkOrderCharge>().AsNoTracking().Where(c => ids.Contains(c.WorkOrderId))
            .Select(c => new { Id = c.WorkOrderId, ChargeId = c.Id, c.Description, c.Amount }).ToListAsync(ct);
        var techIds = list.Where(o => o.TechnicianId is not null).Select(o => o.TechnicianId!.Value).Distinct().ToList();
        var techNames = await db.Technicians.AsNoTracking().Where(t => techIds.Contains(t.Id)).Select(t => new { t.Id, t.User!.DisplayName }).ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);
        var now = clock.GetUtcNow();
        var rows = new List<Row>();
        foreach (var o in list)
        {
            var policy = await policies.ById(db, o.PolicyVersionId, ct);
            var zone = await zones.For(o.BranchId, ct);
            var dueAt = clocks.Where(c => c.WorkOrderId == o.Id).OrderByDescending(c => c.Id).Select(c => c.DueAt).FirstOrDefault();
            var mine = visits.Where(x => x.WorkOrderId == o.Id).ToList();
            var unreachable = mine.Where(x => x.Outcome == RecordReturnVisit.Unreachable).ToList();
            var max = policy.ReturnVisitMaxAttempts;
            DateTimeOffset? next = unreachable.Count > 0 ? unreachable.Max(x => x.At).AddMinutes(policy.ReturnVisitRetryAfterMinutes) : null;
            var lines = charges.Where(c => c.Id == o.Id).OrderBy(c => c.ChargeId).Select(c => new ChargeDto(c.Description, c.Amount)).ToList();
            var dto = new DueVisitDto(o.Id, o.Code, JsonNames.Of(o.Type), o.BranchId, o.CustomerName, o.ContactPerson, o.ContactPhone, o.Address, o.TechnicianId,
                o.TechnicianId is { } tid ? techNames.GetValueOrDefault(tid) : null, BranchTime.Local(o.CompletedAt, zone), BranchTime.Local(dueAt, zone),
                dueAt is { } d && now >= d, mine.Count, max, next is { } n && n > now ? BranchTime.Local(n, zone) : null, ReturnVisitScript.Version,
                ReturnVisitScript.For(o.Type, policy), lines, lines.Sum(l => l.Amount), o.InvoiceNumber);
            rows.Add(new Row(o.Id, dueAt, o.CompletedAt, unreachable.Count, max, dto));
        }
        return rows;
    }
}
