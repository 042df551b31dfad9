using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Evaluation;

/// <summary>
/// The pay ledger for finance and managers: a month's lines and every person's total, and closing the month once payroll
/// is done. It reads and closes through the same use cases as the API, with the same role and branch checks.
/// </summary>
public sealed class PayLedgerModel(FindPayLedger ledger, ClosePayPeriod periods, FindPayStatements statements, RenderPayStatement render, AppDbContext db) : ConsolePage
{
    /// <summary>yyyy-MM; empty means the current month.</summary>
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    /// <summary>Head office picks a branch (empty: the whole company); everyone else sees their own.</summary>
    [BindProperty(SupportsGet = true)] public int? Branch { get; set; }

    /// <summary>The page of the statements shown (1-based), <see cref="StatementsPerPage"/> people a page.</summary>
    [BindProperty(SupportsGet = true, Name = "p")] public int StatementsPage { get; set; } = 1;
    /// <summary>Only the statements of people whose name contains it.</summary>
    [BindProperty(SupportsGet = true)] public string? Who { get; set; }
    /// <summary>Only this person's statement (a link from their total).</summary>
    [BindProperty(SupportsGet = true)] public int? Person { get; set; }

    /// <summary>A branch of thousands is previewed a page at a time: each page computes only its own people's statements.</summary>
    internal const int StatementsPerPage = 50;

    public PayLedgerPage Ledger { get; private set; } = new("", [], 0, []);
    /// <summary>How many people's statements match (every page's).</summary>
    public int StatementsTotal { get; private set; }
    /// <summary>The address of another page of the statements, with the month, branch and name filter kept.</summary>
    public string StatementsLink(int page) =>
        $"/manage/pay-ledger?month={Uri.EscapeDataString(Month ?? "")}&branch={Branch}&who={Uri.EscapeDataString(Who ?? "")}&p={page}#statements";
    public int StatementPages => Math.Max(1, (StatementsTotal + StatementsPerPage - 1) / StatementsPerPage);
    public IReadOnlyList<PayPeriodDto> Closed { get; private set; } = [];
    /// <summary>The month-close preview: one page of the people's statements of the closing branch (lines computed while the month is open).</summary>
    public IReadOnlyList<PayStatementDto> Statements { get; private set; } = [];
    public Dictionary<int, string> Branches { get; private set; } = [];
    public Dictionary<int, string> People { get; private set; } = [];

    /// <summary>The branch whose month the close button closes; none while head office looks at the whole company.</summary>
    public int? ClosingBranch => Me.IsHeadOffice ? Branch : Me.BranchId;
    public PayPeriodDto? MonthClosed => Closed.FirstOrDefault(c => c.Month == Ledger.Month);

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    /// <summary>A person's PDF pay statement, for the console's cookie (the API takes bearer tokens only): the same use case and checks.</summary>
    public async Task<IActionResult> OnGetPdf(int person, string month, CancellationToken ct) =>
        File(await render.Pdf(Me, person, month, ct), "application/pdf", $"pay-statement-{person}-{month}.pdf");

    /// <summary>The branch's month as one workbook, for the console's cookie.</summary>
    public async Task<IActionResult> OnGetWorkbook(string month, int? branch, CancellationToken ct)
    {
        var (shown, write) = await render.Workbook(Me, month, branch, ct);
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"pay-statements-{shown}.xlsx");
        Response.ContentType = Features.WorkOrders.ExportWorkOrders.ContentType;
        Response.Headers.ContentDisposition = disposition.ToString();
        await write(Features.WorkOrders.ExportWorkOrders.Body(HttpContext), ct); // streamed as each group of statements is computed
        return new EmptyResult();
    }

    /// <summary>Whether the shown month is over in the branch (only then is it offered for closing).</summary>
    public bool MonthEnded { get; private set; }

    public string NameOf(string userName) => userName == "system" ? T.Code("role", "system") : Names.GetValueOrDefault(userName, userName);

    private Dictionary<string, string> Names { get; set; } = [];

    public async Task<IActionResult> OnPostClose(string? month, bool confirmed, CancellationToken ct)
    {
        Me.RequireAny("close pay months", ClosePayPeriod.Closers);
        Month = month;
        if (!confirmed) ModelState.AddModelError("confirmed", T["Tick the box to confirm that payroll is done: a closed month cannot be reopened."]);
        else if (await Attempt(() => periods.Handle(Me, new ClosePayPeriodRequest(ClosingBranch, month), ct)))
        {
            Flash = T["{0} is closed.", month!];
            return Redirect($"/manage/pay-ledger?month={month}&branch={ClosingBranch}");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("read the pay ledger", FindPayLedger.Readers);
        if (!Me.IsHeadOffice) Branch = null;
        // A month the user typed wrong is shown as the field error, with the current month's ledger below it.
        if (!await Attempt(async () => Ledger = await ledger.Handle(Me, new PayLedgerQuery(string.IsNullOrEmpty(Month) ? null : Month, null, null, Branch, 1, 200), ct)))
            Ledger = await ledger.Handle(Me, new PayLedgerQuery(null, null, null, Branch, 1, 200), ct);
        Month = Ledger.Month;
        if (ClosingBranch is { } b)
        {
            Closed = await periods.Closed(Me, b, ct);
            StatementsPage = Math.Max(1, StatementsPage);
            var page = await statements.Handle(Me, Ledger.Month, Person, Person is null ? b : null, ct, StatementsPage, StatementsPerPage, Who);
            Statements = await page.Items.ToListAsync(ct);
            StatementsTotal = page.Total;
        }
        Branches = await db.Branches.AsNoTracking().Where(x => Me.IsHeadOffice || x.Id == Me.BranchId).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        var zone = await HttpContext.RequestServices.GetRequiredService<Features.Identity.BranchZones>().For(ClosingBranch ?? Me.BranchId, ct);
        var today = Infrastructure.Http.BranchTime.Today(HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), zone);
        MonthEnded = PayPeriod.Parse(Ledger.Month) is { } shown && shown.AddMonths(1) <= today;
        var posters = Ledger.Items.Select(e => e.PostedBy).Concat(Closed.Select(c => c.ClosedBy)).Distinct().ToList();
        Names = await db.Users.AsNoTracking().Where(u => posters.Contains(u.UserName)).ToDictionaryAsync(u => u.UserName, u => u.DisplayName, ct);
        var people = Ledger.Items.Select(e => e.PersonUserId).Distinct().ToList();
        People = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }
}
