using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Identity;

/// <summary>Switches the console between Chinese and English, remembers it for the signed-in user, then goes back where the user was.</summary>
public sealed class LanguageModel(SetLanguage setLanguage) : ConsolePage
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPost(string? lang, string? returnUrl, CancellationToken ct)
    {
        var culture = Catalogue.Match(lang) ?? Catalogue.Chinese;
        LocalizationSetup.SetLanguageCookie(Response, culture);
        // The page is open to everyone (the sign-in page has the switch too); a signed-in user's choice is also saved.
        var session = await HttpContext.AuthenticateAsync(AuthSetup.ConsoleScheme);
        if (session.Succeeded) await setLanguage.Handle(CurrentUser.From(session.Principal), culture, ct);
        return BackTo(returnUrl, "/");
    }
}
