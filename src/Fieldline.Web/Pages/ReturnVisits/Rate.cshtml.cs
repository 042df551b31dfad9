using System.Text.Json;
using Fieldline.Web.Features.Mobile;
using Fieldline.Web.Features.ReturnVisits;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.ReturnVisits;

/// <summary>
/// The customer's own return visit, behind the signed link (/v/{id}?e=…&amp;s=…, no login): the job in brief and the
/// script's questions in plain words. A tampered, expired or unknown link is a 404 that says so in plain words; too many requests a 429.
/// </summary>
public sealed class RateModel(ReportLinks links, RateByCustomer rate, RatingThrottle throttle) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty(SupportsGet = true, Name = "e")] public long? Expires { get; set; }
    [BindProperty(SupportsGet = true, Name = "s")] public string? Signature { get; set; }
    [BindProperty] public int? Satisfaction { get; set; }
    [BindProperty] public string? Remarks { get; set; }
    [BindProperty] public Dictionary<string, string> Answers { get; set; } = [];

    public RatingPageDto Order { get; private set; } = null!;
    public bool Thanks { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct) => await Show(ct) ?? Page();

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        if (await Show(ct) is { } refused) return refused;
        if (Order.Answered) return Page();
        var answers = Answers.Where(a => !string.IsNullOrWhiteSpace(a.Value)).ToDictionary(a => a.Key, a => a.Value.Trim() is "yes" or "no"
            ? JsonSerializer.SerializeToElement(a.Value.Trim())
            : decimal.TryParse(a.Value.Trim(), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var d)
                ? JsonSerializer.SerializeToElement(d) : JsonSerializer.SerializeToElement(a.Value.Trim()));
        if (await Attempt(() => rate.Handle(Id, new ReturnVisitRequest(null, answers, Satisfaction, Remarks, null), ct)))
        {
            Thanks = true;
            Order = (await rate.Page(Id, ct))!;
        }
        else if (await rate.Page(Id, ct) is { Answered: true } meanwhile)
        {
            // The agent's call (or this customer's other tab) was saved at the same moment: the customer is told it is
            // recorded already, not shown an error or the form again.
            Order = meanwhile;
            Problem = null;
            ModelState.Clear();
        }
        return Page();
    }

    private async Task<IActionResult?> Show(CancellationToken ct)
    {
        if (!throttle.Allow(HttpContext.Connection.RemoteIpAddress?.ToString(), Id)) return StatusCode(StatusCodes.Status429TooManyRequests);
        if (Expires is null || !links.IsValid(Id, Expires.Value, Signature, ReportLinks.Rating) || await rate.Page(Id, ct) is not { } order) return Gone404();
        Response.Headers.CacheControl = "private, no-store";
        Order = order;
        return null;
    }

    /// <summary>The link is expired, tampered or unknown: the customer reads that in their language on this page's own
    /// layout (not the console's error page with its sign-in link), and nothing of any order; the status stays 404.</summary>
    public bool Gone { get; private set; }

    private IActionResult Gone404()
    {
        Gone = true;
        Response.StatusCode = StatusCodes.Status404NotFound;
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public string? Given(string key) => Answers.TryGetValue(key, out var v) ? v : null;
}
