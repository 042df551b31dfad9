using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <param name="TechnicianId">Whose leave: left out by a technician asking for their own; the office names the person it records emergency leave for (ATT-07).</param>
public sealed record LeaveRequestBody(int? TechnicianId, DateOnly? From, DateOnly? To, string? Reason);

public sealed record LeaveRequestDto(long Id, int BranchId, int TechnicianId, string TechnicianName, DateOnly From, DateOnly To, int Days, string Reason,
    bool Emergency, string Status, bool NeedsManager, string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt,
    string? DecisionNote, int Version, long? ExtensionOf = null);

/// <summary>
/// A technician asks for leave on the phone (dates, reason), or the office records leave someone phoned in (ATT-07: the
/// same day, by a colleague or the supervisor). Whole days in the branch's calendar, from today on; not overlapping the
/// person's other leave still asked for or approved. An approver recording it approves it at once (when it is theirs to approve).
/// </summary>
public sealed class RequestLeave(AppDbContext db, LeaveDecisions decisions, BranchZones zones, TimeProvider clock)
{
    /// <summary>Who may record leave for someone else (ATT-07).</summary>
    public static readonly string[] Recorders = [Roles.Supervisor, Roles.Dispatcher, Roles.InfoClerk, Roles.Manager, Roles.Admin];

    public async Task<LeaveRequestDto> Handle(CurrentUser user, LeaveRequestBody r, CancellationToken ct)
    {
        user.RequireAny("request leave", [Roles.Technician, .. Recorders]);
        Technician? tech;
        var forSomeoneElse = r.TechnicianId is not null && user.IsAny(Recorders);
        if (!forSomeoneElse)
        {
            tech = await db.Technicians.AsNoTracking().Include(t => t.User).FirstOrDefaultAsync(t => t.UserId == user.UserId, ct);
            if (tech is null) throw ValidationFailedException.For("technicianId", "{0} is required: you are not a technician.");
            if (r.TechnicianId is { } other && other != tech.Id) throw new ForbiddenException("A technician asks for leave only for themselves.");
        }
        else
        {
            tech = await db.Technicians.AsNoTracking().Include(t => t.User).FirstOrDefaultAsync(t => t.Id == r.TechnicianId, ct);
            if (tech is null || !user.CanSeeBranch(tech.BranchId)) throw ValidationFailedException.For("technicianId", "Technician {1} does not exist.", r.TechnicianId);
        }
        var now = clock.GetUtcNow();
        var zone = await zones.For(tech.BranchId, ct);
        var today = BranchTime.Today(now, zone);
        var v = new Validator();
        if (r.From is null) v.Add("from", "{0} is required.");
        else if (r.From < today) v.Add("from", "{0} cannot be before today ({1}).", today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        if (r.To is null) v.Add("to", "{0} is required.");
        else if (r.From is { } f && r.To < f) v.Add("to", "{0} cannot be before the first day.");
        else if (r.From is { } f2 && r.To.Value.DayNumber - f2.DayNumber >= 90) v.Add("to", "Leave is at most {1} days at a time.", 90);
        v.RequiredText(r.Reason, 500, "reason");
        v.ThrowIfInvalid();
        var from = r.From!.Value;
        var to = r.To!.Value;
        var leave = await db.SerializedAsync(LeaveRequest.DaysLock, tech.Id, async () =>
        {
            if (await LeaveRequest.Overlaps(db, tech.Id, from, to, ct))
                throw new ConflictException(Msg.Of("{0} already has leave asked for or approved on some of these days.", tech.User?.DisplayName ?? ""));
            var leave = new LeaveRequest
            {
                BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, From = from, To = to, Reason = r.Reason!.Trim(),
                Emergency = forSomeoneElse, RequestedBy = user.UserName, RequestedAt = now,
            };
            db.Add(leave);
            if (forSomeoneElse && user.IsAny(LeaveDecisions.Approvers) && (user.IsAny(LeaveDecisions.Managers) || !await decisions.NeedsManager(leave, ct)))
            {
                leave.Approve(user.UserName, null, now);
                await decisions.ExcuseJudgedDays(leave, now, ct);
            }
            await db.SaveChangesAsync(ct);
            return leave;
        }, ct);
        return await decisions.Dto(leave, ct);
    }
}
