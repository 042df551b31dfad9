using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Technicians;

/// <summary>The branch's technicians: skills (product line × install/repair), regions, on duty. Managers edit; office staff read.</summary>
public sealed class IndexModel(ManageTechnicians manage, AppDbContext db) : ConsolePage
{
    public IReadOnlyList<TechnicianDto> Technicians { get; private set; } = [];
    public IReadOnlyList<UserDto> Candidates { get; private set; } = [];
    public bool CanEdit => Me.IsAny(Roles.Admin, Roles.Manager);

    /// <summary>Every skill a technician can hold: each product line, installing and repairing (ac.install, ac.repair …).</summary>
    public IEnumerable<string> SkillChoices =>
        WorkOrders.IntakeModel.ProductLines.SelectMany(line => new[] { $"{line}.install", $"{line}.repair" })
            .Concat(Technicians.SelectMany(t => t.Skills)).Distinct();

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostUpdate(int id, string[]? skills, string? regions, bool onDuty, bool partTime, int? version, CancellationToken ct)
    {
        if (await Attempt(() => manage.Update(Me, id, new UpdateTechnicianRequest(version, [.. (skills ?? []).Distinct()], Split(regions), null, null, onDuty, partTime), null, ct)))
        {
            Flash = T["Saved."];
            return Redirect("/manage/technicians");
        }
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCreate(int? userId, string[]? skills, string? regions, bool partTime, CancellationToken ct)
    {
        if (await Attempt(() => manage.Create(Me, new CreateTechnicianRequest(userId, [.. (skills ?? []).Distinct()], Split(regions), null, null, true, PartTime: partTime), ct)))
        {
            Flash = T["Saved."];
            return Redirect("/manage/technicians");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Technicians = (await manage.List(Me, null, null, 1, 200, ct)).Items;
        if (!CanEdit) return;
        var taken = Technicians.Select(t => t.UserId).ToList();
        var users = db.Users.AsNoTracking().Where(u => u.IsActive && !taken.Contains(u.Id));
        if (!Me.IsHeadOffice) users = users.Where(u => u.BranchId == Me.BranchId);
        Candidates = (await users.OrderBy(u => u.Id).ToListAsync(ct)).Where(u => u.Roles.Contains(Roles.Technician)).Select(UserDto.From).ToList();
    }

    private static List<string> Split(string? text) =>
        (text ?? "").Split([',', ' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
}
