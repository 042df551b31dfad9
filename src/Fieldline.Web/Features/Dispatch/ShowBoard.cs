using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Dispatch;

/// <summary>The deadline an order is racing now: its running clock due soonest (a target like the 20-minute contact counts).</summary>
public sealed record DeadlineDto(string Clock, string RuleId, bool IsTarget, DateTimeOffset? WarnAt, DateTimeOffset DueAt, string State);

public sealed record BoardOrderDto(long Id, string Code, int Version, string Type, string Status, string Priority, bool AngryCustomer,
    string CustomerName, string Address, string ProductLine, string? FaultDescription, int? TechnicianId, TimeWindow? Appointment,
    TimeWindow? RequestedWindow, DeadlineDto? NextDeadline, DateTimeOffset CreatedAt, DateTimeOffset? DispatchedAt)
{
    /// <summary>返修 (PEN-86, SC-22): the earlier repair of the same unit this order repeats, as intake found it.</summary>
    public long? RepeatOf { get; init; }
    public string? RepeatOfCode { get; init; }
    /// <summary>抢单池: the order waits in the branch's pool for a technician to take it (the dispatcher may still assign it).</summary>
    public bool InPool { get; init; }
}

public sealed record BoardTechnicianDto(int Id, string Name, IReadOnlyList<string> Skills, IReadOnlyList<string> Regions, bool OnDuty,
    int DoneToday, IReadOnlyList<BoardOrderDto> Orders)
{
    /// <summary>Whether the eligibility rule lets them work today; when not, every reason (shown greyed on the board).</summary>
    public bool Eligible { get; init; } = true;
    public IReadOnlyList<People.EligibilityReasonDto> Reasons { get; init; } = [];
    /// <summary>DSP-21: part-time staff whom only the after-sales manager may send (offered in the assign lists to managers only).</summary>
    public bool ManagerSends { get; init; }
}

/// <summary>
/// A branch's dispatch board: the unassigned queue by urgency (angry customers, urgent, then the nearest deadline), the
/// technicians with their open orders and today's load, and the SMS dispatch orders nobody has accepted yet.
/// </summary>
public sealed record BoardDto(int BranchId, string BranchName, DateTimeOffset Now, IReadOnlyList<BoardOrderDto> Unassigned,
    IReadOnlyList<BoardTechnicianDto> Technicians, IReadOnlyList<BoardOrderDto> NotAccepted, IReadOnlyList<BranchChoice> Branches)
{
    /// <summary>The reader is the after-sales manager, who may send part-time staff (DSP-21).</summary>
    public bool SendsPartTime { get; init; }
}

public sealed record BranchChoice(int Id, string Name);

public sealed class ShowBoard(AppDbContext db, BranchZones zones, TimeProvider clock, People.TechnicianEligibility eligibility, Policy.PolicyStore policies)
{
    public static readonly string[] Viewers = [Roles.Admin, Roles.Manager, Roles.Dispatcher, Roles.InfoClerk];
    private static readonly WorkOrderStatus[] OnTheirDay = [WorkOrderStatus.Dispatched, WorkOrderStatus.Accepted, WorkOrderStatus.Scheduled, WorkOrderStatus.InProgress];

