using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages;

/// <summary>What every console page has: the signed-in user, the user's language, a flash message, and one way to run a use case.</summary>
public abstract class ConsolePage : PageModel
{
    private CurrentUser? _me;

    public CurrentUser Me => _me ??= CurrentUser.From(User);

    public Text T => HttpContext.RequestServices.GetRequiredService<Text>();

    /// <summary>A message that survives the redirect after a successful post (post/redirect/get).</summary>
    [TempData]
    public string? Flash { get; set; }

    /// <summary>Why the last action was refused (a conflict, a stale version, a missing right), in the user's language where known.</summary>
    public string? Problem { get; set; }

    /// <summary>
    /// Runs a use case. Field errors go next to their fields (ModelState, keyed by the API's field names), a refused action
    /// becomes <see cref="Problem"/>; the caller re-renders the form with everything the user typed.
    /// </summary>
    protected async Task<bool> Attempt(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (ValidationFailedException e)
        {
            foreach (var (field, messages) in e.Errors)
                foreach (var m in messages) ModelState.AddModelError(field, T.Validation(field, m));
            Problem = T["Please correct the fields marked below."];
        }
        catch (IllegalTransitionException e)
        {
            Problem = e.Current is { } status ? T.Illegal(status, e.Action) : e.Message;
        }
        catch (Exception e) when (e is ConflictException or DecisionConflictException or PreconditionFailedException or ForbiddenException
            or DbUpdateConcurrencyException)
        {
            Problem = e is DbUpdateConcurrencyException or PreconditionFailedException
                ? T["Someone else changed this in the meantime. Reload and try again."]
                : e.Message;
        }
        catch (DbUpdateException e) when (Features.Evaluation.PayLedger.ConflictOf(e) is { } ledger)
        {
            Problem = ledger;
        }
        return false;
    }

    /// <summary>The field's first error, for the span under the input.</summary>
    public string? ErrorFor(string field) =>
        ModelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    /// <summary>A local URL to go back to after a post, never another site.</summary>
    protected IActionResult BackTo(string? returnUrl, string fallback) =>
        LocalRedirect(!string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : fallback);
}
