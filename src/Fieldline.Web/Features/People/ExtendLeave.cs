using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <param name="To">The new last day of leave, after the approved leave's last day.</param>
public sealed record ExtendLeaveBody(DateOnly? To, string? Reason);

/// <summary>
/// <c>POST /api/leave-requests/{id}/extend</c> (ATT-08: not back when leave ends, file an extension): approved leave
/// continues, from the day after its last day, as a new request that points at it — asked for by the technician (the
/// supervisor decides as for any leave) or recorded by the office for someone who phoned (approved at once by an
/// approver, as leave phoned in is). Days already judged absenteeism are excused when the extension is approved (ATT-07).
/// </summary>
public sealed class ExtendLeave(AppDbContext db, LeaveDecisions decisions, TimeProvider clock)
{
    public async Task<LeaveRequestDto> Handle(CurrentUser user, long id, ExtendLeaveBody r, CancellationToken ct)
    {
        user.RequireAny("extend leave", [Roles.Technician, .. RequestLeave.Recorders]);
        var original = await decisions.Visible(user).FirstOrDefaultAsync(l => l.Id == id, ct) ?? throw new NotFoundException("Leave request", id);
        var v = new Validator();
        if (r.To is null) v.Add("to", "{0} is required.");
        else if (r.To <= original.To) v.Add("to", "{0} must be after the leave's last day ({1}).", original.To.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        else if (r.To.Value.DayNumber - original.To.DayNumber > 90) v.Add("to", "Leave is at most {1} days at a time.", 90);
        v.RequiredText(r.Reason, 500, "reason");
        v.ThrowIfInvalid();
        if (original.Status != LeaveStatus.Approved) throw new IllegalTransitionException("a leave request", "leaveStatus", JsonNames.Of(original.Status), "extend");
        var from = original.To.AddDays(1);
        var to = r.To!.Value;
        var extension = await db.SerializedAsync(LeaveRequest.DaysLock, original.TechnicianId, async () =>
        {
            if (await LeaveRequest.Overlaps(db, original.TechnicianId, from, to, ct))
                throw new ConflictException(Msg.Of("{0} already has leave asked for or approved on some of these days.",
                    await db.Technicians.Where(t => t.Id == original.TechnicianId).Select(t => t.User!.DisplayName).FirstOrDefaultAsync(ct) ?? ""));
            var now = clock.GetUtcNow();
            var forSomeoneElse = user.UserId != original.TechnicianUserId;
            var extension = new LeaveRequest
            {
                BranchId = original.BranchId, TechnicianId = original.TechnicianId, TechnicianUserId = original.TechnicianUserId, From = from, To = to,
                Reason = r.Reason!.Trim(), Emergency = forSomeoneElse, RequestedBy = user.UserName, RequestedAt = now, ExtensionOfId = original.Id,
            };
            db.Add(extension);
            if (forSomeoneElse && user.IsAny(LeaveDecisions.Approvers) && (user.IsAny(LeaveDecisions.Managers) || !await decisions.NeedsManager(extension, ct)))
            {
                extension.Approve(user.UserName, null, now);
                await decisions.ExcuseJudgedDays(extension, now, ct);
            }
            await db.SaveChangesAsync(ct);
            return extension;
        }, ct);
        return await decisions.Dto(extension, ct);
    }
}