    public async Task<BoardDto> Handle(CurrentUser user, int? branchId, CancellationToken ct)
    {
        user.RequireAny("see the dispatch board", Viewers);
        // Head office watches a branch's board: the first branch with technicians unless it picks one.
        var branch = branchId ?? (user.IsHeadOffice
            ? await db.Technicians.OrderBy(t => t.BranchId).Select(t => (int?)t.BranchId).FirstOrDefaultAsync(ct) ?? user.BranchId
            : user.BranchId);
        if (!user.CanSeeBranch(branch)) throw new NotFoundException("Branch", branch);
        var b = await db.Branches.AsNoTracking().FirstOrDefaultAsync(x => x.Id == branch, ct) ?? throw new NotFoundException("Branch", branch);
        var zone = await zones.For(branch, ct);
        var now = clock.GetUtcNow();
        var dayStart = SlaMath.At(BranchTime.Today(now, zone), new TimeOnly(0, 0), zone);

        var open = await db.WorkOrders.AsNoTracking().Where(o => o.BranchId == branch && (o.Status == WorkOrderStatus.New || o.Status == WorkOrderStatus.Returned || OnTheirDay.Contains(o.Status)))
            .Select(o => new { Order = o, CustomerName = o.Customer!.Name }).ToListAsync(ct);
        var ids = open.Select(o => o.Order.Id).ToList();
        var clocks = await db.SlaClocks.AsNoTracking().Where(c => c.WorkOrderId != null && ids.Contains(c.WorkOrderId.Value) && c.State == ClockState.Running && c.DueAt != null)
            .Select(c => new { WorkOrderId = c.WorkOrderId!.Value, c.Name, c.RuleId, c.IsTarget, c.WarnAt, DueAt = c.DueAt!.Value }).ToListAsync(ct);
        var next = clocks.GroupBy(c => c.WorkOrderId).ToDictionary(g => g.Key, g => g.OrderBy(c => c.DueAt).First());
        // 返修: intake kept the repeated repair in the order's first timeline entry. The action is compared here, not in
        // SQL: given "Action = 'created'" the database may walk every order's creation by (Action, At) — the whole history.
        var repeats = (await db.Timeline.AsNoTracking().Where(t => ids.Contains(t.WorkOrderId) && t.DataJson.Contains("\"repeatOfCode\":\""))
                .Select(t => new { t.WorkOrderId, t.Action, t.DataJson }).ToListAsync(ct))
            .Where(t => t.Action == "created")
            .Select(t => (t.WorkOrderId, Data: System.Text.Json.JsonDocument.Parse(t.DataJson).RootElement))
            .Where(t => t.Data.TryGetProperty("repeatOf", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.Number)
            .ToDictionary(t => t.WorkOrderId, t => (Id: t.Data.GetProperty("repeatOf").GetInt64(), Code: t.Data.GetProperty("repeatOfCode").GetString()));

        BoardOrderDto Row(WorkOrder o, string customerName)
        {
            DeadlineDto? deadline = null;
            if (next.TryGetValue(o.Id, out var c))
                deadline = new DeadlineDto(c.Name, c.RuleId, c.IsTarget, BranchTime.Local(c.WarnAt, zone), BranchTime.Local(c.DueAt, zone),
                    now >= c.DueAt ? "overdue" : c.WarnAt is { } w && now >= w ? "warning" : "running");
            return new BoardOrderDto(o.Id, o.Code, o.Version, JsonNames.Of(o.Type), JsonNames.Of(o.Status), JsonNames.Of(o.Priority), o.AngryCustomer,
                customerName, o.Address, o.ProductLine, o.FaultDescription, o.TechnicianId,
                o.AppointmentStart is { } s ? new TimeWindow(BranchTime.Local(s, zone), BranchTime.Local(o.AppointmentEnd, zone)) : null,
                o.RequestedStart is { } rs ? new TimeWindow(BranchTime.Local(rs, zone), BranchTime.Local(o.RequestedEnd, zone)) : null,
                deadline, BranchTime.Local(o.CreatedAt, zone), BranchTime.Local(o.DispatchedAt, zone))
            {
                RepeatOf = repeats.TryGetValue(o.Id, out var first) ? first.Id : null, RepeatOfCode = repeats.TryGetValue(o.Id, out var f) ? f.Code : null,
                InPool = o.InPool,
            };
        }

        var rows = open.Select(x => Row(x.Order, x.CustomerName)).ToList();
        var unassigned = rows.Where(r => r.Status is "new" or "returned")
            .OrderByDescending(r => r.AngryCustomer).ThenByDescending(r => r.Priority == "urgent")
            .ThenBy(r => r.NextDeadline?.DueAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.CreatedAt).ToList();

        var techs = await db.Technicians.AsNoTracking().Include(t => t.User).Where(t => t.BranchId == branch && t.User!.IsActive).OrderBy(t => t.Id).ToListAsync(ct);
        var done = await db.WorkOrders.AsNoTracking().Where(o => o.BranchId == branch && o.TechnicianId != null && o.CompletedAt >= dayStart)
            .GroupBy(o => o.TechnicianId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var reasons = await eligibility.Reasons(techs, [BranchTime.Today(now, zone)], ct);
        var policy = await policies.InForce(db, now, ct);
        var technicians = techs.Select(t => new BoardTechnicianDto(t.Id, t.User!.DisplayName, t.Skills, t.Regions, t.OnDuty, done.GetValueOrDefault(t.Id),
                rows.Where(r => r.TechnicianId == t.Id && r.Status is not ("new" or "returned")).OrderBy(r => r.Appointment?.Start ?? r.NextDeadline?.DueAt ?? r.CreatedAt).ToList())
            { Eligible = reasons[t.Id].Count == 0, Reasons = reasons[t.Id].Select(People.EligibilityReasonDto.From).ToList(), ManagerSends = People.TechnicianEligibility.NeedsManager(t, policy) })
            .OrderByDescending(t => t.Eligible).ThenBy(t => t.Orders.Count).ThenBy(t => t.Id).ToList();
        var notAccepted = rows.Where(r => r.Status == "dispatched").OrderBy(r => r.DispatchedAt).ToList();

        var branches = user.IsHeadOffice
            ? await db.Branches.AsNoTracking().OrderBy(x => x.Id).Select(x => new BranchChoice(x.Id, x.Name)).ToListAsync(ct)
            : [new BranchChoice(b.Id, b.Name)];
        return new BoardDto(branch, b.Name, BranchTime.Local(now, zone), unassigned, technicians, notAccepted, branches) { SendsPartTime = user.IsAny(Roles.Manager) };
    }
}
