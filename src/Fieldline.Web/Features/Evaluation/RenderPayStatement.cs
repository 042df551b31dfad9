using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Mobile;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using PdfSharp.Pdf;
using SpreadCheetah;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>
/// A person's pay statement (工资条) as an A4 PDF in Chinese, with the company's name, every line and the totals by kind
/// (the same PDF writer as the service report); and the branch's month as one Excel workbook, a row per line.
/// </summary>
public sealed class RenderPayStatement(AppDbContext db, FindPayStatements statements, MobileOptions options, TimeProvider clock, BranchZones zones)
{
    private static readonly CultureInfo Zh = CultureInfo.GetCultureInfo("zh-CN");

    public async Task<byte[]> Pdf(CurrentUser user, int personUserId, string month, CancellationToken ct)
    {
        var page = await statements.Handle(user, month, personUserId, null, ct);
        var s = page.Items.FirstOrDefault(i => i.PersonUserId == personUserId) ?? throw new NotFoundException("Pay statement");
        var (company, branch) = await Names(s.BranchId, ct);
        ReportFont.EnsureInstalled(options.ReportFontPath);
        using var document = new PdfDocument();
        document.Info.Title = $"工资条 {s.Month} {s.PersonName}";
        var pdf = new RenderServiceReport.Page(document);
        pdf.Title($"{company} 工资条");
        pdf.Small($"{branch} · {s.Month} · {(s.Closed ? "已结账" : "未结账(预览)")} · 生成时间 {BranchTime.Local(clock.GetUtcNow(), await zones.For(s.BranchId, ct)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}");
        pdf.Gap(6);
        pdf.Field("姓名", s.PersonName ?? "");
        pdf.Field("考评资格", s.EligibilityRevoked ? "本月已取消" : "有");
        pdf.Heading("明细");
        if (s.Lines.Count == 0) pdf.Text("无");
        foreach (var l in s.Lines) pdf.Row($"{Catalogue.Code("statementKind", l.Kind, Zh)} {l.RuleId} {Render(l.Description)}", Money(l.Amount));
        pdf.Heading("合计");
        pdf.Row("计件收入", Money(s.Totals.Earning));
        pdf.Row("奖金", Money(s.Totals.Bonus));
        pdf.Row("补贴", Money(s.Totals.Subsidy));
        pdf.Row("扣款", Money(s.Totals.Deduction));
        pdf.Row("冲回", Money(s.Totals.Reversal));
        pdf.Row("实发合计", Money(s.Total), bold: true);
        pdf.Gap(10);
        pdf.Small("本工资条由 Fieldline 根据服务规范生成;如有疑问,请在申诉期内提出申诉。");
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    public async Task<byte[]> Workbook(CurrentUser user, string? month, int? branchId, CancellationToken ct)
    {
        var page = await statements.Handle(user, month, null, branchId, ct);
        using var stream = new MemoryStream();
        await using (var book = await Spreadsheet.CreateNewAsync(stream, cancellationToken: ct))
        {
            await book.StartWorksheetAsync("工资条", null, ct);
            await book.AddRowAsync(new[] { "月份", "姓名", "类别", "条款", "说明", "金额" }.Select(h => new DataCell(h)).ToArray(), ct);
            foreach (var s in page.Items)
            {
                foreach (var l in s.Lines)
                    await book.AddRowAsync([new(s.Month), new(WorkOrders.ExportWorkOrders.Inert(s.PersonName ?? "")), new(Catalogue.Code("statementKind", l.Kind, Zh)),
                        new(l.RuleId ?? ""), new(WorkOrders.ExportWorkOrders.Inert(Render(l.Description))), new(l.Amount)], ct);
                await book.AddRowAsync([new(s.Month), new(WorkOrders.ExportWorkOrders.Inert(s.PersonName ?? "")), new("合计"), new(""), new(""), new(s.Total)], ct);
            }
            await book.FinishAsync(ct);
        }
        return stream.ToArray();
    }

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
