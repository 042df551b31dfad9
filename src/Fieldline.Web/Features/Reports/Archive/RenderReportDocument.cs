using System.Globalization;
using Fieldline.Web.Features.Mobile;
using Fieldline.Web.Features.Parts;
using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Infrastructure.Spreadsheets;
using PdfSharp.Pdf;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Fieldline.Web.Features.Reports.Archive;

/// <summary>
/// An archived report's PDF and workbook, drawn from the figures it was built with, in the reader's language (Chinese by
/// default). The PDF uses the service report's page (<see cref="RenderServiceReport.Page"/>, its CJK font) like the parts
/// cost report; the workbook keeps numbers as numbers and dates as dates. The one way the app writes a report's workbook
/// and PDF: the parts cost report (<see cref="ExportPartsCostReport"/>) is drawn by it too, from a <see cref="ReportBody"/>.
/// </summary>
public sealed class RenderReportDocument(MobileOptions options)
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string PdfType = "application/pdf";

    public static string FileName(ReportDocument d, string extension) =>
        $"{Infrastructure.Http.JsonNames.Of(d.Kind)}-{d.BranchId}-{d.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.{extension}";

    public Task<byte[]> Workbook(ReportDocument d, string branchName, CancellationToken ct) => Workbook(d.Body, branchName, d.From, d.To, ct);

    /// <summary>A report's figures for the period [from, to) as a workbook: a sheet per section, the title and period above the first.</summary>
    public async Task<byte[]> Workbook(ReportBody body, string branchName, DateOnly from, DateOnly to, CancellationToken ct)
    {
        using var output = new MemoryStream();
        await using (var book = await Spreadsheet.CreateNewAsync(output, new SpreadCheetahOptions { BufferSize = 64 * 1024 }, ct))
        {
            var bold = book.AddStyle(new Style { Font = { Bold = true } });
            var date = book.AddStyle(new Style { Format = NumberFormat.Custom("yyyy-mm-dd") });
            var cents = book.AddStyle(new Style { Format = NumberFormat.Custom("0.00") });
            var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var first = true;
            foreach (var section in body.Sections)
            {
                var name = SheetName(section.Heading.Render(), used);
                var sheet = new WorksheetOptions { FrozenRows = first ? 3 : 1 };
                for (var i = 0; i < section.Columns.Count; i++) sheet.Column(i + 1).Width = i == 0 ? 22 : 14;
                await book.StartWorksheetAsync(name, sheet, ct);
                if (first)
                {
                    await book.AddRowAsync([new StyledCell(SheetText.Inert(body.Title.Render() + "  " + branchName), bold)], ct);
                    await book.AddRowAsync([new Cell(Msg.Of("Period").Render()), new Cell(from.ToDateTime(TimeOnly.MinValue), date),
                        new Cell(to.AddDays(-1).ToDateTime(TimeOnly.MinValue), date)], ct);
                    first = false;
                }
                await book.AddRowAsync(section.Columns.Select(c => new StyledCell(c.Render(), bold)).ToArray(), ct);
                foreach (var row in section.Rows)
                    await book.AddRowAsync(row.Select(c => c.Number is { } n ? (n.Scale == 2 ? new Cell(n, cents) : new Cell(n)) : c.Date is { } dd ? new Cell(dd.ToDateTime(TimeOnly.MinValue), date)
                        : new Cell(SheetText.Inert(c.Render()))).ToArray(), ct);
            }
            if (first) await book.StartWorksheetAsync(SheetName(body.Title.Render(), used), null, ct);
            await book.FinishAsync(ct);
        }
        return output.ToArray();
    }

    public byte[] Pdf(ReportDocument d, string branchName, DateTimeOffset builtAtLocal) => Pdf(d.Body, branchName, d.From, d.To, builtAtLocal);

    /// <summary>A report's figures for the period [from, to) as a PDF; <paramref name="builtAtLocal"/> when it was built (none for a report drawn live).</summary>
    public byte[] Pdf(ReportBody body, string branchName, DateOnly from, DateOnly to, DateTimeOffset? builtAtLocal)
    {
        var culture = CultureInfo.CurrentUICulture;
        ReportFont.EnsureInstalled(options.ReportFontPath);
        using var document = new PdfDocument();
        document.Info.Title = body.Title.Render(culture);
        var page = new RenderServiceReport.Page(document);
        page.Small(branchName);
        page.Title(body.Title.Render(culture));
        page.Small(Msg.Of("Period {0} – {1}", Iso(from), Iso(to.AddDays(-1))).Render(culture) + (builtAtLocal is { } built
            ? "  ·  " + Msg.Of("Built {0}", built.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Render(culture) : ""));
        foreach (var note in body.Notes) page.Text(note.Render(culture));
        foreach (var section in body.Sections)
        {
            page.Heading(section.Heading.Render(culture));
            if (section.Rows.Count == 0) page.Text(Msg.Of("None").Render(culture));
            foreach (var row in section.Rows)
            {
                if (section.Columns.Count == 2 && row.Count == 2)
                {
                    page.Row(row[0].Render(culture), row[1].Render(culture));
                    continue;
                }
                page.Row(row.Count > 0 ? row[0].Render(culture) : "", "", bold: true);
                var rest = Enumerable.Range(1, Math.Max(0, row.Count - 1)).Where(i => i < section.Columns.Count)
                    .Select(i => section.Columns[i].Render(culture) + " " + row[i].Render(culture));
                page.Text("    " + string.Join("   ", rest));
            }
        }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string SheetName(string text, HashSet<string> used)
    {
        var clean = new string(text.Select(c => "[]:*?/\\".Contains(c, StringComparison.Ordinal) ? ' ' : c).ToArray()).Trim();
        if (clean.Length == 0) clean = "Sheet";
        if (clean.Length > 28) clean = clean[..28];
        var name = clean;
        for (var i = 2; !used.Add(name); i++) name = $"{clean} {i}";
        return name;
    }
}
