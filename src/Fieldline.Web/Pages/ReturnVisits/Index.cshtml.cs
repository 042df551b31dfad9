using Fieldline.Web.Features.ReturnVisits;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.ReturnVisits;

/// <summary>
/// The return-visit agent's workbench (回访): orders due for a visit, earliest first, with the live countdown to the RV-01
/// deadline, how many calls were tried, a tel: link to dial and the way to the script.
/// </summary>
public sealed class IndexModel(FindDueVisits find, RecordUnitVisit recordUnit, AppDbContext db, TimeProvider clock) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public int? TechnicianId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public int? BranchId { get; set; }

    public Page<DueVisitDto> Items { get; private set; } = new([], 0);
    public List<(int Id, string Name)> Technicians { get; private set; } = [];
    public List<(int Id, string Name)> Branches { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    /// <summary>A depot (SHOP-02) or periodic (RV-02) visit recorded from its row: the unit's customer, no order, no script.</summary>
    public async Task<IActionResult> OnPostUnit(long? depotUnitId, int? productId, string? outcome, int? satisfaction, string? remarks, CancellationToken ct)
    {
        if (await Attempt(async () => await recordUnit.Handle(Me, new UnitVisitRequest(depotUnitId, productId, outcome,
                outcome == RecordReturnVisit.Reached ? satisfaction : null, remarks), ct)))
        {
            Flash = T["Return visit recorded."];
            return Redirect("/return-visits");
        }
        await OnGet(ct);
        return Page();
    }

    public async Task OnGet(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        if (!await Attempt(async () => Items = await find.Handle(Me, new DueVisitQuery(BranchId, TechnicianId, Type), ct)))
            Items = await find.Handle(Me, new DueVisitQuery(null, null, null), ct);
        var technicians = db.Technicians.AsNoTracking();
        if (!Me.IsHeadOffice) technicians = technicians.Where(t => t.BranchId == Me.BranchId);
        Technicians = (await technicians.Select(t => new { t.Id, t.User!.DisplayName }).OrderBy(t => t.DisplayName).ToListAsync(ct)).Select(t => (t.Id, t.DisplayName)).ToList();
        if (Me.IsHeadOffice)
            Branches = (await db.Branches.AsNoTracking().OrderBy(b => b.Id).Select(b => new { b.Id, b.Name }).ToListAsync(ct)).Select(b => (b.Id, b.Name)).ToList();
    }
}
