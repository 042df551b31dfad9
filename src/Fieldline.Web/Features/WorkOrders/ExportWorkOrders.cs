using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using SpreadCheetah.Styling;
using SpreadCheetah;
using SpreadCheetah.Worksheets;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>
/// The orders a search finds, as an Excel workbook with Chinese headers (the list the office prints and files). Same
/// filters and the same visibility as <see cref="FindWorkOrders"/>. Rows are read from one query and written to the
/// response as they come, so a hundred thousand rows take no more memory than ten; times are real Excel dates in the
/// branch's zone. At most <see cref="MaxRows"/> rows (Excel's own limit is 1,048,576).
/// </summary>
public sealed class ExportWorkOrders(FindWorkOrders find, BranchZones zones)
{
    public const int MaxRows = 1_000_000;
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly (string Header, double Width)[] Columns =
    [
        ("工单号", 20), ("类型", 8), ("状态", 10), ("优先级", 8), ("客户", 12), ("联系电话", 15), ("地址", 40), ("产品线", 10),
        ("保内", 6), ("技师编号", 9), ("预约时间", 18), ("受理时间", 18),
    ];

    /// <summary>Checks the caller and the filters (a bad one is a 400 before any byte is sent) and returns the writer of the workbook.</summary>
    public async Task<Func<Stream, CancellationToken, Task>> Prepare(CurrentUser user, WorkOrderQuery query, CancellationToken ct)
    {
        await find.Filter(user, query with { Page = null, PageSize = null, After = null }, ct);
        return (output, token) => Write(user, query, output, token);
    }

    /// <summary>
    /// The response body for the workbook. The zip writer closes its archive (the central directory, a few KB at the
    /// very end) with synchronous writes, which ASP.NET refuses by default; the rows before it are written asynchronously.
    /// </summary>
    public static Stream Body(HttpContext http)
    {
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>() is { } control) control.AllowSynchronousIO = true;
        return http.Response.Body;
    }

    private async Task Write(CurrentUser user, WorkOrderQuery query, Stream output, CancellationToken ct)
    {
        var options = new WorksheetOptions { FrozenRows = 1 };
        for (var i = 0; i < Columns.Length; i++) options.Column(i + 1).Width = Columns[i].Width; // no auto-fit: widths are explicit
        var spreadsheet = new SpreadCheetahOptions { DefaultDateTimeFormat = NumberFormat.Custom("yyyy-mm-dd hh:mm"), BufferSize = 64 * 1024 };
        await using var book = await Spreadsheet.CreateNewAsync(output, spreadsheet, ct);
        await book.StartWorksheetAsync("工单", options, ct);
        var bold = book.AddStyle(new SpreadCheetah.Styling.Style { Font = { Bold = true } });
        await book.AddRowAsync(Columns.Select(c => new StyledCell(c.Header, bold)).ToArray(), ct);

        var written = 0;
        var row = new DataCell[Columns.Length];
        await foreach (var (o, customerName) in find.Stream(user, query, ct))
        {
            var zone = await zones.For(o.BranchId, ct);
            row[0] = new(o.Code);
            row[1] = new(Label(JsonNames.Of(o.Type)));
            row[2] = new(Label(JsonNames.Of(o.Status)));
            row[3] = new(o.Priority == Priority.Urgent ? "紧急" : "普通");
            row[4] = new(Inert(customerName));
            row[5] = new(Inert(o.ContactPhone));
            row[6] = new(Inert(o.Address));
            row[7] = new(Label(o.ProductLine));
            row[8] = new(o.InWarranty ? "是" : "否");
            row[9] = o.TechnicianId is { } t ? new DataCell(t) : new DataCell("");
            row[10] = new(Local(o.AppointmentStart, zone));
            row[11] = new(Local(o.CreatedAt, zone));
            await book.AddRowAsync(row, ct);
            if (++written >= MaxRows) break;
        }
        await book.FinishAsync(ct);
    }

    /// <summary>
    /// Text a customer or clerk typed, made inert for spreadsheets: a cell starting with = + - @ (or their full-width forms,
    /// or a tab or line break before them) is a formula to Excel once edited or saved as CSV, so it gets a leading apostrophe.
    /// </summary>
    public static string Inert(string text) =>
        text.Length > 0 && "=+-@\t\r\n＝＋－＠".Contains(text[0], StringComparison.Ordinal) ? "'" + text : text;

    /// <summary>The branch's wall-clock time as an Excel date (Excel has no time zones).</summary>
    private static DateTime? Local(DateTimeOffset? utc, TimeZoneInfo zone) => utc is { } t ? TimeZoneInfo.ConvertTime(t, zone).DateTime : null;

    private static string Label(string code) => code switch
    {
        "install" => "安装", "repair" => "维修", "maintenance" => "保养", "inspection" => "检测",
        "new" => "待派工", "dispatched" => "已派工", "accepted" => "已接单", "scheduled" => "已预约", "inProgress" => "服务中",
        "ac" => "空调", "purifier" => "净水器", "waterHeater" => "热水器", "kitchen" => "厨电", "medical" => "医疗设备", "equipment" => "设备",
        "completed" => "已完工", "visited" => "已回访", "closed" => "已关闭", "cancelled" => "已取消",
        _ => code,
    };
}
