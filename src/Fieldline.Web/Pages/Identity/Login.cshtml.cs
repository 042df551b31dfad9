using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Auth;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Identity;

/// <summary>Signs a staff member in with the same check as the API's token endpoint, and the same lockouts.</summary>
public sealed class LoginModel(IssueToken verifier) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        (Features.Identity.User User, Branch Branch)? found;
        try { found = await verifier.Verify(new TokenRequest(Username, Password), HttpContext.Connection.RemoteIpAddress?.ToString(), ct); }
        catch (TooManySignInsException e)
        {
            Problem = T.Say(e.Text);
            return Page();
        }
        if (found is not var (user, branch))
        {
            Problem = T["Wrong username or password."];
            return Page();
        }
        await ConsoleSession.SignIn(HttpContext, user, branch);
        if (Catalogue.Match(user.Language) is { } saved) LocalizationSetup.SetLanguageCookie(Response, saved); // their choice, on any browser
        var fallback = user.Roles.Any(Roles.Office.Contains) ? (user.Roles.Contains(Roles.Dispatcher) ? "/board" : user.Roles.Contains(Roles.InfoClerk) ? "/intake" : "/") : "/orders";
        return BackTo(ReturnUrl, fallback);
    }
}
