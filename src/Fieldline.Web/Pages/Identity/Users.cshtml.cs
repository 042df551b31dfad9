using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Identity;

/// <summary>Staff accounts and their roles; admins everywhere, managers in their branch (never granting admin or manager).</summary>
public sealed class UsersModel(ManageUsers manage, AppDbContext db) : ConsolePage
{
    public IReadOnlyList<UserDto> Users { get; private set; } = [];
    public Dictionary<int, string> Branches { get; private set; } = [];

    [BindProperty] public string? NewUsername { get; set; }
    [BindProperty] public string? NewDisplayName { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public List<string> NewRoles { get; set; } = [];
    [BindProperty] public int? NewBranchId { get; set; }

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostCreate(CancellationToken ct)
    {
        if (await Attempt(() => manage.Create(Me, new CreateUserRequest(NewUsername, NewDisplayName, NewPassword, NewRoles, NewBranchId), ct)))
        {
            Flash = T["Saved."];
            return Redirect("/manage/users");
        }
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUpdate(int id, List<string> roles, bool active, int? version, CancellationToken ct)
    {
        if (await Attempt(() => manage.Update(Me, id, new UpdateUserRequest(null, roles, active, version), null, ct)))
        {
            Flash = T["Saved."];
            return Redirect("/manage/users");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Users = (await manage.List(Me, 1, 200, ct)).Items;
        Branches = await db.Branches.AsNoTracking().Where(b => Me.IsHeadOffice || b.Id == Me.BranchId).ToDictionaryAsync(b => b.Id, b => b.Name, ct);
    }
}
