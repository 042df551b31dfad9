using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

/// <summary>
/// The after-sales supervisor submits the month's parts cost report to finance (PRT-11, SC-26): the date and the total
/// submitted are recorded; a month is submitted once (a second time is a 409).
/// </summary>
public sealed class SubmitPartsCostReport(AppDbContext db, BuildPartsCostReport build, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Submitters = [Roles.Admin, Roles.Manager, Roles.Supervisor];

    public async Task<PartsCostReportDto> Handle(CurrentUser user, string? month, int? branchId, CancellationToken ct)
    {
        user.RequireAny("submit the parts cost report", Submitters);
        var branch = branchId ?? user.BranchId;
        if (!user.CanSeeBranch(branch) || !await zones.Exists(branch, ct)) throw new NotFoundException("Branch", branch);
        var now = clock.GetUtcNow();
        var first = BuildPartsCostReport.Month(month, BranchTime.Today(now, await zones.For(branch, ct)));
        var report = await build.Build(branch, first, ct);
        var key = BuildPartsCostReport.Key(first);
        var state = await db.Set<PartsCostReport>().FirstOrDefaultAsync(r => r.BranchId == branch && r.Month == key, ct);
        if (state is null) db.Add(state = new PartsCostReport { BranchId = branch, Month = key });
        state.Submit(user.UserId, report.Total, now);
        await db.SaveChangesAsync(ct);
        return await build.Build(branch, first, ct);
    }
}
