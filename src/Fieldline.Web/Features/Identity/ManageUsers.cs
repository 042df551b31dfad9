using Fieldline.Web.Infrastructure.Localization;
using System.Text.RegularExpressions;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Identity;

/// <summary><c>email</c>: where archived reports are e-mailed when SMTP is configured (null: none).</summary>
public sealed record UserDto(int Id, string Username, string DisplayName, IReadOnlyList<string> Roles, int BranchId, bool Active, int Version, string? Email = null)
{
    public static UserDto From(User u) => new(u.Id, u.UserName, u.DisplayName, u.Roles, u.BranchId, u.IsActive, u.Version, u.Email);
}

public sealed record CreateUserRequest(string? Username, string? DisplayName, string? Password, List<string>? Roles, int? BranchId);

/// <summary><c>email</c>: the address reports are e-mailed to ("" removes it).</summary>
public sealed record UpdateUserRequest(string? DisplayName, List<string>? Roles, bool? Active, int? Version, string? Email = null);

/// <summary>
/// Staff accounts. Admins manage everyone they can see; a manager may add staff to their own branch but may not hand
/// out the admin or manager role.
/// </summary>
public sealed partial class ManageUsers(AppDbContext db, IPasswordHasher<User> hasher)
{
    private static Msg RoleChoices => Msg.Join(Roles.All.Select(r => Msg.Choice("role", r)));

    [GeneratedRegex("^[A-Za-z0-9._-]{3,64}$")]
    private static partial Regex UserNamePattern();

    /// <summary>Staff the caller may manage, optionally those whose username or name contains <paramref name="q"/>.</summary>
    public async Task<Page<UserDto>> List(CurrentUser user, string? q, int? page, int? pageSize, CancellationToken ct)
    {
        user.RequireAny("list users", Roles.Admin, Roles.Manager);
        var (skip, take) = Paging.Check(page, pageSize);
        var query = db.Users.AsNoTracking();
        if (!user.IsHeadOffice) query = query.Where(u => u.BranchId == user.BranchId);
        if (q?.Trim() is { Length: > 0 } term)
        {
            var lower = term.ToLowerInvariant();
            query = query.Where(u => u.UserName.ToLower().Contains(lower) || u.DisplayName.Contains(term));
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(u => u.Id).Skip(skip).Take(take).ToListAsync(ct);
        return new Page<UserDto>(items.Select(UserDto.From).ToList(), total);
    }

    /// <summary>
    /// One account: one's own, to anyone; any other only to those who may manage it — an admin or manager of its branch (head
    /// office: of every branch), as the list. Another role asking for someone else is refused for the role (403); an account
    /// of a branch the manager may not see does not exist for them (404).
    /// </summary>
    public async Task<UserDto> Get(CurrentUser user, int id, CancellationToken ct)
    {
        if (id != user.UserId) user.RequireAny("see other users' accounts", Roles.Admin, Roles.Manager);
        var target = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (target is null || (id != user.UserId && !user.CanSeeBranch(target.BranchId))) throw new NotFoundException("User", id);
        return UserDto.From(target);
    }

    public async Task<UserDto> Create(CurrentUser user, CreateUserRequest request, CancellationToken ct)
    {
        var actingAs = user.RequireAny("create users", Roles.Admin, Roles.Manager);
        var v = new Validator();
        if (string.IsNullOrWhiteSpace(request.Username)) v.Add("username", "{0} is required.");
        else if (!UserNamePattern().IsMatch(request.Username)) v.Add("username", "{0} must be 3–64 letters, digits, '.', '_' or '-'.");
        v.RequiredText(request.DisplayName, 100, "displayName");
        if (request.Password is null || request.Password.Length < 8) v.Add("password", "{0} must be at least 8 characters.");
        else v.MaxLength(request.Password, 128, "password");
        if (request.Roles is null || request.Roles.Count == 0) v.Add("roles", "{0} needs at least one of: {1}.", RoleChoices);
        else foreach (var r in request.Roles.Where(r => !Roles.All.Contains(r)))
            v.Add("roles", "{0}: '{1}' is not one of the allowed values: {2}.", r, RoleChoices);
        var branchId = request.BranchId ?? user.BranchId;
        if (!user.CanSeeBranch(branchId) || !await db.Branches.AnyAsync(b => b.Id == branchId, ct))
            v.Add("branchId", "Branch {1} does not exist.", branchId);
        v.ThrowIfInvalid();
        if (actingAs == Roles.Manager && request.Roles!.Any(r => r is Roles.Admin or Roles.Manager))
            throw new ForbiddenException("A manager may not grant the admin or manager role.");
        if (await db.Users.AnyAsync(u => u.UserName == request.Username, ct))
            throw new ConflictException(Msg.Of("The username '{0}' is taken.", request.Username));

        var created = new User { UserName = request.Username!, DisplayName = request.DisplayName!.Trim(), BranchId = branchId, Roles = request.Roles!.Distinct().ToList() };
        created.PasswordHash = hasher.HashPassword(created, request.Password!);
        db.Users.Add(created);
        await db.SaveChangesAsync(ct);
        return UserDto.From(created);
    }

    /// <summary>Changes a user's name, roles or active flag. The same limits as creating: a manager keeps to their branch and may not hand out admin or manager, nor change those accounts; nobody deactivates themselves.</summary>
    public async Task<UserDto> Update(CurrentUser user, int id, UpdateUserRequest request, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        var actingAs = user.RequireAny("change users", Roles.Admin, Roles.Manager);
        var target = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (target is null || !user.CanSeeBranch(target.BranchId)) throw new NotFoundException("User", id);
        Concurrency.Check(Msg.Of("{0} {1}", Msg.Of("User"), id), target.Version, request.Version, ifMatch);
        var v = new Validator();
        if (request.DisplayName is not null) v.RequiredText(request.DisplayName, 100, "displayName");
        if (request.Roles is { Count: 0 }) v.Add("roles", "{0} needs at least one of: {1}.", RoleChoices);
        else if (request.Roles is not null)
            foreach (var r in request.Roles.Where(r => !Roles.All.Contains(r))) v.Add("roles", "{0}: '{1}' is not one of the allowed values: {2}.", r, RoleChoices);
        if (request.Active == false && target.Id == user.UserId) v.Add("active", "You cannot deactivate your own account.");
        if (request.Email is { Length: > 0 } email && (email.Trim().Length > 200 || !System.Net.Mail.MailAddress.TryCreate(email.Trim(), out _)))
            v.Add("email", "{0} is not an e-mail address.");
        v.ThrowIfInvalid();
        if (actingAs == Roles.Manager && (target.Roles.Any(r => r is Roles.Admin or Roles.Manager) || request.Roles?.Any(r => r is Roles.Admin or Roles.Manager) == true))
            throw new ForbiddenException("A manager may not change admin or manager accounts, nor grant those roles.");
        if (request.DisplayName is not null) target.DisplayName = request.DisplayName.Trim();
        if (request.Roles is not null) target.Roles = request.Roles.Distinct().ToList();
        if (request.Active is { } active) target.IsActive = active;
        if (request.Email is not null) target.Email = request.Email.Trim() is { Length: > 0 } e ? e : null;
        await db.SaveChangesAsync(ct);
        return UserDto.From(target);
    }
}
