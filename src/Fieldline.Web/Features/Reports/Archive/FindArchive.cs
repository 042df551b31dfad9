using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Reports.Plans;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Archive;

public sealed record ReportDocumentDto(long Id, string Kind, int BranchId, string BranchName, DateOnly From, DateOnly To, string Title,
    DateTimeOffset BuiltAt, string? BuiltBy, string Pdf, string Xlsx);

/// <summary>
/// A report the policy requires, for its last ended period: its document when built, and <c>late</c> when it was not built
/// by the end of the day after its period (<c>dueAt</c>).
/// </summary>
public sealed record RequiredReportDto(string Kind, int BranchId, DateOnly From, DateOnly To, DateTimeOffset DueAt, long? DocumentId, bool Late);

public sealed record ReportArchive(IReadOnlyList<ReportDocumentDto> Items, IReadOnlyList<RequiredReportDto> Required, IReadOnlyList<WeeklyPlanDto> Plans);

public sealed record ArchiveQuery(string? Kind, int? BranchId, DateOnly? From, DateOnly? To);

/// <summary>
/// The report archive (<c>GET /api/reports/archive</c>, <c>/reports/archive</c>): the documents built for the branches the
/// caller may see (a branch manager their own; head office every branch), newest first, filtered by kind and by the
/// day their period starts [from, to); with, per required report, whether it is late, and the weekly plans (RPT-11).
/// </summary>
public sealed class FindArchive(AppDbContext db, ComputeKpis kpis, BranchZones zones, PolicyStore policies, FindWeeklyPlans plans, TimeProvider clock)
{
    public static readonly string[] Readers = ComputeKpis.Readers;
    public const int Limit = 500;

    public async Task<ReportArchive> Handle(CurrentUser user, ArchiveQuery q, CancellationToken ct)
    {
        user.RequireAny("see reports", Readers);
        var v = new Validator();
        var kind = v.Enum<ReportKind>(q.Kind, "kind", required: false, kind: "reportKind");
        if (q is { From: { } f, To: { } t } && t <= f) v.Add("to", "{0} must be after {1}.", Msg.Field("from"));
        v.ThrowIfInvalid();
        var scope = await kpis.Scope(user, q.BranchId, ct);
        var names = await db.Branches.AsNoTracking().Where(b => scope.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => b.Name, ct);

        var query = db.Set<ReportDocument>().AsNoTracking().Where(d => scope.Contains(d.BranchId));
        if (kind is { } k) query = query.Where(d => d.Kind == k);
        if (q.From is { } from) query = query.Where(d => d.From >= from);
        if (q.To is { } to) query = query.Where(d => d.From < to);
        var docs = await query.OrderByDescending(d => d.From).ThenBy(d => d.BranchId).ThenBy(d => d.Kind).Take(Limit).ToListAsync(ct);
        var userIds = docs.Select(d => d.BuiltByUserId).OfType<int>().Distinct().ToList();
        var builders = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var items = new List<ReportDocumentDto>();
        foreach (var d in docs)
        {
            var zone = await zones.For(d.BranchId, ct);
            items.Add(Dto(d, names.GetValueOrDefault(d.BranchId) ?? "", zone, d.BuiltByUserId is { } by ? builders.GetValueOrDefault(by) : null));
        }

        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        var required = new List<RequiredReportDto>();
        // The branches the scheduler builds for: those with technicians (a head office without field staff has no daily work to report).
        var working = await db.Technicians.AsNoTracking().Where(t => scope.Contains(t.BranchId)).Select(t => t.BranchId).Distinct().ToListAsync(ct);
        foreach (var branch in scope.Where(working.Contains))
        {
            var zone = await zones.For(branch, ct);
            var today = BranchTime.Today(now, zone);
            foreach (var rk in BuildDueReports.Required(policy).Where(r => kind is null || r == kind))
            {
                var start = BuildReport.LastEnded(rk, today);
                var end = BuildReport.End(rk, start);
                var due = SlaMath.At(end.AddDays(1), TimeOnly.MinValue, zone);
                var doc = await db.Set<ReportDocument>().AsNoTracking().Where(d => d.BranchId == branch && d.Kind == rk && d.From == start)
                    .Select(d => new { d.Id, d.BuiltAt }).FirstOrDefaultAsync(ct);
                required.Add(new RequiredReportDto(JsonNames.Of(rk), branch, start, end, BranchTime.Local(due, zone), doc?.Id, (doc?.BuiltAt ?? now) > due));
            }
        }
        var weekly = policy.WeeklyPlanApprovalRole is null ? [] : await plans.Handle(user, q.BranchId, 4, ct);
        return new ReportArchive(items, required, weekly);
    }

    /// <summary>A document as listed: its title in the reader's language, built-at in its branch's zone, its PDF and workbook.</summary>
    public static ReportDocumentDto Dto(ReportDocument d, string branchName, TimeZoneInfo zone, string? builtBy) =>
        new(d.Id, JsonNames.Of(d.Kind), d.BranchId, branchName, d.From, d.To, d.Body.Title.Render(), BranchTime.Local(d.BuiltAt, zone), builtBy,
            $"/api/reports/archive/{d.Id}.pdf", $"/api/reports/archive/{d.Id}.xlsx");

    /// <summary>One document the caller may read (another branch's is a 404), with its branch's name and zone.</summary>
    public async Task<(ReportDocument Document, string BranchName, TimeZoneInfo Zone)> One(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("see reports", Readers);
        var d = await db.Set<ReportDocument>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (d is null || !user.CanSeeBranch(d.BranchId)) throw new NotFoundException("Report", id);
        var name = await db.Branches.AsNoTracking().Where(b => b.Id == d.BranchId).Select(b => b.Name).FirstAsync(ct);
        return (d, name, await zones.For(d.BranchId, ct));
    }
}
