using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Archive;

/// <summary>
/// Builds one report of a branch and period into the archive and tells its addressees in-app; a document already built
/// for that kind, branch and period is returned as it is (idempotent; a second node's insert loses on the unique index).
/// </summary>
public sealed class BuildReport(AppDbContext db, ComposeReport compose, TimeProvider clock, SmtpOptions smtp, ILogger<BuildReport> log)
{
    /// <summary>Who receives each report in-app: the branch's people in these roles (RPT-15 goes to the dispatcher, RPT-03/04/19 to management).</summary>
    public static string[] Addressees(ReportKind kind) => kind switch
    {
        ReportKind.Daily => [Roles.Supervisor, Roles.Manager],
        ReportKind.Unfinished => [Roles.Dispatcher, Roles.Supervisor],
        // RPT-01's copy for the technical department (no role of its own: e-mailed to Fieldline:Smtp:TechnicalDepartment when set).
        ReportKind.ServiceRecordBook or ReportKind.MonthEndReview => [Roles.Manager, Roles.Supervisor],
        _ => [Roles.Manager],
    };

    /// <summary>The period [from, to) a report of this kind covers when it starts on <paramref name="from"/>.</summary>
    public static DateOnly End(ReportKind kind, DateOnly from) => kind switch
    {
        ReportKind.Daily or ReportKind.Unfinished => from.AddDays(1),
        ReportKind.Weekly => from.AddDays(7),
        ReportKind.OpsQuarter => from.AddMonths(3),
        _ => from.AddMonths(1),
    };

    /// <summary>The last whole period of this kind that ended on or before <paramref name="today"/> began (the one due now).</summary>
    public static DateOnly LastEnded(ReportKind kind, DateOnly today) => kind switch
    {
        ReportKind.Daily or ReportKind.Unfinished => today.AddDays(-1),
        ReportKind.Weekly => Plans.FindWeeklyPlans.ThisMonday(today).AddDays(-7),
        ReportKind.OpsQuarter => new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1).AddMonths(-3),
        _ => new DateOnly(today.Year, today.Month, 1).AddMonths(-1),
    };

    /// <summary>Builds (or returns) the document; <paramref name="builtAt"/> dates it when it is not now (the demo's archive, built as a running scheduler would have).</summary>
    public async Task<ReportDocument> Build(ReportKind kind, int branch, DateOnly from, int? byUserId, CancellationToken ct, DateTimeOffset? builtAt = null)
    {
        var existing = await db.Set<ReportDocument>().AsNoTracking().FirstOrDefaultAsync(d => d.BranchId == branch && d.Kind == kind && d.From == from, ct);
        if (existing is not null) return existing;
        var to = End(kind, from);
        var body = await compose.Compose(kind, branch, from, to, ct);
        var now = builtAt ?? clock.GetUtcNow();
        var document = new ReportDocument { Kind = kind, BranchId = branch, From = from, To = to, BuiltAt = now, BuiltByUserId = byUserId, BodyJson = body.ToJson() };
        db.Add(document);
        try
        {
            // The document and its notice in one transaction: the notice names the document, whose id the first save gives.
            await db.Database.CreateExecutionStrategy().ExecuteAsync(() => db.WriteAsync(async () =>
            {
                await db.SaveChangesAsync(ct);
                // In-app to the addressees, and by e-mail with the PDF and workbook when SMTP is configured (the outbox decides);
                // RPT-01's book also to the technical department's address.
                db.Outbox.Add(Notify.Message(now, "reportBuilt", branch, null, Msg.Of("New report: {0}", body.Title),
                    Msg.Of("{0} is in the report archive (PDF and Excel).", body.Title), [], Addressees(kind), OutboxChannel.Email, document.Id,
                    kind == ReportKind.ServiceRecordBook && !string.IsNullOrWhiteSpace(smtp.TechnicalDepartment) ? smtp.TechnicalDepartment.Trim() : null));
                await db.SaveChangesAsync(ct);
            }, ct));
            return document;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            log.LogInformation(e, "The {Kind} report of branch {Branch} from {From} was built elsewhere", kind, branch, from);
            db.ChangeTracker.Clear();
            return await db.Set<ReportDocument>().AsNoTracking().FirstAsync(d => d.BranchId == branch && d.Kind == kind && d.From == from, ct);
        }
    }
}
