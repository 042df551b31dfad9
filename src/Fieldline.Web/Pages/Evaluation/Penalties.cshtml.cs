using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Evaluation;

/// <summary>
/// Penalty cases waiting for a supervisor or a manager: the rule, the person, the amount, the evidence; confirm or dismiss
/// with a reason (never one's own case). Appeals, private-job findings and dismissal reviews are the managers'.
/// </summary>
public sealed class PenaltiesModel(ManagePenaltyCases cases, DecideAppeal appeals, DecideDismissalReview reviews, RecordPrivateJob privateJobs, AppDbContext db) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public string State { get; set; } = "proposed";

    public Page<PenaltyCaseDto> Cases { get; private set; } = new([], 0);
    /// <summary>Confirmed fines their person appealed, for a manager to uphold, reduce or dismiss.</summary>
    public IReadOnlyList<PenaltyCaseDto> Appeals { get; private set; } = [];
    /// <summary>Open dismissal and expulsion reviews (DSM) for a manager: the trigger, the reason, the evidence.</summary>
    public IReadOnlyList<DismissalReview> Reviews { get; private set; } = [];
    public Dictionary<int, string> People { get; private set; } = [];
    public Dictionary<long, string> Codes { get; private set; } = [];
    /// <summary>Each shown branch's evidence as sentences (times in that branch's zone).</summary>
    public Dictionary<int, Infrastructure.Localization.DataText> Facts { get; private set; } = [];

    /// <summary>The branch's technicians, for a private-job finding.</summary>
    public IReadOnlyList<(int Id, string Name)> Technicians { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    /// <summary>Appeals and private-job findings are a manager's (an appeal goes above whoever confirmed the fine).</summary>
    public bool ManagesAppeals => Me.IsAny(ManagePenaltyCases.Deciders);

    /// <summary>SC-10 (DSP-12, PEN-08, PEN-85): a private job the company found, the same use case as <c>POST /api/penalty-cases/private-job</c>.</summary>
    public async Task<IActionResult> OnPostPrivateJob(int? technicianId, DateOnly? day, decimal? amount, string? description, CancellationToken ct)
    {
        PrivateJobResult? result = null;
        if (await Attempt(async () => result = await privateJobs.Handle(Me, new PrivateJobFinding(technicianId, day, amount, description), ct)) && result is not null)
        {
            Flash = result.EligibilityRevoked
                ? T["Private job recorded: {0} case(s) proposed; {1} company orders were unfinished that day, so the month's evaluation eligibility is revoked.", result.Cases.Count, result.UnfinishedCompanyOrders.Count]
                : T["Private job recorded: {0} case(s) proposed.", result.Cases.Count];
            return Redirect($"/manage/penalties?state={State}");
        }
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDecide(long id, bool confirm, string? note, int? version, CancellationToken ct)
    {
        if (await Attempt(() => cases.Decide(Me, id, confirm, new PenaltyDecision(confirm ? note : null, confirm ? null : note, version), ct)))
        {
            Flash = confirm ? T["Confirmed."] : T["Dismissed."];
            return Redirect($"/manage/penalties?state={State}");
        }
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAppeal(long id, string? outcome, decimal? amount, string? reason, int? version, CancellationToken ct)
    {
        if (await Attempt(() => appeals.Handle(Me, id, new AppealDecisionRequest(outcome, outcome == "reduced" ? amount : null, reason, version), ct)))
        {
            Flash = T["Appeal decided."];
            return Redirect($"/manage/penalties?state={State}");
        }
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostReview(long id, bool uphold, string? note, CancellationToken ct)
    {
        if (await Attempt(() => reviews.Handle(Me, id, new ReviewDecision(uphold, note), ct)))
        {
            Flash = uphold ? T["Dismissal upheld."] : T["The person is kept."];
            return Redirect($"/manage/penalties?state={State}");
        }
        await Load(ct);
        return Page();
    }

    /// <summary>Who decided, by name (cases record the username).</summary>
    public string NameOf(string userName) => userName == "system" ? T.Code("role", "system") : Deciders.GetValueOrDefault(userName, userName);

    private Dictionary<string, string> Deciders { get; set; } = [];

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("decide on penalty cases", ManagePenaltyCases.CaseDeciders);
        Cases = await cases.List(Me, string.IsNullOrEmpty(State) ? null : State, null, null, null, null, 1, 200, ct);
        Appeals = ManagesAppeals ? (await cases.List(Me, null, null, null, null, null, 1, 200, ct, "pending")).Items : [];
        Reviews = Me.IsAny(DecideDismissalReview.Readers) ? await reviews.List(Me, "open", ct) : [];
        var people = Cases.Items.Concat(Appeals).Select(c => c.PersonUserId).Concat(Reviews.Select(r => r.PersonUserId)).Distinct().ToList();
        People = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var orders = Cases.Items.Where(c => c.WorkOrderId is not null).Select(c => c.WorkOrderId!.Value).Distinct().ToList();
        Codes = await db.WorkOrders.AsNoTracking().Where(o => orders.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Code, ct);
        foreach (var branch in Cases.Items.Concat(Appeals).Select(c => c.BranchId).Concat(Reviews.Select(r => r.BranchId)).Distinct()) Facts[branch] = await DataTextFor(branch, ct);
        var deciders = Cases.Items.Where(c => c.DecidedBy is not null).Select(c => c.DecidedBy!).Distinct().ToList();
        Deciders = await db.Users.AsNoTracking().Where(u => deciders.Contains(u.UserName)).ToDictionaryAsync(u => u.UserName, u => u.DisplayName, ct);
        Technicians = (await db.Technicians.AsNoTracking().Where(t => t.User!.IsActive && (Me.IsHeadOffice || t.BranchId == Me.BranchId))
            .OrderBy(t => t.Id).Take(500).Select(t => new { t.Id, t.User!.DisplayName }).ToListAsync(ct)).Select(t => (t.Id, t.DisplayName)).ToList();
    }
}
