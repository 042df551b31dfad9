using System.Globalization;
using Fieldline.Web.Features.Mobile;
using Fieldline.Web.Infrastructure.Localization;
using PdfSharp.Pdf;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Fieldline.Web.Features.Parts;

/// <summary>The monthly parts cost report as the workbook and the PDF that go to finance, in the reader's language (Chinese by default).</summary>
public sealed class ExportPartsCostReport(MobileOptions options)
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string PdfType = "application/pdf";

    private static readonly string[] Headers = ["Part number", "Part name", "Unit cost", "Quantity issued", "Total", "In warranty: quantity", "In warranty: total",
        "Out of warranty: quantity", "Out of warranty: total"];

    public async Task<byte[]> Workbook(PartsCostReportDto r, string branchName, CancellationToken ct)
    {
        using var output = new MemoryStream();
        await using (var book = await Spreadsheet.CreateNewAsync(output, new SpreadCheetahOptions { BufferSize = 64 * 1024 }, ct))
        {
            var bold = book.AddStyle(new Style { Font = { Bold = true } });
            var money = book.AddStyle(new Style { Format = NumberFormat.Custom("0.00") });
            var sheet = new WorksheetOptions { FrozenRows = 2 };
            double[] widths = [16, 24, 10, 10, 12, 12, 12, 12, 12];
            for (var i = 0; i < widths.Length; i++) sheet.Column(i + 1).Width = widths[i];
            await book.StartWorksheetAsync(Msg.Of("Parts cost {0}", r.Month).Render(), sheet, ct);
            await book.AddRowAsync([new StyledCell(Msg.Of("Monthly parts cost report {0}", r.Month).Render() + "  " + ExportStock.Inert(branchName), bold)], ct);
            await book.AddRowAsync(Headers.Select(h => new StyledCell(Msg.Of(h).Render(), bold)).ToArray(), ct);
            foreach (var l in r.Lines)
                await book.AddRowAsync([new Cell(ExportStock.Inert(l.PartNumber)), new Cell(ExportStock.Inert(l.PartName)), new Cell(l.UnitCost, money), new Cell(l.Quantity), new Cell(l.Total, money),
                    new Cell(l.InWarrantyQuantity), new Cell(l.InWarrantyTotal, money), new Cell(l.OutOfWarrantyQuantity), new Cell(l.OutOfWarrantyTotal, money)], ct);
            await book.AddRowAsync([new Cell(Msg.Of("Total").Render(), bold), new Cell(""), new Cell(""), new Cell(r.Quantity), new Cell(r.Total, money),
                new Cell(""), new Cell(r.InWarrantyTotal, money), new Cell(""), new Cell(r.OutOfWarrantyTotal, money)], ct);
            await book.FinishAsync(ct);
        }
        return output.ToArray();
    }

    public byte[] Pdf(PartsCostReportDto r, string branchName)
    {
        var culture = CultureInfo.CurrentUICulture;
        string L(string key, params object?[] args) => Msg.Of(key, args).Render(culture);
        static string M(decimal d) => "¥" + d.ToString("0.00", CultureInfo.InvariantCulture);
        ReportFont.EnsureInstalled(options.ReportFontPath);
        using var document = new PdfDocument();
        document.Info.Title = L("Monthly parts cost report {0}", r.Month);
        var page = new RenderServiceReport.Page(document);
        page.Small(branchName);
        page.Title(L("Monthly parts cost report {0}", r.Month));
        page.Small(r.SubmittedAt is { } at ? L("Submitted to finance {0}", at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            : L("Due to finance by {0}", r.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        page.Gap(6);
        if (r.Lines.Count == 0) page.Text(L("None"));
        foreach (var l in r.Lines)
        {
            page.Row($"{l.PartNumber}  {l.PartName}  {M(l.UnitCost)} × {l.Quantity}", M(l.Total), bold: true);
            page.Row("    " + L("In warranty: quantity") + $" {l.InWarrantyQuantity}", M(l.InWarrantyTotal));
            page.Row("    " + L("Out of warranty: quantity") + $" {l.OutOfWarrantyQuantity}", M(l.OutOfWarrantyTotal));
        }
        page.Gap(6);
        page.Row(L("In warranty: total"), M(r.InWarrantyTotal));
        page.Row(L("Out of warranty: total"), M(r.OutOfWarrantyTotal));
        page.Row(L("Total"), M(r.Total), bold: true);
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }
}
