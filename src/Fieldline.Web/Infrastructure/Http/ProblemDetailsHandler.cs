using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Infrastructure.Http;

/// <summary>Maps the outcomes use cases throw to RFC 9457 problem details with the contract's status codes.</summary>
internal sealed class ProblemDetailsHandler(IProblemDetailsService problems, ILogger<ProblemDetailsHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        ProblemDetails problem = exception switch
        {
            ValidationFailedException v => new HttpValidationProblemDetails(v.Errors)
            { Status = 400, Title = "Invalid request", Detail = "One or more fields are invalid: " + string.Join(", ", v.Errors.Keys) + "." },
            BadHttpRequestException { InnerException: JsonException j } => JsonProblem(j),
            BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Title = "Bad request", Detail = b.Message },
            NotFoundException n => new ProblemDetails { Status = 404, Title = "Not found", Detail = n.Message },
            ForbiddenException f => new ProblemDetails { Status = 403, Title = "Forbidden", Detail = f.Message },
            Features.WorkOrders.IllegalTransitionException t => new ProblemDetails
            {
                Status = 409, Title = "Illegal transition", Detail = t.Message,
                Extensions = { ["currentStatus"] = t.State, ["action"] = t.Action },
            },
            Features.Evaluation.DecisionConflictException pt => new ProblemDetails { Status = 409, Title = "Illegal transition", Detail = pt.Message },
            PreconditionFailedException p => new ProblemDetails { Status = 412, Title = "Precondition failed", Detail = p.Message },
            ConflictException c => new ProblemDetails { Status = 409, Title = c.Title, Detail = c.Message },
            Auth.TooManySignInsException s => new ProblemDetails { Status = 429, Title = "Too many failed sign-ins", Detail = s.Message, Extensions = { ["retryAfterMinutes"] = s.Minutes } },
            DbUpdateConcurrencyException => new ProblemDetails
            { Status = 409, Title = "Stale version", Detail = "The record was changed by someone else meanwhile. Reload and try again." },
            DbUpdateException d when Features.Evaluation.PayLedger.ConflictOf(d) is { } ledger => new ProblemDetails { Status = 409, Title = "Conflict", Detail = ledger },
            _ => new ProblemDetails { Status = 500, Title = "Internal error", Detail = "An unexpected error occurred; it has been logged." },
        };
        if (problem.Status == 500) log.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = problem.Status!.Value;
        if (exception is Auth.TooManySignInsException wait) http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static HttpValidationProblemDetails JsonProblem(JsonException j)
    {
        // "$.requestedWindow.start" → "requestedWindow.start"; a body that is not JSON at all names the body.
        var field = string.IsNullOrEmpty(j.Path) || j.Path == "$" ? "body" : j.Path.TrimStart('$', '.');
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [j is RefusedInput r ? r.For(field) : $"'{field}' has a value of the wrong type or the JSON is malformed."] })
        { Status = 400, Title = "Invalid request", Detail = $"The request body could not be read at '{field}'." };
    }
}
