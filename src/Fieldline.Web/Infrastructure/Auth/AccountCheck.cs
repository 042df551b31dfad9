using System.Security.Claims;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Infrastructure.Auth;

/// <summary>
/// A token or console cookie carries the rights its user had when signing in; every request compares them with the account
/// as it is now (one primary-key read, on whichever node answers): a deactivated or deleted account is refused, changed roles
/// or a moved branch take effect at once. Nothing is cached in memory, so it holds across app nodes.
/// </summary>
public static class AccountCheck
{
    /// <summary>The principal to use for this request: the same one, one with the account's current rights, or null when the account may no longer sign in.</summary>
    public static async Task<ClaimsPrincipal?> Current(HttpContext http, ClaimsPrincipal principal, string scheme)
    {
        var me = CurrentUser.From(principal);
        var db = http.RequestServices.GetRequiredService<AppDbContext>();
        var user = await UserById(db)(db, me.UserId, http.RequestAborted);
        if (user is not { IsActive: true }) return null;
        if (user.Roles.Order().SequenceEqual(me.Roles.Order()) && user.BranchId == me.BranchId) return principal;
        var branch = await db.Branches.AsNoTracking().SingleAsync(b => b.Id == user.BranchId, http.RequestAborted);
        return new ClaimsPrincipal(new ClaimsIdentity(CurrentUser.ClaimsOf(user, branch), scheme, CurrentUser.NameClaim, CurrentUser.RoleClaim));
    }

    // Every request runs this read: compiled once per model (one per provider), it skips EF Core's per-call expression
    // work — parameter extraction and the query-cache lookup (issue 14, session 10).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel, Func<AppDbContext, int, CancellationToken, Task<User?>>> Compiled = new();

    private static Func<AppDbContext, int, CancellationToken, Task<User?>> UserById(AppDbContext db) =>
        Compiled.GetOrAdd(db.Model, static _ => EF.CompileAsyncQuery((AppDbContext c, int id, CancellationToken ct) => c.Users.AsNoTracking().FirstOrDefault(u => u.Id == id)));
}
