using System.Globalization;
using System.Text.Json;
using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Reports;
using Fieldline.Web.Features.Reports.Kpis;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Reports;

/// <summary>
/// The manager's dashboard (issue 19): a period's KPIs beside the previous period's, charts drawn by the vendored ECharts,
/// a ranking of technicians, every figure a link to its orders, and the same view as a workbook.
/// </summary>
public sealed class IndexModel(ComputeKpis kpis, ExportKpis export, AppDbContext db) : ConsolePage
{
    /// <summary>The first day shown (branch time); empty: the first of this month.</summary>
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    /// <summary>The last day shown, inclusive; empty: a month from <see cref="From"/>.</summary>
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public int? BranchId { get; set; }

    public KpiDashboard? View { get; private set; }
    public IReadOnlyList<BranchChoice> Branches { get; private set; } = [];

    /// <summary>The figures shown as cards, in this order; the rest are in the charts and the table.</summary>
    public static readonly string[] Cards =
        ["received", "completed", "complaintRate", "firstTimeFix", "waitingHours", "repairHours", "satisfaction", "emptyTrips", "revenue", "leaks", "fines", "bonuses"];

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Me.RequireAny("see reports", ComputeKpis.Readers);
        if (Me.IsHeadOffice) Branches = await db.Branches.AsNoTracking().OrderBy(b => b.Id).Select(b => new BranchChoice(b.Id, b.Name)).ToListAsync(ct);
        if (!Me.IsHeadOffice) BranchId = null;
        if (!await Attempt(async () => View = await kpis.Dashboard(Me, Query, ct)))
            View = await kpis.Dashboard(Me, new KpiQuery(null, null, BranchId, null), ct);
        From = View!.Report.From;
        To = View.Report.To.AddDays(-1);
        return Page();
    }

    public async Task<IActionResult> OnGetExport(CancellationToken ct)
    {
        Me.RequireAny("see reports", ComputeKpis.Readers);
        if (!Me.IsHeadOffice) BranchId = null;
        var view = await kpis.Dashboard(Me, Query, ct);
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"{Msg.Of("Reports").Render()}-{view.Report.From:yyyyMMdd}-{view.Report.To.AddDays(-1):yyyyMMdd}.xlsx");
        Response.ContentType = Features.WorkOrders.ExportWorkOrders.ContentType;
        Response.Headers.ContentDisposition = disposition.ToString();
        await export.Write(view, Features.WorkOrders.ExportWorkOrders.Body(HttpContext), ct);
        return new EmptyResult();
    }

    private KpiQuery Query => new(From, To?.AddDays(1), BranchId, null);

    public KpiFigure Figure(string key) => View!.Report.Kpis.First(k => k.Key == key);

    public IEnumerable<KpiFigure> Sla => View!.Report.Kpis.Where(k => k.Key.StartsWith("slaCompliance.", StringComparison.Ordinal));

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The order list behind a figure: received (by creation) or completed (by completion) in the period, narrowed as asked.</summary>
    public string Orders(bool completed, int? technicianId = null, string? productLine = null, string? type = null, DateOnly? day = null, DateOnly? until = null)
    {
        var r = View!.Report;
        var parts = new List<string> { $"from={Iso(day ?? r.From)}", $"to={Iso(until ?? day ?? r.To.AddDays(-1))}" };
        if (completed) parts.Add("completed=true");
        if (r.BranchId is { } b) parts.Add($"branchId={b}");
        if (technicianId is { } t) parts.Add($"technicianId={t}");
        if (productLine is not null) parts.Add($"productLine={Uri.EscapeDataString(productLine)}");
        if (type is not null) parts.Add($"type={type}");
        return "/orders?" + string.Join("&", parts);
    }

    /// <summary>KPI-01's numerator: the complaints registered in the period (the rejected ones not), of the branch shown.</summary>
    public string Complaints()
    {
        var r = View!.Report;
        return $"/complaints?status={Uri.EscapeDataString(Fieldline.Web.Pages.Complaints.IndexModel.NotRejected)}&from={Iso(r.From)}&to={Iso(r.To.AddDays(-1))}"
            + (r.BranchId is { } b ? $"&branchId={b}" : "");
    }

    /// <summary>Where a card leads: the orders it counts (money and fines to the ledger, leaks to the penalty cases).</summary>
    public string? CardLink(string key) => key switch
    {
        "received" => Orders(false),
        "completed" or "firstTimeFix" or "waitingHours" or "repairHours" or "emptyTrips" or "revenue" or "satisfaction" => Orders(true),
        "complaintRate" => Complaints(),
        "fines" or "bonuses" when Me.IsAny(Features.Evaluation.FindPayLedger.Readers) => $"/manage/pay-ledger?month={View!.Report.From:yyyy-MM}",
        "leaks" when Me.IsAny(Features.Evaluation.ManagePenaltyCases.CaseDeciders) => "/manage/penalties",
        _ => null,
    };

    public string Previous(KpiFigure f) => KpiLabels.Format(f.Previous, f.Unit);

    public const double SparkWidth = 124, SparkHeight = 26;

    /// <summary>One point of a technician's sparkline: its slot (x, width), its dot (y) and the days it counts.</summary>
    public sealed record SparkDot(double X, double Y, double Slot, KpiSparkPoint Point);

    /// <summary>
    /// A technician's orders completed per day (the blue line) beside the orders received that day and assigned to them
    /// (the grey dashed line: work coming in that is not going out shows as a gap), as an inline SVG sparkline drawn here
    /// (no script needed): both lines' points on one scale, and one slot per day, each a link to that day's orders.
    /// </summary>
    public (string Line, string Received, IReadOnlyList<SparkDot> Dots) Spark(string technicianKey)
    {
        var points = View!.Sparks?.GetValueOrDefault(technicianKey) ?? [];
        if (points.Count == 0) return ("", "", []);
        var max = Math.Max(1m, points.Max(p => Math.Max(p.Value, p.Received)));
        var slot = SparkWidth / points.Count;
        double Y(decimal v) => Math.Round(SparkHeight - 3 - (double)(v / max) * (SparkHeight - 6), 2);
        var dots = points.Select((p, i) => new SparkDot(Math.Round(slot * i + slot / 2, 2), Y(p.Value), Math.Round(slot, 2), p)).ToList();
        var line = string.Join(" ", dots.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.X},{d.Y}")));
        var received = string.Join(" ", dots.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.X},{Y(d.Point.Received)}")));
        return (line, received, dots);
    }

    public static string Num(double d) => d.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The charts' data, labels already in the reader's language, each point with the link to its orders.</summary>
    public string ChartJson()
    {
        var v = View!;
        decimal Val(KpiGroup g, string key) => g.Kpis.FirstOrDefault(k => k.Key == key)?.Value ?? 0;
        var types = v.Report.Kpis.Where(k => k.Key.StartsWith("received.type.", StringComparison.Ordinal)).Select(k => k.Key["received.type.".Length..]).Distinct().ToList();
        var data = new
        {
            trend = new
            {
                days = v.Days.Select(d => d.Key).ToArray(),
                series = new[]
                {
                    new { name = KpiLabels.Of("received").Render(), data = v.Days.Select(d => Val(d, "received")).ToArray(),
                        links = v.Days.Select(d => Orders(false, day: DateOnly.ParseExact(d.Key, "yyyy-MM-dd", CultureInfo.InvariantCulture))).ToArray() },
                    new { name = KpiLabels.Of("completed").Render(), data = v.Days.Select(d => Val(d, "completed")).ToArray(),
                        links = v.Days.Select(d => Orders(true, day: DateOnly.ParseExact(d.Key, "yyyy-MM-dd", CultureInfo.InvariantCulture))).ToArray() },
                },
            },
            lines = new
            {
                categories = v.Lines.Select(l => l.Label).ToArray(),
                series = types.Select(t => new
                {
                    name = Msg.Code("type", t).Render(),
                    data = v.Lines.Select(l => Val(l, $"received.type.{t}")).ToArray(),
                    links = v.Lines.Select(l => Orders(false, productLine: l.Key, type: t)).ToArray(),
                }).ToArray(),
            },
            sla = new
            {
                categories = Sla.Select(s => Msg.Code("clock", s.Key["slaCompliance.".Length..]).Render()).ToArray(),
                series = new[]
                {
                    new { name = Msg.Of("This period").Render(), data = Sla.Select(s => s.Value ?? 0).ToArray() },
                    new { name = Msg.Of("Previous period").Render(), data = Sla.Select(s => s.Previous ?? 0).ToArray() },
                },
            },
        };
        return JsonSerializer.Serialize(data, JsonSerializerOptions.Web);
    }
}
