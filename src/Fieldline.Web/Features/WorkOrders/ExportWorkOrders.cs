using System.Globalization;
using Fieldline.Web.Features.Identity;
using SpreadCheetah;
using SpreadCheetah.Worksheets;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>
/// The orders a search finds, as an Excel workbook with Chinese headers (the list the office prints and files). Same
/// filters and the same visibility as <see cref="FindWorkOrders"/>; at most <see cref="MaxRows"/> rows.
/// </summary>
public sealed class ExportWorkOrders(FindWorkOrders find)
{
    public const int MaxRows = 20_000;
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly (string Header, double Width)[] Columns =
    [
        ("工单号", 20), ("类型", 8), ("状态", 10), ("优先级", 8), ("客户", 12), ("联系电话", 15), ("地址", 40), ("产品线", 10),
        ("保内", 6), ("技师编号", 9), ("预约时间", 18), ("受理时间", 18),
    ];

    public async Task Write(CurrentUser user, WorkOrderQuery query, Stream output, CancellationToken ct)
    {
        var options = new WorksheetOptions { FrozenRows = 1 };
        for (var i = 0; i < Columns.Length; i++) options.Column(i + 1).Width = Columns[i].Width; // no auto-fit: widths are explicit
        await using var book = await Spreadsheet.CreateNewAsync(output, cancellationToken: ct);
        await book.StartWorksheetAsync("工单", options, ct);
        var bold = book.AddStyle(new SpreadCheetah.Styling.Style { Font = { Bold = true } });
        await book.AddRowAsync(Columns.Select(c => new StyledCell(c.Header, bold)).ToArray(), ct);

        var written = 0;
        for (var page = 1; written < MaxRows; page++)
        {
            var result = await find.List(user, query with { Page = page, PageSize = 200 }, ct);
            foreach (var o in result.Items)
            {
                await book.AddRowAsync(new Cell[]
                {
                    new(o.Code), new(Label(o.Type)), new(Label(o.Status)), new(o.Priority == "urgent" ? "紧急" : "普通"), new(Inert(o.CustomerName)),
                    new(Inert(o.ContactPhone)), new(Inert(o.Address)), new(Label(o.ProductLine)), new(o.InWarranty ? "是" : "否"),
                    o.TechnicianId is { } t ? new Cell(t) : new Cell(""),
                    new(o.Appointment?.Start is { } a ? a.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : ""),
                    new(o.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
                }, ct);
                if (++written >= MaxRows) break;
            }
            if (result.Items.Count < 200) break;
        }
        await book.FinishAsync(ct);
    }

    /// <summary>
    /// Text a customer or clerk typed, made inert for spreadsheets: a cell starting with = + - @ (or their full-width forms,
    /// or a tab or line break before them) is a formula to Excel once edited or saved as CSV, so it gets a leading apostrophe.
    /// </summary>
    public static string Inert(string text) =>
        text.Length > 0 && "=+-@\t\r\n＝＋－＠".Contains(text[0], StringComparison.Ordinal) ? "'" + text : text;

    private static string Label(string code) => code switch
    {
        "install" => "安装", "repair" => "维修", "maintenance" => "保养", "inspection" => "检测",
        "new" => "待派工", "dispatched" => "已派工", "accepted" => "已接单", "scheduled" => "已预约", "inProgress" => "服务中",
        "ac" => "空调", "purifier" => "净水器", "waterHeater" => "热水器", "kitchen" => "厨电", "medical" => "医疗设备", "equipment" => "设备",
        "completed" => "已完工", "visited" => "已回访", "closed" => "已关闭", "cancelled" => "已取消",
        _ => code,
    };
}
