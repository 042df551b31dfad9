using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Reports.Problems;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Reports;

/// <summary>
/// RPT-02 / RPT-09: the problems sent to the technical department and their answers. The supervisor (or a manager) sends
/// one with the product model and the fault; a manager records the technical department's answer; open ones first. The
/// same use cases as /api/reports/problems.
/// </summary>
public sealed class ProblemsModel(FindTechnicalProblems find, RaiseTechnicalProblem raise, AnswerTechnicalProblem answer, AppDbContext db) : ConsolePage
{
    public static readonly string[] PageUsers = FindTechnicalProblems.Readers;

    [BindProperty(SupportsGet = true)] public bool Open { get; set; }
    [BindProperty(SupportsGet = true)] public int? BranchId { get; set; }

    [BindProperty] public string? ProductModel { get; set; }
    [BindProperty] public string? FaultCategory { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? OrderCode { get; set; }
    [BindProperty] public string? Answer { get; set; }

    public IReadOnlyList<TechnicalProblemDto> Problems { get; private set; } = [];
    public IReadOnlyList<BranchChoice> Branches { get; private set; } = [];
    public bool CanRaise => Me.IsAny(RaiseTechnicalProblem.Raisers);
    public bool CanAnswer => Me.IsAny(AnswerTechnicalProblem.Answerers);

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostRaise(CancellationToken ct)
    {
        Me.RequireAny("see reports", PageUsers);
        if (await Attempt(async () =>
            {
                long? orderId = null;
                if (OrderCode?.Trim() is { Length: > 0 } code)
                {
                    orderId = await db.WorkOrders.AsNoTracking().Where(o => o.Code == code).Select(o => (long?)o.Id).FirstOrDefaultAsync(ct);
                    if (orderId is null) throw new Infrastructure.Http.NotFoundException("Work order", code);
                }
                var p = await raise.Handle(Me, new TechnicalProblemRequest(ProductModel, null, FaultCategory, Description, orderId, Me.IsHeadOffice ? BranchId : null), ct);
                Flash = T["The problem with {0} is sent to the technical department.", p.ProductModel];
            }))
            return Redirect("/reports/problems");
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAnswer(long id, CancellationToken ct)
    {
        Me.RequireAny("see reports", PageUsers);
        if (await Attempt(async () =>
            {
                var p = await answer.Handle(Me, id, new TechnicalAnswerRequest(Answer), ct);
                Flash = T["The technical department's answer on {0} is recorded.", p.ProductModel];
            }))
            return Redirect("/reports/problems");
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("see reports", PageUsers);
        if (Me.IsHeadOffice) Branches = await db.Branches.AsNoTracking().OrderBy(b => b.Id).Select(b => new BranchChoice(b.Id, b.Name)).ToListAsync(ct);
        else BranchId = null;
        var list = await find.Handle(Me, BranchId, Open, null, null, ct);
        Problems = list.OrderByDescending(p => p.Open).ThenByDescending(p => p.RaisedAt).ToList();
    }

    public string BranchName(int id) => Branches.FirstOrDefault(b => b.Id == id)?.Name ?? "";
}
