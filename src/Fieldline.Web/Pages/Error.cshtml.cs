using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages;

/// <summary>The console's answer for 403, 404 and other errors (status code pages re-execute here, keeping the status).</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : ConsolePage
{
    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int code) => Describe(code);

    public void OnPost(int code) => Describe(code);

    private void Describe(int code)
    {
        (Title, Explanation) = code switch
        {
            404 => (T["Not found"], T["This page or record does not exist, or it is not yours to see."]),
            403 => (T["Not allowed"], T["Your role may not open this page."]),
            400 => (T["Bad request"], T["The form could not be accepted. Reload the page and try again."]),
            _ => (T["Something went wrong"], T["Please try again in a moment."]),
        };
    }
}
