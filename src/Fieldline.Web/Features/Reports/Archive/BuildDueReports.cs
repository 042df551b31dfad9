using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Reports.Plans;
using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Archive;

/// <summary>Fieldline:Reports: <c>CadenceEnabled</c> (default on) lets the scheduler build the cadence reports.</summary>
public sealed class ReportOptions
{
    public bool CadenceEnabled { get; set; } = true;
}

/// <summary>
/// The regulation's reports on their cadence, by the scheduler's tick (a timer like the SLA clocks; the sandbox clock and
/// the tests run it when time moves): for each branch with technicians, once its day / week / month / quarter has ended
/// in its own zone, the last period's report of each kind the policy asks for (RPT-10/15 daily, RPT-04/08 weekly,
/// RPT-03 monthly, RPT-19 monthly and quarterly, RPT-01 the service-record book, RPT-07 the month-end review) — only the last period, never a back-fill of the history. And RPT-11:
/// once a week has begun without its plan approved, whoever must act is reminded, once (<see cref="RemindLatePlan"/>).
/// </summary>
public sealed class BuildDueReports(IServiceScopeFactory scopes, TimeProvider clock, ReportOptions options, ILogger<BuildDueReports> log) : IDueWork
{
    public Task RunDueAsync(CancellationToken ct) => options.CadenceEnabled ? Run(null, ct) : Task.CompletedTask;

    /// <summary>The kinds the policy asks for.</summary>
    public static IEnumerable<ReportKind> Required(CompanyPolicy policy)
    {
        if (policy.DailyReport) yield return ReportKind.Daily;
        if (policy.UnfinishedWorkReport) yield return ReportKind.Unfinished;
        if (policy.WeeklySummary) yield return ReportKind.Weekly;
        if (policy.MonthlyReportToGMOffice) yield return ReportKind.Monthly;
        if (policy.OperatingStatistics) { yield return ReportKind.OpsMonth; yield return ReportKind.OpsQuarter; }
        if (policy.ServiceRecordBook) yield return ReportKind.ServiceRecordBook;
        if (policy.MonthEndReview) yield return ReportKind.MonthEndReview;
    }

    /// <summary>
    /// The archive a scheduler running all along would hold: each kind's last ended period built at the moment that period
    /// ended in the branch's zone, so none shows late. The demo company seeds its archive with it (a fresh demo has not run
    /// through the ends of last week, month and quarter, and building them now would mark them all late).
    /// </summary>
    public Task BuildAsIfRunning(IReadOnlyCollection<int> branches, CancellationToken ct) => Run(branches, onTime: true, ct);

    /// <summary>Builds what is due for <paramref name="only"/> these branches (all with technicians when null).</summary>
    public async Task Run(IReadOnlyCollection<int>? only, CancellationToken ct) => await Run(only, onTime: false, ct);

    private async Task Run(IReadOnlyCollection<int>? only, bool onTime, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        var policy = await scope.ServiceProvider.GetRequiredService<PolicyStore>().InForce(db, now, ct);
        var kinds = Required(policy).ToList();
        var zones = scope.ServiceProvider.GetRequiredService<BranchZones>();
        var branches = only?.ToList() ?? await db.Technicians.AsNoTracking().Select(t => t.BranchId).Distinct().ToListAsync(ct);
        if (branches.Count == 0) return;
        // What is built already, in one read: every kind's last period started at most a quarter and a week ago.
        var since = BranchTime.Today(now, TimeZoneInfo.Utc).AddMonths(-7);
        var built = (await db.Set<ReportDocument>().AsNoTracking().Where(d => d.From >= since && branches.Contains(d.BranchId))
            .Select(d => new { d.BranchId, d.Kind, d.From }).ToListAsync(ct)).Select(d => (d.BranchId, d.Kind, d.From)).ToHashSet();
        foreach (var branch in branches)
        {
            var zone = await zones.For(branch, ct);
            var today = BranchTime.Today(now, zone);
            foreach (var kind in kinds)
            {
                var from = BuildReport.LastEnded(kind, today);
                if (built.Contains((branch, kind, from))) continue;
                await using var one = scopes.CreateAsyncScope();
                DateTimeOffset? at = onTime ? Sla.SlaMath.At(BuildReport.End(kind, from), TimeOnly.MinValue, zone) : null;
                try { await one.ServiceProvider.GetRequiredService<BuildReport>().Build(kind, branch, from, null, ct, at); }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogError(e, "The {Kind} report of branch {Branch} from {From} failed", kind, branch, from); }
            }
            if (policy.WeeklyPlanApprovalRole is not null) await RemindPlan(branch, FindWeeklyPlans.ThisMonday(today), now, ct);
        }
    }

    /// <summary>RPT-11: the week has begun and its plan was not approved before: the person who must act is reminded, once.</summary>
    private async Task RemindPlan(int branch, DateOnly week, DateTimeOffset now, CancellationToken ct)
    {
        await using var one = scopes.CreateAsyncScope();
        try { await one.ServiceProvider.GetRequiredService<RemindLatePlan>().Handle(branch, week, now, ct); }
        // Another node's reminder is not an error (RemindLatePlan tells it by the unique index); anything else is.
        catch (Exception e) when (e is not OperationCanceledException) { log.LogError(e, "The weekly plan reminder of branch {Branch} for {Week} could not be saved", branch, week); }
    }
}
