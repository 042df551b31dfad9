using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Reports.Archive;
using Fieldline.Web.Features.Reports.Plans;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Reports;

/// <summary>
/// The report archive (issue 19) for managers and supervisors: the regulation's reports built on their cadence with their
/// PDF and Excel, whether each required report is late, and the weekly plans (RPT-11) the supervisor submits and the
/// manager approves. The same use cases as /api/reports/archive and /api/reports/plans.
/// </summary>
public sealed class ArchiveModel(FindArchive find, SubmitWeeklyPlan submit, ApproveWeeklyPlan approve, RenderReportDocument render, BuildReportNow build, AppDbContext db) : ConsolePage
{
    public static readonly string[] PageUsers = FindArchive.Readers;

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public int? BranchId { get; set; }

    [BindProperty] public string? PlanText { get; set; }
    [BindProperty] public string? PlanItems { get; set; }
    [BindProperty] public DateOnly? WeekStart { get; set; }
    [BindProperty] public string? BuildKind { get; set; }
    [BindProperty] public DateOnly? BuildFrom { get; set; }
    [BindProperty] public int? BuildBranchId { get; set; }

    public ReportArchive? Archive { get; private set; }
    public IReadOnlyList<BranchChoice> Branches { get; private set; } = [];
    public bool CanSubmitPlan => Me.IsAny(SubmitWeeklyPlan.Submitters);
    public bool CanApprovePlan => Me.IsAny(ApproveWeeklyPlan.Approvers);
    public bool CanBuild => Me.IsAny(BuildReportNow.Builders);
    public static readonly string[] Kinds = Enum.GetValues<ReportKind>().Select(k => Infrastructure.Http.JsonNames.Of(k)).ToArray();

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    /// <summary>A document's PDF for the signed-in console user (the API's <c>/api/reports/archive/{id}.pdf</c> takes a token).</summary>
    public async Task<IActionResult> OnGetPdf(long id, CancellationToken ct)
    {
        var (d, branch, zone) = await find.One(Me, id, ct);
        return File(render.Pdf(d, branch, TimeZoneInfo.ConvertTime(d.BuiltAt, zone)), RenderReportDocument.PdfType, RenderReportDocument.FileName(d, "pdf"));
    }

    public async Task<IActionResult> OnGetXlsx(long id, CancellationToken ct)
    {
        var (d, branch, _) = await find.One(Me, id, ct);
        return File(await render.Workbook(d, branch, ct), RenderReportDocument.XlsxType, RenderReportDocument.FileName(d, "xlsx"));
    }

    public async Task<IActionResult> OnPostPlan(CancellationToken ct)
    {
        Me.RequireAny("see reports", PageUsers);
        var items = (PlanItems ?? "").Split('\n').Select(i => i.Trim()).Where(i => i.Length > 0).ToList();
        if (await Attempt(async () =>
            {
                var plan = await submit.Handle(Me, new WeeklyPlanRequest(WeekStart, PlanText, items, null), ct);
                Flash = T["The plan for the week of {0} is submitted for approval.", plan.WeekStart.ToString("yyyy-MM-dd")];
            }))
            return Redirect("/reports/archive");
        await Load(ct);
        return Page();
    }

    /// <summary>A manager builds a report of an ended period now (a late one the scheduler has not built, or an older period).</summary>
    public async Task<IActionResult> OnPostBuild(CancellationToken ct)
    {
        Me.RequireAny("see reports", PageUsers);
        if (await Attempt(async () =>
            {
                var d = await build.Handle(Me, new BuildReportRequest(BuildKind, BuildFrom, BuildBranchId), ct);
                Flash = T["{0} is in the report archive (PDF and Excel).", d.Title];
            }))
            return Redirect("/reports/archive");
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostApprove(long id, CancellationToken ct)
    {
        Me.RequireAny("see reports", PageUsers);
        if (await Attempt(async () =>
            {
                var plan = await approve.Handle(Me, id, ct);
                Flash = T["The plan for the week of {0} is approved.", plan.WeekStart.ToString("yyyy-MM-dd")];
            }))
            return Redirect("/reports/archive");
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("see reports", PageUsers);
        if (Me.IsHeadOffice) Branches = await db.Branches.AsNoTracking().OrderBy(b => b.Id).Select(b => new BranchChoice(b.Id, b.Name)).ToListAsync(ct);
        else BranchId = null;
        ReportArchive? archive = null;
        if (!await Attempt(async () => archive = await find.Handle(Me, new ArchiveQuery(Kind, BranchId, From, To), ct)))
            archive = await find.Handle(Me, new ArchiveQuery(null, BranchId, null, null), ct);
        Archive = archive;
    }

    public string BranchName(int id) => Branches.FirstOrDefault(b => b.Id == id)?.Name ?? Archive?.Items.FirstOrDefault(i => i.BranchId == id)?.BranchName ?? "";
}
