using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Reports;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Reports;

/// <summary>
/// RPT-17: the year's trips by trip category beside the 2014 reference, whether they add up, the trips still without a
/// category (each a link to its order, where the supervisor sets it), and the workbook once they do (as /api/reports/year-end).
/// </summary>
public sealed class YearEndModel(ComputeYearEnd yearEnd, AppDbContext db) : ConsolePage
{
    /// <summary>Empty: last year in the branch's calendar.</summary>
    [BindProperty(SupportsGet = true)] public int? Year { get; set; }
    [BindProperty(SupportsGet = true)] public int? BranchId { get; set; }

    public YearEndDto? Report { get; private set; }
    public IReadOnlyList<BranchChoice> Branches { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    /// <summary>The published workbook; while a trip has no category the page says why instead (the API's 409).</summary>
    public async Task<IActionResult> OnGetWorkbook(CancellationToken ct)
    {
        Me.RequireAny("see reports", ComputeKpis.Readers);
        if (!Me.IsHeadOffice) BranchId = null;
        (YearEndDto Report, Func<Stream, CancellationToken, Task> Write)? published = null;
        if (!await Attempt(async () => published = await yearEnd.Publish(Me, Year, BranchId, ct)))
        {
            await Load(ct);
            return Page();
        }
        var (report, write) = published!.Value;
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"{Msg.Of("Year-end statistics {0}", report.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)).Render()}.xlsx");
        Response.ContentType = Features.WorkOrders.ExportWorkOrders.ContentType;
        Response.Headers.ContentDisposition = disposition.ToString();
        await write(Features.WorkOrders.ExportWorkOrders.Body(HttpContext), ct);
        return new EmptyResult();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("see reports", ComputeKpis.Readers);
        if (Me.IsHeadOffice) Branches = await db.Branches.AsNoTracking().OrderBy(b => b.Id).Select(b => new BranchChoice(b.Id, b.Name)).ToListAsync(ct);
        else BranchId = null;
        YearEndDto? report = null;
        // A year out of range is said next to the picker, and last year is shown instead.
        if (!await Attempt(async () => report = await yearEnd.Handle(Me, Year, BranchId, ct)))
            report = await yearEnd.Handle(Me, null, BranchId, ct);
        Report = report;
        Year = report!.Year;
    }
}
