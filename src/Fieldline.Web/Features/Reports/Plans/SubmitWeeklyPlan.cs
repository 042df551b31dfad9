using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Plans;

/// <summary><c>weekStart</c>: the plan's Monday (default: next Monday); <c>text</c>: the plan; <c>items</c>: its items, one each.</summary>
public sealed record WeeklyPlanRequest(DateOnly? WeekStart, string? Text, List<string>? Items, int? BranchId);

/// <summary>
/// RPT-11: the after-sales supervisor submits the next week's plan (text and items) for the department manager's approval;
/// the branch's managers are told in-app. Submitted again until approved; a week already begun takes no plan (400).
/// </summary>
public sealed class SubmitWeeklyPlan(AppDbContext db, BranchZones zones, FindWeeklyPlans find, TimeProvider clock)
{
    public static readonly string[] Submitters = [Roles.Admin, Roles.Supervisor];

    public async Task<WeeklyPlanDto> Handle(CurrentUser user, WeeklyPlanRequest r, CancellationToken ct)
    {
        user.RequireAny("submit the weekly plan", Submitters);
        var branch = r.BranchId ?? user.BranchId;
        if (!user.CanSeeBranch(branch) || !await zones.Exists(branch, ct)) throw new NotFoundException("Branch", branch);
        var zone = await zones.For(branch, ct);
        var now = clock.GetUtcNow();
        var today = BranchTime.Today(now, zone);
        var week = r.WeekStart ?? FindWeeklyPlans.NextMonday(today);
        var items = (r.Items ?? []).Select(i => i?.Trim() ?? "").Where(i => i.Length > 0).ToList();
        var v = new Validator();
        if (week.DayOfWeek != DayOfWeek.Monday) v.Add("weekStart", "{0} must be a Monday.");
        else if (week <= today) v.Add("weekStart", "{0} must be a week that has not begun.");
        v.RequiredText(r.Text, 4000, "text");
        if (items.Count > 50) v.Add("items", "{0} may hold at most {1} items.", 50);
        if (items.Any(i => i.Length > 200)) v.Add("items", "{0}: each item is at most {1} characters.", 200);
        v.ThrowIfInvalid();

        var plan = await db.Set<WeeklyPlan>().FirstOrDefaultAsync(p => p.BranchId == branch && p.WeekStart == week, ct);
        if (plan is null) db.Add(plan = new WeeklyPlan { BranchId = branch, WeekStart = week });
        plan.Submit(r.Text!.Trim(), items, user.UserId, now);
        var iso = week.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Notify.Queue(db, now, "weeklyPlanSubmitted", branch, null, Msg.Of("The plan for the week of {0} awaits your approval", iso),
            Msg.Of("The supervisor submitted the work plan for the week of {0}. Please approve it on the Report archive page before Monday.", iso), [], [Roles.Manager]);
        await db.SaveChangesAsync(ct);
        return await find.Dto(branch, week, plan, zone, ct);
    }
}
