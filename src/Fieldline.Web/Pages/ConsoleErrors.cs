using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Fieldline.Web.Pages;

/// <summary>
/// A page that reads something the user may not see answers like the API: 404 (existence is not leaked) or 403, shown as
/// a console error page. Validation and conflicts are handled by the page itself, next to the fields (<see cref="ConsolePage.Attempt"/>).
/// </summary>
public sealed class ConsoleErrors : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        var status = executed.Exception switch
        {
            NotFoundException => StatusCodes.Status404NotFound,
            ForbiddenException => StatusCodes.Status403Forbidden,
            _ => 0,
        };
        if (status == 0) return;
        executed.Result = new StatusCodeResult(status);
        executed.ExceptionHandled = true;
    }
}
