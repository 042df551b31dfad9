using Fieldline.Web.Features.Reports.Kpis;
using Fieldline.Web.Infrastructure.Localization;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace Fieldline.Web.Features.Reports;

/// <summary>
/// The dashboard's view as a workbook in the reader's language (the same writer as the order export): the figures with the
/// previous period's, the technicians' ranking and the days, as real numbers and real dates.
/// </summary>
public sealed class ExportKpis
{
    public async Task Write(KpiDashboard view, Stream output, CancellationToken ct)
    {
        var options = new SpreadCheetahOptions { DefaultDateTimeFormat = NumberFormat.Custom("yyyy-mm-dd"), BufferSize = 64 * 1024 };
        await using var book = await Spreadsheet.CreateNewAsync(output, options, ct);
        var bold = book.AddStyle(new Style { Font = { Bold = true } });
        async Task Sheet(string name, IReadOnlyList<Msg> headers, double[] widths)
        {
            var sheet = new WorksheetOptions { FrozenRows = 1 };
            for (var i = 0; i < widths.Length; i++) sheet.Column(i + 1).Width = widths[i];
            await book.StartWorksheetAsync(name, sheet, ct);
            await book.AddRowAsync(headers.Select(h => new StyledCell(h.Render(), bold)).ToArray(), ct);
        }
        static DataCell Number(decimal? v) => v is { } d ? new DataCell(d) : new DataCell("");

        var r = view.Report;
        await Sheet(Msg.Of("KPIs").Render(), [Msg.Of("Rule"), Msg.Of("Figure"), Msg.Of("This period"), Msg.Of("Previous period"), Msg.Of("Unit"), Msg.Of("From"), Msg.Of("To")],
            [10, 36, 14, 14, 10, 12, 12]);
        foreach (var k in r.Kpis)
            await book.AddRowAsync([new DataCell(k.RuleId), new DataCell(KpiLabels.Of(k.Key).Render()), Number(k.Value), Number(k.Previous),
                new DataCell(Msg.Code("unit", k.Unit).Render()), new DataCell(r.From.ToDateTime(TimeOnly.MinValue)), new DataCell(r.To.AddDays(-1).ToDateTime(TimeOnly.MinValue))], ct);

        string[] columns = ["completed", "firstTimeFix", "complaintRate", "waitingHours", "repairHours", "satisfaction", "emptyTrips", "revenue", "fines", "bonuses"];
        await Sheet(Msg.Of("Technicians").Render(), [Msg.Of("Technician"), .. columns.Select(KpiLabels.Of)], [14, .. columns.Select(_ => 14d)]);
        foreach (var g in view.Technicians)
            await book.AddRowAsync([new DataCell(g.Label), .. columns.Select(c => Number(g.Kpis.FirstOrDefault(k => k.Key == c)?.Value))], ct);

        string[] daily = ["received", "completed", "emptyTrips", "revenue"];
        await Sheet(Msg.Of("Days").Render(), [Msg.Of("Date"), .. daily.Select(KpiLabels.Of)], [12, .. daily.Select(_ => 14d)]);
        foreach (var d in view.Days)
            await book.AddRowAsync([new DataCell(DateOnly.ParseExact(d.Key, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue)),
                .. daily.Select(c => Number(d.Kpis.FirstOrDefault(k => k.Key == c)?.Value))], ct);
        await book.FinishAsync(ct);
    }
}
