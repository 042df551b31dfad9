using Fieldline.Web.Features.Depot;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Depot;

/// <summary>
/// The depot (送修) page for its clerk, the supervisor and the manager: take units in with a collection receipt (printed as
/// PDF, optionally sent by SMS), enter units in transit in the repair register, record repairs, hand units back (the
/// return visit is then due in 3 days), approve returns (the manager), and see each unit's throughput due date (SHOP-01).
/// The same use cases as /api/depot.
/// </summary>
public sealed class DepotModel(FindDepot find, IssueCollectionReceipt issue, RegisterDepotUnit register, RepairDepotUnit repair, HandBackDepotUnit handBack,
    ApproveDepotReturn approve, RenderCollectionReceipt render) : ConsolePage
{
    public static readonly string[] PageUsers = FindDepot.Staff;

    [BindProperty] public string? CustomerName { get; set; }
    [BindProperty] public string? CustomerPhone { get; set; }
    [BindProperty] public long? WorkOrderId { get; set; }
    [BindProperty] public string? Product { get; set; }
    [BindProperty] public string? SerialNumber { get; set; }
    [BindProperty] public string? Fault { get; set; }
    [BindProperty] public string? Accessories { get; set; }
    [BindProperty] public int Count { get; set; } = 1;
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public bool Sms { get; set; }
    [BindProperty] public string? Note { get; set; }

    // The queue's filters (a GET form; the links of the next page keep them).
    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "q")] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "after")] public long? After { get; set; }
    [BindProperty(SupportsGet = true, Name = "branchId")] public int? BranchId { get; set; }

    public IReadOnlyList<DepotUnitDto> Open { get; private set; } = [];
    /// <summary>The next page's <c>after</c>, when there are more units than this page shows.</summary>
    public long? Next { get; private set; }
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();
    public List<(int Id, string Name)> Branches { get; private set; } = [];

    /// <summary>Head office looking at every branch's depot: each row says whose it is.</summary>
    public bool AllBranches => Me.IsHeadOffice && BranchId is null;

    public string BranchName(int id) => Branches.FirstOrDefault(b => b.Id == id).Name ?? "";
    public IReadOnlyList<DepotUnitDto> Collected { get; private set; } = [];
    public IEnumerable<string> Errors => ModelState.Values.SelectMany(e => e.Errors).Select(e => e.ErrorMessage);

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnGetReceipt(long id, CancellationToken ct)
    {
        var (pdf, number) = await render.Handle(Me, id, ct);
        return File(pdf, RenderCollectionReceipt.ContentType, $"{number}.pdf");
    }

    public Task<IActionResult> OnPostReceive(CancellationToken ct) => Run(async () =>
    {
        var units = Enumerable.Range(0, Math.Clamp(Count, 1, IssueCollectionReceipt.MaxUnits))
            .Select(_ => new DepotUnitInput(Product, Count == 1 ? SerialNumber : null, Fault, Accessories, Kind)).ToList();
        var receipt = await issue.Handle(Me, new DepotReceiptRequest(WorkOrderId, CustomerName, CustomerPhone, units, Sms), ct);
        Flash = T["Collection receipt {0} issued for {1} unit(s).", receipt.Number, receipt.Units.Count];
    }, ct);

    public Task<IActionResult> OnPostRegister(long id, CancellationToken ct) => Run(async () =>
    {
        await register.Handle(Me, id, null, ct);
        Flash = T["The unit is entered in the repair register."];
    }, ct);

    public Task<IActionResult> OnPostRepair(long id, CancellationToken ct) => Run(async () =>
    {
        await repair.Handle(Me, id, new DepotRepairRequest(Note), null, ct);
        Flash = T["The repair is recorded: the unit waits for the customer."];
    }, ct);

    public Task<IActionResult> OnPostHandBack(long id, CancellationToken ct) => Run(async () =>
    {
        var unit = await handBack.Handle(Me, id, null, ct);
        Flash = T["Handed back to the customer: the return visit is due {0}.", Text.DayTime(unit.ReturnVisitDueAt)];
    }, ct);

    public Task<IActionResult> OnPostApprove(long id, CancellationToken ct) => Run(async () =>
    {
        await approve.Handle(Me, id, null, ct);
        Flash = T["The return is approved: the company bears its costs."];
    }, ct);

    private async Task<IActionResult> Run(Func<Task> action, CancellationToken ct)
    {
        Me.RequireAny("read the depot queue", PageUsers);
        if (await Attempt(action)) return Redirect(Link(After));
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("read the depot queue", PageUsers);
        // A filter that is refused (a branch the user may not see, a status that is not one) is said, and the whole queue shown.
        var problem = Problem;
        if (!await Attempt(async () => await Show(new DepotQueueQuery(BranchId, Status, Q, After), ct)))
        {
            (BranchId, Status, Q, After) = (null, null, null, null);
            await Show(new DepotQueueQuery(null, null), ct);
        }
        else Problem = problem;
        Collected = await find.RecentlyCollected(Me, BranchId, 50, ct);
        if (Me.IsHeadOffice)
        {
            var db = HttpContext.RequestServices.GetRequiredService<Infrastructure.Data.AppDbContext>();
            Branches = (await db.Branches.AsNoTracking().Where(b => b.ParentId != null).OrderBy(b => b.Id).Select(b => new { b.Id, b.Name }).ToListAsync(ct))
                .Select(b => (b.Id, b.Name)).ToList();
        }
    }

    private async Task Show(DepotQueueQuery query, CancellationToken ct)
    {
        var page = await find.Page(Me, query, ct);
        (Open, Next, Counts) = (page.Items, page.Next, page.Counts);
    }

    /// <summary>The queue's filters and page as query values (the row forms post them back, so that an action keeps the view).</summary>
    public Dictionary<string, string> Filters(long? after = null, string? status = "")
    {
        var query = new Dictionary<string, string?>
        {
            ["status"] = status == "" ? Status : status, ["q"] = Q, ["branchId"] = BranchId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["after"] = after?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return query.Where(p => !string.IsNullOrEmpty(p.Value)).ToDictionary(p => p.Key, p => p.Value!);
    }

    /// <summary>This page's address with the current filters and <paramref name="after"/> (the first page without it).</summary>
    public string Link(long? after = null, string? status = "") =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/depot", Filters(after, status).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));
}
