using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Identity;

/// <summary>Staff accounts and their roles; admins everywhere, managers in their branch (never granting admin or manager).</summary>
public sealed class UsersModel(ManageUsers manage, AppDbContext db) : ConsolePage
{
    public const int PageSize = 100;
    public IReadOnlyList<UserDto> Users { get; private set; } = [];
    public int Total { get; private set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
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

    /// <summary>Roles, the active flag and the e-mail address reports are sent to (empty clears it).</summary>
    public async Task<IActionResult> OnPostUpdate(int id, List<string> roles, bool active, int? version, string? email, CancellationToken ct)
    {
        if (await Attempt(() => manage.Update(Me, id, new UpdateUserRequest(null, roles, active, version, email ?? ""), null, ct)))
        {
            Flash = T["Saved."];
            return Redirect("/manage/users");
        }
        await Load(ct);
        return Page();
    }

    public string Link(int page) =>
        "/manage/users" + QueryString.Create(new Dictionary<string, string?> { ["q"] = Q, ["p"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToUriComponent();

    private async Task Load(CancellationToken ct)
    {
        var found = await manage.List(Me, Q, Math.Max(1, PageNumber), PageSize, ct);
        (Users, Total) = (found.Items, found.Total);
        Branches = await db.Branches.AsNoTracking().Where(b => Me.IsHeadOffice || b.Id == Me.BranchId).ToDictionaryAsync(b => b.Id, b => b.Name, ct);
    }
}
