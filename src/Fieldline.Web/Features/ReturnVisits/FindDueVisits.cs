using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.ReturnVisits;

/// <summary>
/// An order waiting for its return visit: who to call, by when (the RV-01 clock's due time, in the branch's zone), how many
/// calls were tried and when the next may be made, the script for its type under its policy version, and what the order
/// itself says was charged — so the agent can compare it with what the customer says (RV-06).
/// </summary>
public sealed record DueVisitDto(long WorkOrderId, string Code, string Type, int BranchId, string CustomerName, string ContactPerson, string ContactPhone,
    string Address, int? TechnicianId, string? TechnicianName, DateTimeOffset? CompletedAt, DateTimeOffset? DueAt, bool Overdue, int Attempts, int MaxAttempts,
    DateTimeOffset? NextAttemptAt, string ScriptVersion, IReadOnlyList<ScriptQuestionDto> Script, IReadOnlyList<ChargeDto> Charges, decimal ChargedTotal,
    string? InvoiceNumber);

/// <summary>One recorded attempt, as the workbench lists an order's history.</summary>
public sealed record ReturnVisitDto(long Id, int Attempt, string Outcome, string Channel, string ScriptVersion, IReadOnlyDictionary<string, decimal> Answers,
    int? Satisfaction, string? Remarks, string By, DateTimeOffset At);

public sealed record DueVisitQuery(int? BranchId, int? TechnicianId, string? Type);

/// <summary>
/// The return-visit queue (RV-01, RV-09): completed orders of the caller's branch (head office: every branch) not yet
/// visited, earliest due first, without those whose every allowed call went unanswered. An order the customer rated
/// through the link is visited already, so it is not here.
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
            else v.Add("type", "{0} must be install, repair, maintenance or inspection.");
        }
        v.ThrowIfInvalid();
        var orders = access.Visible(user).Where(o => o.Status == WorkOrderStatus.Completed);
        if (query.BranchId is { } branch) orders = orders.Where(o => o.BranchId == branch);
        if (query.TechnicianId is { } tech) orders = orders.Where(o => o.TechnicianId == tech);
        if (type is { } ty) orders = orders.Where(o => o.Type == ty);
        var rows = await Rows(orders.Take(1000), ct);
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
        var visits = await db.ReturnVisits.AsNoTracking().Where(x => ids.Contains(x.WorkOrderId)).Select(x => new { x.WorkOrderId, x.Outcome, x.At }).ToListAsync(ct);
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
            var max = RecordReturnVisit.MaxAttempts(policy);
            DateTimeOffset? next = unreachable.Count > 0 ? unreachable.Max(x => x.At).AddMinutes(RecordReturnVisit.RetryAfterMinutes(policy)) : null;
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
