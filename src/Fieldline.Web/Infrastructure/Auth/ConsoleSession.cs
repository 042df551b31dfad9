using System.Security.Claims;
using Fieldline.Web.Features.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Fieldline.Web.Infrastructure.Auth;

/// <summary>Signs console users in and out, and ends a session at once when the account is deactivated or its roles change.</summary>
public static class ConsoleSession
{
    public static Task SignIn(HttpContext http, User user, Branch branch) =>
        http.SignInAsync(AuthSetup.ConsoleScheme, Principal(user, branch));

    public static Task SignOut(HttpContext http) => http.SignOutAsync(AuthSetup.ConsoleScheme);

    private static ClaimsPrincipal Principal(User user, Branch branch) =>
        new(new ClaimsIdentity(CurrentUser.ClaimsOf(user, branch), AuthSetup.ConsoleScheme, CurrentUser.NameClaim, CurrentUser.RoleClaim));

    /// <summary>Every request re-reads the account (<see cref="AccountCheck"/>): a deactivated user is out, changed roles apply now.</summary>
    public static async Task Validate(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null) return;
        var current = await AccountCheck.Current(context.HttpContext, context.Principal, AuthSetup.ConsoleScheme);
        if (current is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSetup.ConsoleScheme);
            return;
        }
        if (ReferenceEquals(current, context.Principal)) return;
        context.ReplacePrincipal(current);
        context.ShouldRenew = true;
    }

    /// <summary>An htmx request whose session ended gets 401 and an HX-Redirect to the login page instead of a login page swapped into a panel.</summary>
    public static Task RedirectToLogin(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (context.Request.Headers.ContainsKey("HX-Request"))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers["HX-Redirect"] = context.RedirectUri;
        }
        else context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
