using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Identity;

/// <summary>Switches the console between Chinese and English for a year, then goes back where the user was.</summary>
public sealed class LanguageModel : ConsolePage
{
    public IActionResult OnGet() => Redirect("/");

    public IActionResult OnPost(string? lang, string? returnUrl)
    {
        var culture = lang == "en" ? "en" : "zh-CN";
        Response.Cookies.Append(ConsoleSetup.LanguageCookie, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = TimeProvider.System.GetUtcNow().AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
        return BackTo(returnUrl, "/");
    }
}
