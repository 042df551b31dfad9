using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Reports.Kpis;
using Fieldline.Web.Features.Reports.Problems;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Archive;

/// <summary>
/// The figures of one report for one branch and period, from the KPI definitions (<see cref="KpiDefinitions"/>) over the
/// period's facts (<see cref="ComputeKpis.Facts"/>): never a figure computed a second way. What each report holds:
/// daily (RPT-10) each technician's day and the customers' feedback; unfinished (RPT-15) the orders still open when the
/// day ended; weekly (RPT-04/08) the week's figures beside last week's and the faults by product model; monthly (RPT-03)
/// the month's figures, the technicians' and the problems sent to the technical department (RPT-02/09); operating
/// statistics (RPT-19) first-time fix, parts supply and claim approval; the service-record book (RPT-01) every completed
/// service of the month per product model and customer with its fault, the work done and the parts used; the month-end
/// review (RPT-07 / CPL-13) the month's service and complaint figures, its complaints, faults by model and the problems.
/// </summary>
public sealed class ComposeReport(AppDbContext db, ComputeKpis kpis, BranchZones zones, ComputeFaults faults, FindTechnicalProblems problems)
{
    /// <summary>The figures RPT-19 reports to the GM and the manufacturer.</summary>
    public static readonly string[] OperatingFigures = ["received", "completed", "firstTimeFix", "partsSupply", "claimApproval", "complaintRate", "satisfaction", "revenue"];

    /// <summary>The figures of the daily report's per-technician table.</summary>
    public static readonly string[] DailyFigures = ["completed", "emptyTrips", "firstTimeFix", "revenue", "satisfaction"];

    /// <summary>The figures of the month-end review (RPT-07): the month's service and complaint records.</summary>
    public static readonly string[] ReviewFigures = ["received", "completed", "firstTimeFix", "complaintRate", "satisfaction", "emptyTrips"];

