using Fieldline.Web.Infrastructure.Localization;
using System.Security.Claims;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Identity;

/// <summary>The caller, as the bearer token describes them. Use cases take it to check role and what may be seen.</summary>
public sealed record CurrentUser(int UserId, string UserName, int BranchId, bool IsHeadOffice, IReadOnlyList<string> Roles)
{
    public const string SubjectClaim = "sub";
    public const string NameClaim = "name";
    public const string RoleClaim = "role";
    public const string BranchClaim = "branch";
    public const string HeadOfficeClaim = "headOffice";
    /// <summary>The person's name as colleagues know it (张师傅), shown in the console's header.</summary>
    public const string DisplayNameClaim = "displayName";

    public bool Is(string role) => Roles.Contains(role);

    public bool IsAny(params string[] roles) => roles.Any(Roles.Contains);

    /// <summary>A technician and nothing more: sees only the orders assigned to them.</summary>
    public bool IsOnlyTechnician => Is(Identity.Roles.Technician) && !IsAny(Identity.Roles.Office);

    /// <summary>The first of <paramref name="roles"/> the caller holds (recorded on the timeline), or 403.</summary>
    public string RequireAny(string action, params string[] roles) =>
        roles.FirstOrDefault(Roles.Contains)
        ?? throw new ForbiddenException("Your roles ({0}) may not {1}; it needs one of: {2}.", RoleNames(Roles), Msg.Action(action), RoleNames(roles));

    private static Msg RoleNames(IEnumerable<string> roles) => Msg.Join(roles.Select(r => Msg.Code("role", r)));

    public bool CanSeeBranch(int branchId) => IsHeadOffice || branchId == BranchId;

    /// <summary>The claims a bearer token and a console session carry for <paramref name="user"/>.</summary>
    public static List<Claim> ClaimsOf(User user, Branch branch)
    {
        var claims = new List<Claim>
        {
            new(SubjectClaim, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(NameClaim, user.UserName),
            new(BranchClaim, user.BranchId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(HeadOfficeClaim, branch.IsHeadOffice ? "true" : "false"),
            new(DisplayNameClaim, user.DisplayName),
        };
        claims.AddRange(user.Roles.Select(r => new Claim(RoleClaim, r)));
        if (user.Language is { } lang) claims.Add(new Claim(Infrastructure.Localization.LocalizationSetup.LanguageClaim, lang));
        return claims;
    }

    public static CurrentUser From(ClaimsPrincipal principal)
    {
        var id = int.Parse(principal.FindFirstValue(SubjectClaim) ?? throw new InvalidOperationException("no subject"), System.Globalization.CultureInfo.InvariantCulture);
        return new CurrentUser(
            id,
            principal.FindFirstValue(NameClaim) ?? "",
            int.Parse(principal.FindFirstValue(BranchClaim) ?? "0", System.Globalization.CultureInfo.InvariantCulture),
            principal.FindFirstValue(HeadOfficeClaim) == "true",
            principal.FindAll(RoleClaim).Select(c => c.Value).ToList());
    }

    /// <summary>Lets minimal-API endpoints take a <see cref="CurrentUser"/> parameter.</summary>
    public static ValueTask<CurrentUser?> BindAsync(HttpContext http) =>
        ValueTask.FromResult<CurrentUser?>(http.User.Identity?.IsAuthenticated == true ? From(http.User) : null);
}
