using System.Globalization;
using Fieldline.Web.Features.Reports.Archive;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

/// <summary>
/// The monthly parts cost report as the workbook and the PDF that go to finance, in the reader's language (Chinese by
/// default), drawn by the report archive's renderer (<see cref="RenderReportDocument"/>, the one way reports are written)
/// from a <see cref="ReportBody"/> of the month's table. Used by the API and by the /reports/parts-cost page.
/// </summary>
public sealed class ExportPartsCostReport(RenderReportDocument render, AppDbContext db)
{
    public const string XlsxType = RenderReportDocument.XlsxType;
    public const string PdfType = RenderReportDocument.PdfType;

    private static readonly string[] Headers = ["Part number", "Part name", "Unit cost", "Quantity issued", "Total", "In warranty: quantity", "In warranty: total",
        "Out of warranty: quantity", "Out of warranty: total"];

    public static string FileName(PartsCostReportDto r, string extension) => $"parts-cost-{r.Month}.{extension}";

    /// <summary>The month's figures as a report body: the submission (or its due day) under the title, one row per part and the totals.</summary>
    public static ReportBody Body(PartsCostReportDto r)
    {
        static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var rows = r.Lines.Select(l => (IReadOnlyList<ReportCell>)[l.PartNumber, l.PartName, Money(l.UnitCost), l.Quantity, Money(l.Total),
            l.InWarrantyQuantity, Money(l.InWarrantyTotal), l.OutOfWarrantyQuantity, Money(l.OutOfWarrantyTotal)]).ToList();
        rows.Add([Msg.Of("Total"), "", "", r.Quantity, Money(r.Total), "", Money(r.InWarrantyTotal), "", Money(r.OutOfWarrantyTotal)]);
        var state = r.SubmittedAt is { } at ? Msg.Of("Submitted to finance {0}", Iso(at))
            : Msg.Of("Due to finance by {0}", r.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return new ReportBody(Msg.Of("Monthly parts cost report {0}", r.Month), [state],
            [new ReportSection(Msg.Of("Parts cost {0}", r.Month), Headers.Select(h => Msg.Of(h)).ToList(), rows)]);
    }

    /// <summary>Money keeps its two places in the workbook (a number formatted 0.00).</summary>
    private static ReportCell Money(decimal d) => new(Number: decimal.Round(d, 2) + 0.00m);

    public async Task<byte[]> Workbook(PartsCostReportDto r, CancellationToken ct)
    {
        var (from, to) = Period(r);
        return await render.Workbook(Body(r), await BranchName(r, ct), from, to, ct);
    }

    public async Task<byte[]> Pdf(PartsCostReportDto r, CancellationToken ct)
    {
        var (from, to) = Period(r);
        return render.Pdf(Body(r), await BranchName(r, ct), from, to, null);
    }

    private static (DateOnly From, DateOnly To) Period(PartsCostReportDto r)
    {
        var from = DateOnly.ParseExact(r.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (from, from.AddMonths(1));
    }

    private async Task<string> BranchName(PartsCostReportDto r, CancellationToken ct) =>
        await db.Branches.AsNoTracking().Where(b => b.Id == r.BranchId).Select(b => b.Name).FirstOrDefaultAsync(ct) ?? "";
}
