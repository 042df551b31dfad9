using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.People;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.People;

/// <summary>
/// The people desk (/people): who may work today and why not; the leave waiting for a decision (approve, or refuse with
/// a reason); leave phoned in recorded for someone (ATT-07); suspensions (managers). The same use cases as the API.
/// </summary>
public sealed class IndexModel(TechnicianEligibility eligibility, LeaveDecisions leave, RequestLeave request, ExtendLeave extend, SuspendTechnician suspend,
    AppDbContext db, BranchZones zones, TimeProvider clock) : ConsolePage
{
    public static readonly string[] Viewers = RequestLeave.Recorders;

    public sealed record Row(int Id, string Name, bool Eligible, IReadOnlyList<EligibilityReasonDto> Reasons);

    public DateOnly Today { get; private set; }
    public IReadOnlyList<Row> Technicians { get; private set; } = [];
    public IReadOnlyList<LeaveRequestDto> Waiting { get; private set; } = [];
    public IReadOnlyList<LeaveRequestDto> Decided { get; private set; } = [];
    public IReadOnlyList<SuspensionDto> Suspensions { get; private set; } = [];
    /// <summary>Approved leave that ended in the last 60 days.</summary>
    public IReadOnlyList<LeaveRequestDto> Past { get; private set; } = [];
    public bool CanDecide => Me.IsAny(LeaveDecisions.Approvers);
    public bool CanSuspend => Me.IsAny(SuspendTechnician.Deciders);

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostApprove(long id, string? note, int? version, CancellationToken ct) =>
        await After(() => leave.Approve(Me, id, new LeaveDecisionBody(note, version), null, ct), T["Leave approved"], ct);

    public async Task<IActionResult> OnPostRefuse(long id, string? note, int? version, CancellationToken ct) =>
        await After(() => leave.Refuse(Me, id, new LeaveDecisionBody(note, version), null, ct), T["Leave refused"], ct);

    public async Task<IActionResult> OnPostLeave(int? technicianId, DateOnly? from, DateOnly? to, string? reason, CancellationToken ct) =>
        await After(() => request.Handle(Me, new LeaveRequestBody(technicianId, from, to, reason), ct), T["Saved."], ct);

    public async Task<IActionResult> OnPostExtend(long id, DateOnly? to, string? reason, CancellationToken ct) =>
        await After(() => extend.Handle(Me, id, new ExtendLeaveBody(to, reason), ct), T["Saved."], ct);

    public async Task<IActionResult> OnPostSuspend(int? technicianId, DateOnly? from, DateOnly? to, string? reason, CancellationToken ct) =>
        await After(() => suspend.Handle(Me, new SuspensionBody(technicianId, from, to, reason), ct), T["Saved."], ct);

    private async Task<IActionResult> After(Func<Task> action, string done, CancellationToken ct)
    {
        if (await Attempt(action))
        {
            Flash = done;
            return Redirect("/people");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("open the people desk", Viewers);
        var zone = await zones.For(Me.BranchId, ct);
        Today = BranchTime.Today(clock.GetUtcNow(), zone);
        var techs = await db.Technicians.AsNoTracking().Include(t => t.User).Where(t => t.User!.IsActive && (Me.IsHeadOffice || t.BranchId == Me.BranchId))
            .OrderBy(t => t.BranchId).ThenBy(t => t.Id).Take(500).ToListAsync(ct);
        var reasons = await eligibility.Reasons(techs, [Today], ct);
        Technicians = techs.Select(t => new Row(t.Id, t.User!.DisplayName, reasons[t.Id].Count == 0, reasons[t.Id].Select(EligibilityReasonDto.From).ToList())).ToList();
        Waiting = (await leave.List(Me, null, "requested", null, null, 1, 100, ct)).Items;
        Decided = (await leave.List(Me, null, "approved", Today, null, 1, 50, ct)).Items;
        Suspensions = (await suspend.List(Me, null, Today, null, 1, 50, ct)).Items;
        Past = (await leave.List(Me, null, "approved", Today.AddDays(-60), Today.AddDays(-1), 1, 100, ct)).Items.Where(l => l.To < Today).ToList();
    }
}
