using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Plans;

/// <summary>
/// RPT-11, a required submission gone late: the week has begun (Monday 00:00 in the branch's zone) and its plan was not
/// approved before. The person who must act next is reminded, once, in-app and by e-mail when SMTP is configured: nothing
/// submitted — the after-sales supervisor, who prepares the plan (and the department manager, who approves it); submitted
/// but not approved — the department manager. Exactly once with any number of nodes (<see cref="LateReminder"/>).
/// </summary>
public sealed class RemindLatePlan(AppDbContext db, BranchZones zones, ILogger<RemindLatePlan> log)
{
    /// <returns>True when this call sent the reminder.</returns>
    public async Task<bool> Handle(int branch, DateOnly week, DateTimeOffset now, CancellationToken ct)
    {
        var zone = await zones.For(branch, ct);
        if (now < SlaMath.At(week, TimeOnly.MinValue, zone)) return false; // not begun: not late yet
        var period = LateReminder.Key(week);
        if (await db.Set<LateReminder>().AnyAsync(r => r.BranchId == branch && r.Kind == LateReminder.WeeklyPlan && r.Period == period, ct)) return false;
        var plan = await db.Set<WeeklyPlan>().AsNoTracking().FirstOrDefaultAsync(p => p.BranchId == branch && p.WeekStart == week, ct);
        if (plan is not null && plan.ApprovedInTime(SlaMath.At(week, TimeOnly.MinValue, zone))) return false;

        var submitted = plan?.SubmittedAt is not null;
        var message = Notify.Message(now, "weeklyPlanUnapproved", branch, null, Msg.Of("The plan for the week of {0} is unapproved", period),
            submitted
                ? Msg.Of("The work plan for the week of {0} was not approved before the week began. Please review it on the Report archive page.", period)
                : Msg.Of("No work plan was submitted for the week of {0}, which has begun. The supervisor submits it and the department manager approves it on the Report archive page.", period),
            [], submitted ? new[] { Roles.Manager } : new[] { Roles.Supervisor, Roles.Manager }, OutboxChannel.Email);
        return await LateReminder.Send(db, new LateReminder { BranchId = branch, Kind = LateReminder.WeeklyPlan, Period = period, SentAt = now }, message, log, ct);
    }
}
