using Fieldline.Web.Features.Parts;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Reports;

/// <summary>
/// The monthly parts cost report (SC-26, PRT-11) for the supervisor, finance, the keeper and the manager: the table of the
/// month, its Excel and PDF (page handlers, with the console's cookie; the API's downloads take a token), and the
/// supervisor's submission to finance. The same use cases as /api/reports/parts-cost.
/// </summary>
public sealed class PartsCostModel(BuildPartsCostReport build, SubmitPartsCostReport submit, ExportPartsCostReport export) : ConsolePage
{
    public static readonly string[] PageUsers = BuildPartsCostReport.Readers;

    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    public PartsCostReportDto? Report { get; private set; }
    public bool CanSubmit => Me.IsAny(SubmitPartsCostReport.Submitters);

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    /// <summary>The month's workbook for the signed-in console user (a bad month: 400 naming it, like the API).</summary>
    public async Task<IActionResult> OnGetXlsx(CancellationToken ct)
    {
        Me.RequireAny("read the parts cost report", PageUsers);
        var report = await build.Handle(Me, Month, null, ct);
        return File(await export.Workbook(report, ct), ExportPartsCostReport.XlsxType, ExportPartsCostReport.FileName(report, "xlsx"));
    }

    public async Task<IActionResult> OnGetPdf(CancellationToken ct)
    {
        Me.RequireAny("read the parts cost report", PageUsers);
        var report = await build.Handle(Me, Month, null, ct);
        return File(await export.Pdf(report, ct), ExportPartsCostReport.PdfType, ExportPartsCostReport.FileName(report, "pdf"));
    }

    public async Task<IActionResult> OnPostSubmit(CancellationToken ct)
    {
        Me.RequireAny("read the parts cost report", PageUsers);
        if (await Attempt(async () =>
            {
                var r = await submit.Handle(Me, Month, null, ct);
                Flash = T["The parts cost report for {0} is submitted to finance.", r.Month];
            }))
            return Redirect("/reports/parts-cost?month=" + Uri.EscapeDataString(Month ?? ""));
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("read the parts cost report", PageUsers);
        PartsCostReportDto? report = null;
        if (!await Attempt(async () => report = await build.Handle(Me, Month, null, ct)))
            report = await build.Handle(Me, null, null, ct);
        Report = report!;
        Month = report!.Month;
    }
}
