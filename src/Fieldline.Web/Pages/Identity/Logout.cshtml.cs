using Fieldline.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Identity;

public sealed class LogoutModel : ConsolePage
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPost()
    {
        await ConsoleSession.SignOut(HttpContext);
        return Redirect("/login");
    }
}
