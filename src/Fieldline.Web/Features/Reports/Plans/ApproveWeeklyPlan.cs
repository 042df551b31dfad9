using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Plans;

/// <summary>
/// RPT-11: the department manager (the branch's after-sales manager) approves a submitted weekly plan. Approved once (a
/// second approval, or one of a plan not submitted, is a 409); approved after the week began, it stays shown as unapproved.
/// </summary>
public sealed class ApproveWeeklyPlan(AppDbContext db, BranchZones zones, FindWeeklyPlans find, TimeProvider clock)
{
    public static readonly string[] Approvers = [Roles.Admin, Roles.Manager];

    public async Task<WeeklyPlanDto> Handle(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("approve the weekly plan", Approvers);
        var plan = await db.Set<WeeklyPlan>().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null || !user.CanSeeBranch(plan.BranchId)) throw new NotFoundException("Weekly plan", id);
        plan.Approve(user.UserId, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return await find.Dto(plan.BranchId, plan.WeekStart, plan, await zones.For(plan.BranchId, ct), ct);
    }
}
