using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Archive;

/// <summary>
/// <c>kind</c>: the report (daily, unfinished, weekly, monthly, opsMonth, opsQuarter, serviceRecordBook, monthEndReview);
/// <c>from</c>: the first day of its period (a Monday for a week, the 1st for a month, of January, April, July or October
/// for a quarter); <c>branchId</c>: head office building a branch's report (default: the caller's branch).
/// </summary>
public sealed record BuildReportRequest(string? Kind, DateOnly? From, int? BranchId);

/// <summary>
/// A manager builds a report of an ended period now (<c>POST /api/reports/archive</c>): a period the scheduler did not build
/// (it builds only the last one; a branch that joined later, the GM asking for an older month). The same document as the
/// scheduler's, marked as built by the caller; one that exists already is returned as it is (a document never changes).
/// </summary>
public sealed class BuildReportNow(AppDbContext db, BuildReport build, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Builders = [Roles.Admin, Roles.Manager];

    public async Task<ReportDocumentDto> Handle(CurrentUser user, BuildReportRequest r, CancellationToken ct)
    {
        user.RequireAny("build a report", Builders);
        var branch = r.BranchId ?? user.BranchId;
        if (!user.CanSeeBranch(branch) || !await zones.Exists(branch, ct)) throw new NotFoundException("Branch", branch);
        var zone = await zones.For(branch, ct);
        var today = BranchTime.Today(clock.GetUtcNow(), zone);
        var v = new Validator();
        var kind = v.Enum<ReportKind>(r.Kind, "kind", kind: "reportKind");
        if (r.From is not { } from) v.Add("from", "{0} is required.");
        else if (kind is { } k)
        {
            if (!Starts(k, from)) v.Add("from", "{0} must be the first day of the report's period (a Monday for a week, the 1st for a month, the 1st of January, April, July or October for a quarter).");
            else if (from.Year < 2000 || BuildReport.End(k, from) > today) v.Add("from", "{0} must start a period that has ended.");
        }
        v.ThrowIfInvalid();
        var document = await build.Build(kind!.Value, branch, r.From!.Value, user.UserId, ct);
        var name = await db.Branches.AsNoTracking().Where(b => b.Id == branch).Select(b => b.Name).FirstAsync(ct);
        var builder = document.BuiltByUserId is { } by ? await db.Users.AsNoTracking().Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
        return FindArchive.Dto(document, name, zone, builder);
    }

    /// <summary>Whether <paramref name="from"/> is where a period of this kind starts.</summary>
    public static bool Starts(ReportKind kind, DateOnly from) => kind switch
    {
        ReportKind.Daily or ReportKind.Unfinished => true,
        ReportKind.Weekly => from.DayOfWeek == DayOfWeek.Monday,
        ReportKind.OpsQuarter => from.Day == 1 && (from.Month - 1) % 3 == 0,
        _ => from.Day == 1,
    };
}
