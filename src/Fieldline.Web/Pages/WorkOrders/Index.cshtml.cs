using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.WorkOrders;

/// <summary>Finding orders: status, technician, dates (the branch's days), overdue, product line, free text; Excel export of the same list.</summary>
public sealed class IndexModel(FindWorkOrders find, ExportWorkOrders export, ManageTechnicians technicians, BranchZones zones, TimeProvider clock,
    FindOutstandingSlips slips) : ConsolePage
{
    /// <summary>Open the queue of slips not handed in (FEE-03 / PEN-02) for those who receive them.</summary>
    [BindProperty(SupportsGet = true)] public bool Slips { get; set; }

    /// <summary>The orders whose slip is outstanding, earliest deadline first; only for the slip receivers.</summary>
    public IReadOnlyList<OutstandingSlipDto> OutstandingSlips { get; private set; } = [];
    public bool SeesSlips => Me.IsAny(RecordHandIns.SlipReceivers);

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public int? TechnicianId { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    /// <summary>With <see cref="Overdue"/>: only orders overdue on this deadline (Today's links).</summary>
    [BindProperty(SupportsGet = true)] public string? Clock { get; set; }
    [BindProperty(SupportsGet = true)] public string? ProductLine { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    /// <summary>The dates are those of completion, not of receipt (the reports' drill-down).</summary>
    [BindProperty(SupportsGet = true)] public bool Completed { get; set; }
    /// <summary>Head office narrows to one branch (the reports' drill-down); a branch sees itself whatever this says.</summary>
    [BindProperty(SupportsGet = true)] public int? BranchId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;

    public const int PageSize = 50;
    public Page<WorkOrderSummaryDto> Result { get; private set; } = new([], 0);
    public IReadOnlyList<TechnicianDto> Technicians { get; private set; } = [];

    public async Task OnGet(CancellationToken ct)
    {
        var query = await Query(ct);
        if (Me.IsAny(Roles.Office)) Technicians = (await technicians.List(Me, null, null, 1, 200, ct)).Items;
        if (SeesSlips) OutstandingSlips = await slips.Handle(Me, ct);
        if (!await Attempt(async () => Result = await find.List(Me, query with { Page = Math.Max(1, PageNumber), PageSize = PageSize }, ct)))
            Result = new([], 0);
    }

    public async Task<IActionResult> OnGetExport(CancellationToken ct)
    {
        var query = await Query(ct);
        var write = await export.Prepare(Me, query, ct);
        var stamp = BranchTime.Local(clock.GetUtcNow(), await zones.For(Me.BranchId, ct)).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"工单-{stamp}.xlsx");
        Response.ContentType = ExportWorkOrders.ContentType;
        Response.Headers.ContentDisposition = disposition.ToString();
        await write(ExportWorkOrders.Body(HttpContext), ct); // streamed as the rows are read, not built in memory first
        return new EmptyResult();
    }

    /// <summary>The filters as the use case takes them; dates are whole days in the user's branch.</summary>
    private async Task<WorkOrderQuery> Query(CancellationToken ct)
    {
        var zone = await zones.For(BranchId is { } b && Me.CanSeeBranch(b) ? b : Me.BranchId, ct);
        DateTimeOffset? Start(DateOnly? d) => d is { } day ? Features.Sla.SlaMath.At(day, TimeOnly.MinValue, zone) : null;
        return new WorkOrderQuery(Empty(Status), TechnicianId, Overdue ? true : null, Start(From), Start(To?.AddDays(1)), Empty(Q), BranchId, 1, PageSize,
            ProductLine: Empty(ProductLine), Clock: Overdue ? Empty(Clock) : null, Type: Empty(Type), Completed: Completed ? true : null);
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public string LinkWithoutClock() { var clock = Clock; Clock = null; var link = Link(); Clock = clock; return link; }

    /// <summary>The current filters as a query string, for paging and the export link.</summary>
    public string Link(string? handler = null, int? page = null)
    {
        var parts = new List<string>();
        void Add(string k, object? v) { if (v is not null && v.ToString() is { Length: > 0 } s) parts.Add($"{k}={Uri.EscapeDataString(s)}"); }
        Add("handler", handler);
        Add("status", Status); Add("technicianId", TechnicianId); Add("from", IntakeModel.Iso(From)); Add("to", IntakeModel.Iso(To));
        if (Overdue) { Add("overdue", "true"); Add("clock", Clock); }
        Add("productLine", ProductLine); Add("type", Type); if (Completed) Add("completed", "true"); Add("branchId", BranchId); Add("q", Q); Add("pageNumber", page);
        return "/orders?" + string.Join("&", parts);
    }
}
