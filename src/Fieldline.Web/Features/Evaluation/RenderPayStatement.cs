using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Mobile;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using PdfSharp.Pdf;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>
/// A person's pay statement (工资条) as an A4 PDF in the reader's language (every text from the message catalogue), with the company's name, every line and the totals by kind
/// (the same PDF writer as the service report); and the branch's month as one Excel workbook, a row per line.
/// </summary>
public sealed class RenderPayStatement(AppDbContext db, FindPayStatements statements, MobileOptions options, TimeProvider clock, BranchZones zones)
{
    private static string L(string key, params object?[] args) => Msg.Of(key, args).Render(CultureInfo.CurrentUICulture);

    private static string Kind(string kind) => Catalogue.Code("statementKind", kind, CultureInfo.CurrentUICulture);

    public async Task<byte[]> Pdf(CurrentUser user, int personUserId, string month, CancellationToken ct)
    {
        var page = await statements.Handle(user, month, personUserId, null, ct);
        var s = await page.Items.FirstOrDefaultAsync(i => i.PersonUserId == personUserId, ct) ?? throw new NotFoundException("Pay statement");
        var (company, branch) = await Names(s.BranchId, ct);
        ReportFont.EnsureInstalled(options.ReportFontPath);
        using var document = new PdfDocument();
        document.Info.Title = L("Pay statement {0} {1}", s.Month, s.PersonName);
        var pdf = new RenderServiceReport.Page(document);
        pdf.Title(L("{0} pay statement", company));
        pdf.Small($"{branch} · {s.Month} · {(s.Closed ? L("Month closed") : L("Not closed (preview)"))} · {L("Generated {0}", BranchTime.Local(clock.GetUtcNow(), await zones.For(s.BranchId, ct)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))}");
        pdf.Gap(6);
        pdf.Field(L("Employee"), s.PersonName ?? "");
        pdf.Field(L("Evaluation eligibility"), s.EligibilityRevoked ? L("Revoked this month") : L("Kept"));
        foreach (var reason in s.EligibilityReasons) pdf.Small(reason);
        pdf.Field(L("Assessment"), s.Assessment?.Text ?? L("Not assessed"));
        pdf.Heading(L("Lines"));
        if (s.Lines.Count == 0) pdf.Text(L("None"));
        // A sanction without money (a warning, a revoked eligibility) is no fine of ¥0.00: no amount beside it.
        foreach (var l in s.Lines) pdf.Row($"{Kind(l.Kind)} {l.RuleId} {Render(l.Description)}{OrdersOf(l)}", l.Kind == FindPayStatements.Sanction ? "—" : Money(l.Amount));
        pdf.Heading(L("Totals"));
        pdf.Row(L("Piece-rate earnings"), Money(s.Totals.Earning));
        pdf.Row(L("Bonuses"), Money(s.Totals.Bonus));
        pdf.Row(L("Subsidies"), Money(s.Totals.Subsidy));
        pdf.Row(L("Deductions"), Money(s.Totals.Deduction));
        pdf.Row(L("Reversals"), Money(s.Totals.Reversal));
        pdf.Row(L("Net pay"), Money(s.Total), bold: true);
        pdf.Gap(10);
        pdf.Small(L("This statement was made by Fieldline from the service policy; if anything is wrong, appeal within the appeal window."));
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>
    /// Checks the caller and the month (a bad one is a 400 before any byte is sent) and returns the writer of the branch's
    /// workbook: the rows are written to the response as each group of statements is computed, never held whole.
    /// </summary>
    public async Task<(string Month, Func<Stream, CancellationToken, Task> Write)> Workbook(CurrentUser user, string? month, int? branchId, CancellationToken ct)
    {
        var page = await statements.Handle(user, month, null, branchId, ct);
        return (page.Month, (output, token) => WriteWorkbook(page, output, token));
    }

    private static async Task WriteWorkbook(PayStatementPage page, Stream output, CancellationToken ct)
    {
        var options = new WorksheetOptions { FrozenRows = 1 };
        foreach (var (column, width) in new[] { (1, 9d), (2, 12d), (3, 8d), (4, 9d), (5, 50d), (6, 12d), (7, 30d) }) options.Column(column).Width = width;
        await using var book = await Spreadsheet.CreateNewAsync(output, new SpreadCheetahOptions { BufferSize = 64 * 1024 }, ct);
        await book.StartWorksheetAsync(L("Pay statements"), options, ct);
        var bold = book.AddStyle(new Style { Font = { Bold = true } });
        var money = book.AddStyle(new Style { Format = NumberFormat.Custom("#,##0.00") });
        var total = book.AddStyle(new Style { Font = { Bold = true }, Format = NumberFormat.Custom("#,##0.00") });
        await book.AddRowAsync(new[] { "Month", "Employee", "Kind", "Rule", "Description", "Amount", "Work orders" }.Select(h => new StyledCell(L(h), bold)).ToArray(), ct);
        static StyledCell Text(string text) => new(Infrastructure.Spreadsheets.SheetText.Inert(text), null);
        await foreach (var s in page.Items.WithCancellation(ct))
        {
            foreach (var l in s.Lines)
                await book.AddRowAsync([Text(s.Month), Text(s.PersonName ?? ""), Text(Kind(l.Kind)), Text(l.RuleId ?? ""), Text(Render(l.Description)),
                    l.Kind == FindPayStatements.Sanction ? Text("") : new StyledCell(l.Amount, money), Text(string.Join(" ", l.Orders.Select(o => o.Code)))], ct);
            await book.AddRowAsync([Text(s.Month), Text(s.PersonName ?? ""), Text(L("Total")), Text(""), Text(s.Assessment?.Text ?? ""), new StyledCell(s.Total, total)], ct);
        }
        await book.FinishAsync(ct);
    }

    /// <summary>The orders a line pays for, by number, after its description ("· 工单（2）：WO… WO…").</summary>
    private static string OrdersOf(PayStatementLineDto l) => l.Orders.Count == 0 ? "" : $" · {L("Orders ({0}):", l.Orders.Count)} {string.Join(" ", l.Orders.Select(o => o.Code))}";

    private static string Money(decimal amount) => "¥" + amount.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The statement's descriptions are rendered in the caller's language; the PDF is Chinese.</summary>
    private static string Render(string text) => text;

    private async Task<(string Company, string Branch)> Names(int branchId, CancellationToken ct)
    {
        var branch = await db.Branches.AsNoTracking().SingleAsync(b => b.Id == branchId, ct);
        var company = branch.ParentId is { } parent ? await db.Branches.AsNoTracking().Where(b => b.Id == parent).Select(b => b.Name).SingleAsync(ct) : branch.Name;
        return (company, branch.Name);
    }
}
