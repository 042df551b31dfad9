using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.People;

/// <summary>
/// Kit spot checks (/people/tools, TLS-02..04): each person's last check, and for one person the kit the policy in force
/// requires, ticked item by item by the supervisor; an unticked item is missing — fined, and the person is kept out of
/// dispatch until a re-check finds the kit complete. The same use case as <c>POST /api/tool-checks</c>.
/// </summary>
public sealed class ToolsModel(RecordToolCheck checks, IssueCompanyTools companyTools, AppDbContext db, PolicyStore policies, TimeProvider clock) : ConsolePage
{
    public sealed record Row(int Id, string Name, ToolCheckDto? Last);

    [BindProperty(SupportsGet = true)] public int? TechnicianId { get; set; }

    public IReadOnlyList<Row> People { get; private set; } = [];
    public Row? Selected { get; private set; }
    public IReadOnlyList<PolicyItem> Kit { get; private set; } = [];
    public bool CanCheck => Me.IsAny(RecordToolCheck.Checkers);
    /// <summary>TLS-07: the company tools issued to the selected person, newest first.</summary>
    public IReadOnlyList<CompanyToolDto> CompanyTools { get; private set; } = [];
    public bool CanIssue => Me.IsAny(RecordHiring.HrRoles);

    public async Task<IActionResult> OnPostIssue(int? technicianId, string? item, decimal? value, DateOnly? issuedOn, string? note, CancellationToken ct) =>
        await Then(technicianId, () => companyTools.Issue(Me, new IssueToolBody(technicianId, item, value, issuedOn, note), ct), ct);

    public async Task<IActionResult> OnPostReturn(int? technicianId, long id, string? note, CancellationToken ct) =>
        await Then(technicianId, () => companyTools.Return(Me, id, new CloseToolBody(null, null, note), ct), ct);

    public async Task<IActionResult> OnPostLoss(int? technicianId, long id, string? kind, string? note, CancellationToken ct) =>
        await Then(technicianId, () => companyTools.ReportLoss(Me, id, new CloseToolBody(kind, null, note), ct), ct);

    private async Task<IActionResult> Then(int? technicianId, Func<Task<CompanyToolDto>> action, CancellationToken ct)
    {
        TechnicianId = technicianId;
        if (await Attempt(action))
        {
            Flash = T["Saved."];
            return Redirect($"/people/tools?technicianId={technicianId}");
        }
        await Load(ct);
        return Page();
    }

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostCheck(int? technicianId, string[]? kit, string[]? present, string? note, CancellationToken ct)
    {
        TechnicianId = technicianId;
        var missing = (kit ?? []).Except(present ?? []).ToList();
        if (await Attempt(() => checks.Handle(Me, new ToolCheckBody(technicianId, missing, present ?? [], note), ct)))
        {
            Flash = T["Saved."];
            return Redirect($"/people/tools?technicianId={technicianId}");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("open the people desk", IndexModel.Viewers);
        var techs = await db.Technicians.AsNoTracking().Include(t => t.User).Where(t => t.User!.IsActive && (Me.IsHeadOffice || t.BranchId == Me.BranchId))
            .OrderBy(t => t.BranchId).ThenBy(t => t.Id).Take(500).ToListAsync(ct);
        var recent = (await checks.List(Me, null, null, null, 1, 200, ct)).Items;
        People = techs.Select(t => new Row(t.Id, t.User!.DisplayName, recent.FirstOrDefault(c => c.TechnicianId == t.Id))).ToList();
        Selected = People.FirstOrDefault(p => p.Id == TechnicianId);
        if (Selected is not null)
        {
            var policy = await policies.InForce(db, clock.GetUtcNow(), ct);
            Kit = policy.KitFor(StaffCategory.OfSkills(techs.Single(t => t.Id == Selected.Id).Skills));
            CompanyTools = (await companyTools.List(Me, Selected.Id, null, 1, 100, ct)).Items;
        }
    }
}
