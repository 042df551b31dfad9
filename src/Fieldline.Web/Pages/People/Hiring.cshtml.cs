using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.People;

/// <summary>
/// Hiring and leaving (/people/hiring, HR-02..11, SC-35) for HR (the supervisor and managers): everyone onboarding or
/// leaving first, then the rest; for one person the onboarding checklist item by item (a document uploaded and checked by
/// its content), setting them active, the uniform, and the offboarding checklist with the withheld commission. The same
/// use cases as <c>/api/technicians/{id}/employment</c> and <c>/offboarding</c>.
/// </summary>
public sealed class HiringModel(RecordHiring hiring, RecordLeaving leaving, AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock) : ConsolePage
{
    public sealed record Row(int Id, string Name, string Employment, string EmploymentName);

    [BindProperty(SupportsGet = true)] public int? TechnicianId { get; set; }

    public IReadOnlyList<Row> People { get; private set; } = [];
    public EmploymentDto? Selected { get; private set; }
    public DateOnly Today { get; private set; }
    public IReadOnlyList<PolicyItem> OffboardingItems { get; private set; } = [];
    public IReadOnlyList<string> Documents { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostItem(int technicianId, string? item, string? note, IFormFile? document, string? reference, DateOnly? validFrom, DateOnly? validTo, CancellationToken ct)
    {
        string? data = null;
        if (document is { Length: > 0 and <= RecordHiring.MaxDocumentBytes })
        {
            using var stream = new MemoryStream();
            await document.CopyToAsync(stream, ct);
            data = $"data:{document.ContentType};base64,{Convert.ToBase64String(stream.ToArray())}";
        }
        else if (document is { Length: > 0 }) data = "data:,"; // too large: refused by the use case, naming the field
        return await After(technicianId, () => hiring.RecordItem(Me, technicianId, new HiringItemBody(item, note, data, reference, validFrom, validTo), ct), ct);
    }

    public async Task<IActionResult> OnPostActivate(int technicianId, CancellationToken ct) =>
        await After(technicianId, () => hiring.Activate(Me, technicianId, ct), ct);

    public async Task<IActionResult> OnPostUniform(int technicianId, decimal? cost, CancellationToken ct) =>
        await After(technicianId, () => hiring.IssueUniform(Me, technicianId, new UniformBody(cost, null), ct), ct);

    public async Task<IActionResult> OnPostOffboard(int technicianId, DateOnly? lastDay, string? reason, decimal? commissionPending, CancellationToken ct) =>
        await After(technicianId, () => leaving.Start(Me, technicianId, new OffboardingBody(lastDay, reason, commissionPending, null), ct), ct);

    public async Task<IActionResult> OnPostLeavingItem(int technicianId, string? item, string? note, decimal? settledAmount, CancellationToken ct) =>
        await After(technicianId, () => leaving.RecordItem(Me, technicianId, new OffboardingItemBody(item, note, settledAmount), ct), ct);

    private async Task<IActionResult> After(int technicianId, Func<Task> action, CancellationToken ct)
    {
        TechnicianId = technicianId;
        if (await Attempt(action))
        {
            Flash = T["Saved."];
            return Redirect($"/people/hiring?technicianId={technicianId}");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("keep the HR record", RecordHiring.HrRoles);
        Today = BranchTime.Today(clock.GetUtcNow(), await zones.For(Me.BranchId, ct));
        var techs = await db.Technicians.AsNoTracking().Include(t => t.User).Where(t => Me.IsHeadOffice || t.BranchId == Me.BranchId)
            .OrderBy(t => t.BranchId).ThenBy(t => t.Id).Take(500).ToListAsync(ct);
        static int Order(string e) => e switch { EmploymentStatus.Onboarding => 0, EmploymentStatus.Leaving => 1, EmploymentStatus.Active => 2, _ => 3 };
        People = techs.OrderBy(t => Order(t.Employment)).Select(t => new Row(t.Id, t.User!.DisplayName, t.Employment,
            Infrastructure.Localization.Msg.Code("employment", t.Employment).Render())).ToList();
        var policy = await policies.InForce(db, clock.GetUtcNow(), ct);
        OffboardingItems = policy.OffboardingChecklist;
        Documents = policy.OnboardingDocuments.Select(d => d.Code).ToList();
        if (TechnicianId is { } id && techs.Any(t => t.Id == id)) Selected = await hiring.Show(Me, id, ct);
    }
}
