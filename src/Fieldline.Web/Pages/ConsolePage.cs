using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
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

    /// <summary>
    /// A fragment the page fetches in the background (the bell's count on a pushed notification, a redraw) runs this page
    /// class too and so reads <see cref="Flash"/>. Reading it would spend the message: the page the post redirects to
    /// could then open without it, if the fragment's answer lands between the post's answer and the redirect. A fragment
    /// keeps the message for the next whole page.
    /// </summary>
    public override void OnPageHandlerExecuting(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context)
    {
        // A date out of range was not bound (DateRangeBinder): the page shows what it shows without it, and says why.
        if (DateRangeBinder.Refused(HttpContext) is { Count: > 0 } refused) Problem = string.Join(" ", refused);
        base.OnPageHandlerExecuting(context);
    }

    public override void OnPageHandlerExecuted(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutedContext context)
    {
        if (Request.Headers.ContainsKey("HX-Request")) TempData.Keep();
        base.OnPageHandlerExecuted(context);
    }

    /// <summary>Why the last action was refused (a conflict, a stale version, a missing right), in the user's language where known.</summary>
    public string? Problem { get; set; }

    /// <summary>
    /// Runs a use case. Field errors go next to their fields (ModelState, keyed by the API's field names), a refused action
    /// becomes <see cref="Problem"/>; the caller re-renders the form with everything the user typed.
    /// </summary>
    protected async Task<bool> Attempt(Func<Task> action)
    {
        // A value the form sent that could not be read (version=abc, a date 2026-99-99) is refused before anything runs:
        // bound as null it would read as "not sent" — no version, no concurrency check — and the action would be done.
        // Each message names its field (BindingMessages); a hidden field has no place of its own, so all are said here.
        if (!HttpMethods.IsGet(Request.Method) && !ModelState.IsValid)
        {
            var unread = ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage).Where(m => m.Length > 0).Distinct().ToList();
            Problem = unread.Count > 0 ? string.Join(" ", unread) : T["Please correct the fields marked below."];
            return false;
        }
        try
        {
            await action();
            return true;
        }
        catch (ValidationFailedException e)
        {
            foreach (var (field, messages) in e.Rendered())
                foreach (var m in messages) ModelState.AddModelError(field, m);
            Problem = T["Please correct the fields marked below."];
        }
        catch (RefusalException e)
        {
            Problem = T.Say(e.Text);
        }
        catch (DbUpdateConcurrencyException)
        {
            Problem = T["Someone else changed this in the meantime. Reload and try again."];
        }
        catch (DbUpdateException e) when (Features.Evaluation.PayLedger.ConflictOf(e) is { } ledger)
        {
            Problem = T.Say(ledger);
        }
        return false;
    }

    /// <summary>
    /// Evidence and timeline data of <paramref name="branchId"/> as sentences in the reader's language: times in the
    /// branch's zone, technicians and users by name (one query each per page, only when a page shows such data).
    /// </summary>
    protected async Task<DataText> DataTextFor(int branchId, CancellationToken ct)
    {
        var services = HttpContext.RequestServices;
        var db = services.GetRequiredService<Infrastructure.Data.AppDbContext>();
        var zone = await services.GetRequiredService<BranchZones>().For(branchId, ct);
        var technicians = await db.Technicians.AsNoTracking().Where(t => t.BranchId == branchId).Select(t => new { t.Id, t.User!.DisplayName }).ToDictionaryAsync(t => (long)t.Id, t => t.DisplayName, ct);
        var all = await db.Users.AsNoTracking().Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct);
        var users = all.ToDictionary(u => (long)u.Id, u => u.DisplayName);
        var byLogin = all.GroupBy(u => u.UserName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().DisplayName, StringComparer.Ordinal);
        return new DataText(zone, services.GetRequiredService<TimeProvider>().GetUtcNow(), (field, id) => field switch
        {
            "technicianId" or "fromTechnicianId" or "toTechnicianId" => technicians.GetValueOrDefault(id),
            _ when field.EndsWith("UserId", StringComparison.Ordinal) => users.GetValueOrDefault(id),
            "complaintId" => $"#{id}",
            _ => null,
        }, people: login => byLogin.GetValueOrDefault(login));
    }

    /// <summary>The field's first error, for the span under the input.</summary>
    public string? ErrorFor(string field) =>
        ModelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0 ? entry.Errors[0].ErrorMessage : null;

    /// <summary>A local URL to go back to after a post, never another site.</summary>
    protected IActionResult BackTo(string? returnUrl, string fallback) =>
        LocalRedirect(!string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : fallback);
}