    public async Task<ReportBody> Compose(ReportKind kind, int branch, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (kind == ReportKind.ServiceRecordBook)
            return new ReportBody(Msg.Of("Service-record book {0}", Month(from)), [Msg.Of("A copy for the technical department.")], await ServiceRecords(branch, from, to, ct));
        var context = await kpis.Context(ct);
        // Per technician only where a report has a technicians' table.
        var facts = await kpis.Facts([branch], from, to, ct, kind is ReportKind.Daily or ReportKind.Monthly ? KpiGrain.Period : KpiGrain.Total);
        switch (kind)
        {
            case ReportKind.Daily:
                return new ReportBody(Msg.Of("Daily report {0}", Iso(from)), [], [await Technicians(branch, facts, context, DailyFigures, ct), Feedback(facts)]);
            case ReportKind.Unfinished:
                return new ReportBody(Msg.Of("Unfinished work at the end of {0}", Iso(from)), [], [await Unfinished(branch, to, ct)]);
            case ReportKind.Weekly:
            {
                var before = await kpis.Facts([branch], from.AddDays(-7), from, ct, KpiGrain.Total);
                var f = await faults.Compute([branch], from, to, ct);
                return new ReportBody(Msg.Of("Weekly summary {0} – {1}", Iso(from), Iso(to.AddDays(-1))), [],
                    [Figures(KpiDefinitions.All(facts, context), KpiDefinitions.All(before, context), null), FaultTable(f)]);
            }
            case ReportKind.Monthly:
            {
                var before = await kpis.Facts([branch], from.AddMonths(-1), from, ct, KpiGrain.Total);
                return new ReportBody(Msg.Of("Monthly report to the GM office {0}", from.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)), [],
                    [Figures(KpiDefinitions.All(facts, context), KpiDefinitions.All(before, context), null),
                     await Technicians(branch, facts, context, ["completed", "firstTimeFix", "complaintRate", "waitingHours", "repairHours", "satisfaction", "emptyTrips", "revenue"], ct),
                     await Problems(branch, from, to, ct)]);
            }
            case ReportKind.MonthEndReview:
            {
                var before = await kpis.Facts([branch], from.AddMonths(-1), from, ct, KpiGrain.Total);
                var f = await faults.Compute([branch], from, to, ct);
                return new ReportBody(Msg.Of("Month-end review {0}", Month(from)), [Msg.Of("The month's service and complaint records, for the problem review at the company.")],
                    [Figures(KpiDefinitions.All(facts, context), KpiDefinitions.All(before, context), ReviewFigures), await Complaints(branch, from, to, ct), FaultTable(f),
                     await Problems(branch, from, to, ct)]);
            }
            default:
            {
                var months = kind == ReportKind.OpsQuarter ? 3 : 1;
                var before = await kpis.Facts([branch], from.AddMonths(-months), from, ct, KpiGrain.Total);
                var title = kind == ReportKind.OpsQuarter
                    ? Msg.Of("Operating statistics {0} Q{1}", from.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), ((from.Month - 1) / 3 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
                    : Msg.Of("Operating statistics {0}", from.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
                return new ReportBody(title, [Msg.Of("For the general manager and the manufacturer.")],
                    [Figures(KpiDefinitions.All(facts, context), KpiDefinitions.All(before, context), OperatingFigures)]);
            }
        }
    }

    /// <summary>The figures table: rule, figure, this period, the period before, and a ratio's parts.</summary>
    public static ReportSection Figures(IReadOnlyList<KpiValue> now, IReadOnlyList<KpiValue> before, IReadOnlyList<string>? only)
    {
        var previous = before.ToDictionary(k => k.Key, StringComparer.Ordinal);
        var list = only is null ? now : only.Select(key => now.First(k => k.Key == key)).ToList();
        return new ReportSection(Msg.Of("Figures"), [Msg.Of("Rule"), Msg.Of("Figure"), Msg.Of("This period"), Msg.Of("Previous period"), Msg.Of("Numerator"), Msg.Of("Denominator")],
            list.Select(k => (IReadOnlyList<ReportCell>)[k.RuleId, KpiLabels.Of(k.Key), ReportCell.Maybe(k.Value), ReportCell.Maybe(previous.GetValueOrDefault(k.Key)?.Value),
                ReportCell.Maybe(k.Numerator), ReportCell.Maybe(k.Denominator)]).ToList());
    }

    private async Task<ReportSection> Technicians(int branch, KpiFacts facts, KpiContext context, string[] figures, CancellationToken ct)
    {
        var techs = await db.Technicians.AsNoTracking().Where(t => t.BranchId == branch).OrderBy(t => t.Id)
            .Select(t => new { t.Id, t.User!.DisplayName, t.User.UserName }).ToListAsync(ct);
        // Two people may share a name; the report then names them by their username too.
        var shared = techs.GroupBy(t => t.DisplayName).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet();
        var byTechnician = facts.By(f => f.TechnicianId);
        var rows = techs.Select(t =>
        {
            var values = KpiDefinitions.All(byTechnician(t.Id), context);
            var label = shared.Contains(t.DisplayName) ? $"{t.DisplayName}（{t.UserName}）" : t.DisplayName;
            return (IReadOnlyList<ReportCell>)[label, .. figures.Select(key => ReportCell.Maybe(values.First(v => v.Key == key).Value))];
        }).ToList();
        return new ReportSection(Msg.Of("Each technician"), [Msg.Of("Technician"), .. figures.Select(KpiLabels.Of)], rows);
    }

    private static ReportSection Feedback(KpiFacts facts) => new(Msg.Of("Customer feedback"), [Msg.Of("Figure"), Msg.Of("Value")],
    [
        [Msg.Of("Return visits"), facts.Visits.Sum(v => v.Count)],
        [KpiLabels.Of("satisfaction"), ReportCell.Maybe(KpiDefinitions.Satisfaction(facts).Value)],
        [Msg.Of("Complaints"), facts.Complaints.Sum(c => c.Count)],
    ]);

    /// <summary>RPT-15: the orders received before the day ended that were neither completed nor cancelled by then.</summary>
    private async Task<ReportSection> Unfinished(int branch, DateOnly end, CancellationToken ct)
    {
        var zone = await zones.For(branch, ct);
        var at = SlaMath.At(end, TimeOnly.MinValue, zone);
        var open = await db.WorkOrders.AsNoTracking()
            .Where(o => o.BranchId == branch && o.CreatedAt < at && (o.CompletedAt == null || o.CompletedAt >= at) && (o.CancelledAt == null || o.CancelledAt >= at))
            .OrderBy(o => o.CreatedAt)
            .Select(o => new { o.Code, o.Status, o.Type, o.CreatedAt, o.AppointmentStart, Technician = o.TechnicianId == null ? null : db.Technicians.Where(t => t.Id == o.TechnicianId).Select(t => t.User!.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        return new ReportSection(Msg.Of("Unfinished orders"), [Msg.Of("Order"), Msg.Of("Type"), Msg.Of("Status"), Msg.Of("Technician"), Msg.Of("Received"), Msg.Of("Appointment")],
            open.Select(o => (IReadOnlyList<ReportCell>)[o.Code, Msg.Code("type", JsonNames.Of(o.Type)), Msg.Code("status", JsonNames.Of(o.Status)), o.Technician ?? "",
                BranchTime.Today(o.CreatedAt, zone), o.AppointmentStart is { } a ? BranchTime.Today(a, zone) : new ReportCell(Text: "")]).ToList());
    }

    public static ReportSection FaultTable(FaultStatistics f) => new(Msg.Of("Faults by product model"),
        [Msg.Of("Product model"), Msg.Of("Fault category"), Msg.Of("Repairs"), Msg.Of("Previous period")],
        f.Models.SelectMany(m => m.Categories.Select(c => (IReadOnlyList<ReportCell>)[m.Model, c.Category, c.Count, c.Previous])).ToList());

    /// <summary>RPT-02/09: the problems sent to the technical department in the period or still open at its end, with the answers known then.</summary>
    private async Task<ReportSection> Problems(int branch, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var list = await problems.Of([branch], from, to, false, ct);
        return new ReportSection(Msg.Of("Problems sent to the technical department"),
            [Msg.Of("Product model"), Msg.Of("Fault category"), Msg.Of("Problem"), Msg.Of("Raised on"), Msg.Of("Order"), Msg.Of("Answer"), Msg.Of("Answered")],
            list.Select(p => (IReadOnlyList<ReportCell>)[p.ProductModel, p.FaultCategory ?? "", p.Description, DateOnly.FromDateTime(p.RaisedAt.DateTime), p.WorkOrderCode ?? "",
                p.Answer is { } a ? new ReportCell(Text: a) : new ReportCell(Label: Msg.Of("Open")), p.AnsweredAt is { } at ? DateOnly.FromDateTime(at.DateTime) : new ReportCell(Text: "")]).ToList());
    }

    /// <summary>RPT-07: the complaints received in the month (their state at the review).</summary>
    private async Task<ReportSection> Complaints(int branch, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var zone = await zones.For(branch, ct);
        var (start, end) = (SlaMath.At(from, TimeOnly.MinValue, zone), SlaMath.At(to, TimeOnly.MinValue, zone));
        var rows = await db.Complaints.AsNoTracking().Where(c => c.BranchId == branch && c.CreatedAt >= start && c.CreatedAt < end).OrderBy(c => c.CreatedAt)
            .Select(c => new { c.CreatedAt, c.Type, c.Status, c.Description, Code = c.WorkOrder == null ? null : c.WorkOrder.Code }).ToListAsync(ct);
        return new ReportSection(Msg.Of("Complaints"), [Msg.Of("Received"), Msg.Of("Order"), Msg.Of("Type"), Msg.Of("Status"), Msg.Of("Description")],
            rows.Select(c => (IReadOnlyList<ReportCell>)[BranchTime.Today(c.CreatedAt, zone), c.Code ?? "", Msg.Code("complaintType", JsonNames.Of(c.Type)),
                Msg.Code("complaintStatus", JsonNames.Of(c.Status)), c.Description]).ToList());
    }

    /// <summary>
    /// RPT-01 / ONS-25: every service completed in the month (not cancelled, not an empty trip), per product model and
    /// customer, with the fault, the work done and the parts used; first a count per model and customer.
    /// </summary>
    private async Task<IReadOnlyList<ReportSection>> ServiceRecords(int branch, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var zone = await zones.For(branch, ct);
        var (start, end) = (SlaMath.At(from, TimeOnly.MinValue, zone), SlaMath.At(to, TimeOnly.MinValue, zone));
        var rows = await db.WorkOrders.AsNoTracking()
            .Where(o => o.BranchId == branch && o.CompletedAt >= start && o.CompletedAt < end && o.Status != WorkOrderStatus.Cancelled && !o.EmptyTrip)
            .Select(o => new
            {
                o.Code, o.ProductModel, o.ProductLine, Customer = o.Customer!.Name, o.CompletedAt, o.FaultCategory, o.FaultDescription, o.Resolution,
                Technician = o.TechnicianId == null ? null : db.Technicians.Where(t => t.Id == o.TechnicianId).Select(t => t.User!.DisplayName).FirstOrDefault(),
                Parts = o.Parts.OrderBy(p => p.Id).Select(p => new { p.PartNumber, p.Name, p.Quantity }).ToList(),
            }).ToListAsync(ct);
        static string Model(string? m) => string.IsNullOrWhiteSpace(m) ? "—" : m.Trim();
        var ordered = rows.OrderBy(o => Model(o.ProductModel), StringComparer.Ordinal).ThenBy(o => o.Customer, StringComparer.Ordinal).ThenBy(o => o.CompletedAt).ToList();
        var perModel = ordered.GroupBy(o => (Model(o.ProductModel), o.Customer)).Select(g => (IReadOnlyList<ReportCell>)[g.Key.Item1, g.Key.Customer, g.Count()]).ToList();
        var records = ordered.Select(o => (IReadOnlyList<ReportCell>)[Model(o.ProductModel), o.Customer, o.Code, BranchTime.Today(o.CompletedAt!.Value, zone), o.Technician ?? "",
            string.Join("：", new[] { o.FaultCategory, o.FaultDescription }.Where(x => !string.IsNullOrWhiteSpace(x))), o.Resolution ?? "",
            string.Join("，", o.Parts.Select(p => $"{(string.IsNullOrWhiteSpace(p.Name) ? p.PartNumber : $"{p.Name}（{p.PartNumber}）")}×{p.Quantity}"))]).ToList();
        return
        [
            new ReportSection(Msg.Of("Services per product model and customer"), [Msg.Of("Product model"), Msg.Of("Customer"), Msg.Of("Services")], perModel),
            new ReportSection(Msg.Of("Service records"), [Msg.Of("Product model"), Msg.Of("Customer"), Msg.Of("Order"), Msg.Of("Completed"), Msg.Of("Technician"),
                Msg.Of("Fault"), Msg.Of("Work done"), Msg.Of("Parts used")], records),
        ];
    }

    private static string Month(DateOnly d) => d.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
