using Fieldline.Web.Infrastructure.Auth;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Identity;

public sealed record TokenRequest(string? Username, string? Password);

/// <summary>Exchanges a username and password for a bearer token; a wrong pair answers 401 without saying which part was wrong.</summary>
public sealed class IssueToken(AppDbContext db, IPasswordHasher<User> hasher, TokenIssuer issuer, LoginThrottle throttle)
{
    public async Task<IssuedToken?> Handle(TokenRequest request, string? address, CancellationToken ct) =>
        await Verify(request, address, ct) is var (user, branch) ? issuer.Issue(user, branch) : null;

    /// <summary>
    /// The active user whose password this is, with their branch; null for any wrong pair. The console signs in with it too.
    /// While the account or the caller's address is locked after too many failures it throws <see cref="TooManySignInsException"/>.
    /// </summary>
    public async Task<(User User, Branch Branch)?> Verify(TokenRequest request, string? address, CancellationToken ct)
    {
        await throttle.ThrowIfLocked(request.Username, address, ct);
        var found = await Check(request, ct);
        if (found is null) await throttle.Failed(request.Username, address, ct);
        else await throttle.Succeeded(request.Username, ct);
        return found;
    }

    private async Task<(User User, Branch Branch)?> Check(TokenRequest request, CancellationToken ct)
    {
        var user = string.IsNullOrWhiteSpace(request.Username) ? null
            : await db.Users.FirstOrDefaultAsync(u => u.UserName == request.Username && u.IsActive, ct);
        if (user is null)
        {
            // Spend the same time as a real check so response times do not reveal which usernames exist.
            hasher.VerifyHashedPassword(DummyUser, DummyHash, request.Password ?? "");
            return null;
        }
        var result = hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password ?? "");
        if (result == PasswordVerificationResult.Failed) return null;
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hasher.HashPassword(user, request.Password!);
            await db.SaveChangesAsync(ct);
        }
        return (user, await db.Branches.SingleAsync(b => b.Id == user.BranchId, ct));
    }

    private static readonly User DummyUser = new() { UserName = "-", DisplayName = "-" };
    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(DummyUser, Guid.NewGuid().ToString());
}
