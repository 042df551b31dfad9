using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using SpreadCheetah.Styling;
using SpreadCheetah;
using SpreadCheetah.Worksheets;
using static Fieldline.Web.Infrastructure.Spreadsheets.SheetText;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>
/// The orders a search finds, as an Excel workbook in the reader's language (the list the office prints and files):
/// headers and codes through the message catalogue, technicians by name. Same
/// filters and the same visibility as <see cref="FindWorkOrders"/>. Rows are read from one query and written to the
/// response as they come, so a hundred thousand rows take no more memory than ten; times are real Excel dates in the
/// branch's zone. At most <see cref="MaxRows"/> rows (Excel's own limit is 1,048,576).
/// </summary>
public sealed class ExportWorkOrders(FindWorkOrders find, BranchZones zones, AppDbContext db)
{
    public const int MaxRows = 1_000_000;
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly (Msg Header, double Width)[] Columns =
    [
        (Msg.Of("Order no."), 20), (Msg.Of("Type"), 8), (Msg.Of("Status"), 10), (Msg.Of("Priority"), 8), (Msg.Of("Customer"), 12),
        (Msg.Of("Contact phone"), 15), (Msg.Of("Address"), 40), (Msg.Of("Product line"), 10), (Msg.Of("In warranty"), 6),
        (Msg.Of("Technician"), 12), (Msg.Of("Appointment time"), 18), (Msg.Of("Received at"), 18),
    ];

    /// <summary>Checks the caller and the filters (a bad one is a 400 before any byte is sent) and returns the writer of the workbook.</summary>
    public async Task<Func<Stream, CancellationToken, Task>> Prepare(CurrentUser user, WorkOrderQuery query, CancellationToken ct)
    {
        await find.Filter(user, query with { Page = null, PageSize = null, After = null }, ct);
        return (output, token) => StreamingRead.Run(db, () => Write(user, query, output, token));
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
        await book.StartWorksheetAsync(Msg.Of("Work orders").Render(), options, ct);
        var bold = book.AddStyle(new SpreadCheetah.Styling.Style { Font = { Bold = true } });
        await book.AddRowAsync(Columns.Select(c => new StyledCell(c.Header.Render(), bold)).ToArray(), ct);
        // Technicians by name, read before the rows stream (one reader at a time on the context); a few thousand at most.
        var names = await db.Technicians.AsNoTracking().Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { t.Id, u.DisplayName })
            .ToDictionaryAsync(x => x.Id, x => x.DisplayName, ct);
        // And the branches' zones: while the rows stream, the connection is theirs alone (PostgreSQL runs one command at a time).
        var zoneOf = new Dictionary<int, TimeZoneInfo>();
        foreach (var branch in await db.Branches.AsNoTracking().Select(b => b.Id).ToListAsync(ct)) zoneOf[branch] = await zones.For(branch, ct);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        string Label(string kind, string code) => labels.TryGetValue($"{kind}.{code}", out var text) ? text
            : labels[$"{kind}.{code}"] = Msg.Code(kind, code).Render();
        string yes = Msg.Of("Yes").Render(), no = Msg.Of("No").Render();

        var written = 0;
        var row = new DataCell[Columns.Length];
        await foreach (var (o, customerName) in find.Stream(user, query, ct))
        {
            var zone = zoneOf[o.BranchId];
            row[0] = new(o.Code);
            row[1] = new(Label("type", JsonNames.Of(o.Type)));
            row[2] = new(Label("status", JsonNames.Of(o.Status)));
            row[3] = new(Label("priority", JsonNames.Of(o.Priority)));
            row[4] = new(Inert(customerName));
            row[5] = new(Inert(o.ContactPhone));
            row[6] = new(Inert(o.Address));
            row[7] = new(Label("line", o.ProductLine));
            row[8] = new(o.InWarranty ? yes : no);
            row[9] = new(o.TechnicianId is { } t ? Inert(names.GetValueOrDefault(t, "")) : "");
            row[10] = new(Local(o.AppointmentStart, zone));
            row[11] = new(Local(o.CreatedAt, zone));
            await book.AddRowAsync(row, ct);
            if (++written >= MaxRows) break;
        }
        await book.FinishAsync(ct);
    }

    /// <summary>The branch's wall-clock time as an Excel date (Excel has no time zones).</summary>
    private static DateTime? Local(DateTimeOffset? utc, TimeZoneInfo zone) => utc is { } t ? TimeZoneInfo.ConvertTime(t, zone).DateTime : null;
}
