using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <param name="Note">Why, when refusing (required then); a remark when approving.</param>
public sealed record LeaveDecisionBody(string? Note, int? Version);

/// <summary>
/// Approve or refuse a leave request, and list them. The supervisor decides; leave of more than a day while the person
/// has an installation assigned and not finished is the manager's to approve (ATT-14/DSP-19).
/// </summary>
public sealed class LeaveDecisions(AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock, ExcuseJudgedDays excuse)
{
    public static readonly string[] Approvers = [Roles.Supervisor, Roles.Manager, Roles.Admin];
    public static readonly string[] Managers = [Roles.Manager, Roles.Admin];
    private static readonly WorkOrderStatus[] Assigned = [WorkOrderStatus.Dispatched, WorkOrderStatus.Accepted, WorkOrderStatus.Scheduled, WorkOrderStatus.InProgress];

    public Task<LeaveRequestDto> Approve(CurrentUser user, long id, LeaveDecisionBody r, IfMatchVersions? ifMatch, CancellationToken ct) =>
        Decide(user, id, r, ifMatch, approve: true, ct);

    public Task<LeaveRequestDto> Refuse(CurrentUser user, long id, LeaveDecisionBody r, IfMatchVersions? ifMatch, CancellationToken ct) =>
        Decide(user, id, r, ifMatch, approve: false, ct);

    private async Task<LeaveRequestDto> Decide(CurrentUser user, long id, LeaveDecisionBody r, IfMatchVersions? ifMatch, bool approve, CancellationToken ct)
    {
        user.RequireAny(approve ? "approve leave" : "refuse leave", Approvers);
        var v = new Validator();
        if (approve) v.MaxLength(r.Note, 500, "note");
        else v.RequiredText(r.Note, 500, "note");
        v.ThrowIfInvalid();
        var leave = await Visible(user).AsTracking().FirstOrDefaultAsync(l => l.Id == id, ct) ?? throw new NotFoundException("Leave request", id);
        Concurrency.Check("Leave request", leave.Version, r.Version, ifMatch);
        var now = clock.GetUtcNow();
        if (approve)
        {
            if (!user.IsAny(Managers) && await NeedsManager(leave, ct))
                throw new ForbiddenException("Leave of more than a day while an installation is assigned needs the manager's approval (ATT-14).");
            leave.Approve(user.UserName, string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim(), now);
        }
        else leave.Refuse(user.UserName, r.Note!.Trim(), now);
        if (approve) await ExcuseJudgedDays(leave, now, ct);
        Notify.Queue(db, now, "leave", leave.BranchId, null, approve ? Msg.Of("Leave approved") : Msg.Of("Leave refused"),
            Msg.Of("Your leave {0}–{1}: {2}", Day(leave.From), Day(leave.To), Msg.Code("leaveStatus", JsonNames.Of(leave.Status))),
            [leave.TechnicianUserId], []);
        // Approved leave changes who may be dispatched: the dispatcher hears of it.
        if (approve) Notify.Queue(db, now, "leave", leave.BranchId, null, Msg.Of("Leave approved"),
            Msg.Of("{0} is on leave {1}–{2}.", await NameOf(leave.TechnicianId, ct), Day(leave.From), Day(leave.To)), [], [Roles.Dispatcher]);
        await db.SaveChangesAsync(ct);
        return await Dto(leave, ct);
    }

    /// <summary>
    /// Leave phoned in and approved after the cut-off judged a day absenteeism (ATT-07: the formalities the same day)
    /// excuses it: the day's proposed fine is dismissed, and a dismissal review the day's run opened is withdrawn
    /// (<see cref="People.ExcuseJudgedDays"/>). A fine a manager already confirmed stays theirs to undo.
    /// </summary>
    internal Task ExcuseJudgedDays(LeaveRequest leave, DateTimeOffset now, CancellationToken ct) =>
        excuse.Days(leave.TechnicianId, leave.From, leave.To, leave.DecidedBy ?? "system", Msg.Of("Leave approved for the day (ATT-07)."), now, ct);

    /// <summary>ATT-14/DSP-19: more than a day while an installation is assigned to the person and not finished.</summary>
    public async Task<bool> NeedsManager(LeaveRequest leave, CancellationToken ct)
    {
        if (leave.Days <= 1) return false;
        var policy = await policies.InForce(db, clock.GetUtcNow(), ct);
        if (!policy.LeaveDuringAssignedTaskRequiresManagerApproval) return false;
        return await db.WorkOrders.AnyAsync(o => o.TechnicianId == leave.TechnicianId && o.Type == WorkOrderType.Install && Assigned.Contains(o.Status), ct);
    }

    public async Task<Page<LeaveRequestDto>> List(CurrentUser user, int? technicianId, string? status, DateOnly? from, DateOnly? to, int? page, int? pageSize, CancellationToken ct)
    {
        user.RequireAny("read leave requests", [Roles.Technician, .. Roles.Office]);
        var (skip, take) = Paging.Check(page, pageSize);
        var v = new Validator();
        var s = v.Enum<LeaveStatus>(status, "status", required: false, kind: "leaveStatus");
        v.ThrowIfInvalid();
        var query = Visible(user);
        if (technicianId is { } t) query = query.Where(l => l.TechnicianId == t);
        if (s is { } st) query = query.Where(l => l.Status == st);
        if (from is { } f) query = query.Where(l => l.To >= f);
        if (to is { } u) query = query.Where(l => l.From <= u);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(l => l.Id).Skip(skip).Take(take).ToListAsync(ct);
        var result = new List<LeaveRequestDto>(items.Count);
        foreach (var l in items) result.Add(await Dto(l, ct));
        return new Page<LeaveRequestDto>(result, total);
    }

    internal IQueryable<LeaveRequest> Visible(CurrentUser user)
    {
        var query = db.Set<LeaveRequest>().AsNoTracking();
        if (user.IsOnlyTechnician) return query.Where(l => l.TechnicianUserId == user.UserId);
        return user.IsHeadOffice ? query : query.Where(l => l.BranchId == user.BranchId);
    }

    public async Task<LeaveRequestDto> Dto(LeaveRequest l, CancellationToken ct)
    {
        var zone = await zones.For(l.BranchId, ct);
        var needsManager = l.Status == LeaveStatus.Requested && await NeedsManager(l, ct);
        return new LeaveRequestDto(l.Id, l.BranchId, l.TechnicianId, await NameOf(l.TechnicianId, ct), l.From, l.To, l.Days, ReasonText(l.Reason), l.Emergency,
            JsonNames.Of(l.Status), needsManager, l.RequestedBy, BranchTime.Local(l.RequestedAt, zone), l.DecidedBy, BranchTime.Local(l.DecidedAt, zone),
            l.DecisionNote, l.Version, l.ExtensionOfId);
    }

    /// <summary>A reason the system wrote (the rest after a trip, ATT-20) is a stored text, read in the reader's language; a person's is shown as written.</summary>
    internal static string ReasonText(string reason) => reason.StartsWith("{\"key\":", StringComparison.Ordinal) ? StoredText.Render(reason) : reason;

    private async Task<string> NameOf(int technicianId, CancellationToken ct) =>
        await db.Technicians.AsNoTracking().Where(t => t.Id == technicianId).Select(t => t.User!.DisplayName).FirstOrDefaultAsync(ct) ?? "";

    private static string Day(DateOnly d) => d.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
