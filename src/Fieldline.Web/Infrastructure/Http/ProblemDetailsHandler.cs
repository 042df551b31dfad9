using System.Globalization;
using System.Text.Json;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Infrastructure.Http;

/// <summary>
/// Maps the outcomes use cases throw to RFC 9457 problem details with the contract's status codes, every text in the
/// caller's language (the culture the request localization chose; this handler runs after that middleware returned).
/// </summary>
internal sealed partial class ProblemDetailsHandler(IProblemDetailsService problems, ILogger<ProblemDetailsHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var culture = LocalizationSetup.CultureOf(http);
        string Say(Msg m) => m.Render(culture);
        ProblemDetails problem = exception switch
        {
            ValidationFailedException v => new HttpValidationProblemDetails(v.Rendered(culture))
            {
                Status = 400, Title = Say(Msg.Of("Invalid request")),
                Detail = Say(v.Summary),
            },
            BadHttpRequestException { InnerException: JsonException j } => JsonProblem(j, culture),
            BadHttpRequestException b when BindingFailure(b) is { } bad => BindingProblem(bad.Field, bad.Type, culture),
            BadHttpRequestException b => new ProblemDetails { Status = b.StatusCode, Title = Say(Msg.Of("Bad request")), Detail = Say(Msg.Of("The request could not be read.")) },
            NotFoundException n => new ProblemDetails { Status = 404, Title = Say(Msg.Of("Not found")), Detail = Say(n.Text) },
            ForbiddenException f => new ProblemDetails { Status = 403, Title = Say(Msg.Of("Forbidden")), Detail = Say(f.Text) },
            Features.WorkOrders.IllegalTransitionException t => new ProblemDetails
            {
                Status = 409, Title = Say(Msg.Of("Illegal transition")), Detail = Say(t.Text),
                Extensions = { ["currentStatus"] = t.State, ["action"] = ActionCode(http.Request.Path) },
            },
            Features.Evaluation.DecisionConflictException pt => new ProblemDetails { Status = 409, Title = Say(Msg.Of("Illegal transition")), Detail = Say(pt.Text) },
            UnavailableException u => new ProblemDetails { Status = 503, Title = Say(Msg.Of("Service unavailable")), Detail = Say(u.Text) },
            PreconditionFailedException p => new ProblemDetails { Status = 412, Title = Say(Msg.Of("Precondition failed")), Detail = Say(p.Text) },
            Features.People.NotEligibleException e => new ProblemDetails
            {
                Status = 409, Title = Say(Msg.Of("Not eligible")), Detail = Say(e.Text),
                Extensions = { ["technicianId"] = e.TechnicianId, ["reasons"] = e.Reasons.Select(r => new { code = r.Code, text = Say(r.Text), note = r.Note }).ToList() },
            },
            ConflictException c => new ProblemDetails { Status = 409, Title = Say(c.Title), Detail = Say(c.Text) },
            Auth.TooManySignInsException s => new ProblemDetails { Status = 429, Title = Say(Msg.Of("Too many failed sign-ins")), Detail = Say(s.Text), Extensions = { ["retryAfterMinutes"] = s.Minutes } },
            DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = 409, Title = Say(Msg.Of("Stale version")),
                Detail = Say(Msg.Of("The record was changed by someone else meanwhile. Reload and try again.")),
            },
            DbUpdateException d when Features.Evaluation.PayLedger.ConflictOf(d) is { } ledger => new ProblemDetails { Status = 409, Title = Say(Msg.Of("Conflict")), Detail = Say(ledger) },
            // A unique index that still refused the save when the request was run again against fresh state (IdempotencyMiddleware):
            // what it would add exists already — a conflict with that record, not a fault of the server.
            DbUpdateException d when Data.DbErrors.IsUniqueViolation(d) => new ProblemDetails
            {
                Status = 409, Title = Say(Msg.Of("Conflict")), Detail = Say(Msg.Of("A record with the same identifying values exists already; nothing was saved.")),
            },
            _ => new ProblemDetails { Status = 500, Title = Say(Msg.Of("Internal error")), Detail = Say(Msg.Of("An unexpected error occurred; it has been logged.")) },
        };
        if (problem.Status == 500) log.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        http.Response.StatusCode = problem.Status!.Value;
        if (exception is Auth.TooManySignInsException wait) http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// The refused action as the API names it, a code like <c>currentStatus</c>: the route's last word
    /// (<c>/api/work-orders/17/check-in</c> → <c>check-in</c>), never the English phrase of the sentence in <c>detail</c>.
    /// </summary>
    internal static string ActionCode(PathString path)
    {
        var words = (path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return words.LastOrDefault(w => !w.All(char.IsAsciiDigit)) ?? "";
    }

    private static HttpValidationProblemDetails JsonProblem(JsonException j, CultureInfo culture)
    {
        // "$.requestedWindow.start" → "requestedWindow.start"; a body that is not JSON at all names the body.
        var field = string.IsNullOrEmpty(j.Path) || j.Path == "$" ? "body" : j.Path.TrimStart('$', '.');
        return new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field] = [(j is RefusedInput r ? r.For(field) : Msg.Of("{0} has a value of the wrong type, or the JSON is malformed.", Msg.Field(field))).Render(culture)],
        })
        {
            Status = 400, Title = Msg.Of("Invalid request").Render(culture),
            Detail = Msg.Of("The request body could not be read at {0}.", Msg.Field(field)).Render(culture),
        };
    }

    /// <summary>
    /// A query or header value the endpoint's typed parameter could not take (<c>?branchId=abc</c>): ASP.NET Core says
    /// <c>Failed to bind parameter "int? branchId" from "abc".</c> — the parameter is named here, as a validation error of
    /// that field, so that a client (and the console that shows it) learns which filter is wrong.
    /// </summary>
    /// The name is the C# one, which for a filter record bound with <c>[AsParameters]</c> is a property's (<c>Page</c>); the
    /// field is named as the client sent it — every query parameter of the contract is camelCase (<c>page</c>), as the
    /// OpenAPI document publishes it (<see cref="OpenApiContract"/>).
    private static (string Field, string Type)? BindingFailure(BadHttpRequestException b) =>
        b.InnerException is null && BindFailed().Match(b.Message) is { Success: true } m ? (JsonNamingPolicy.CamelCase.ConvertName(m.Groups["name"].Value), m.Groups["type"].Value) : null;

    [System.Text.RegularExpressions.GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]+) (?<name>[A-Za-z_][A-Za-z0-9_]*)" from "[\s\S]*"\.$""")]
    private static partial System.Text.RegularExpressions.Regex BindFailed();

    private static HttpValidationProblemDetails BindingProblem(string field, string type, CultureInfo culture)
    {
        // "int? branchId" for a parameter; "Nullable<Int32> Page" (or the like) for a property of an [AsParameters] record.
        var message = WrongValue.For(WrongValue.Named(type), Msg.Field(field));
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message.Render(culture)] })
        {
            Status = 400, Title = Msg.Of("Invalid request").Render(culture),
            Detail = Msg.Of("One or more fields are invalid: {0}.", Msg.Join([Msg.Field(field)])).Render(culture),
        };
    }

    /// <summary>
    /// Problem details the framework writes itself (401 and 403 from authorization, 404 for an unknown route, 405, 415,
    /// 429 from the rate limiter): their title and detail in the caller's language, by status.
    /// </summary>
    internal static void Localize(ProblemDetailsContext context)
    {
        var p = context.ProblemDetails;
        if (context.Exception is not null || p.Status is not { } status) return;
        var culture = LocalizationSetup.CultureOf(context.HttpContext);
        var (title, detail) = status switch
        {
            400 => ("Bad request", "The request could not be read."),
            401 => ("Not signed in", "Sign in first: send a valid bearer token."),
            403 => ("Forbidden", "Your roles may not do this."),
            404 => ("Not found", "There is nothing at this address."),
            405 => ("Method not allowed", "This address does not take this method."),
            413 => ("Too large", "The request is larger than allowed."),
            415 => ("Unsupported media type", "Send JSON (Content-Type: application/json) or, for uploads, multipart/form-data."),
            429 => ("Too many requests", "Too many attempts; wait a minute and try again."),
            503 => ("Unavailable", "The service is unavailable for a moment; try again shortly."),
            _ => (null, null),
        };
        if (title is null) return;
        if (p.Title is null || p.Title == ReasonPhrase(status) || p.Title == RfcTitle(status)) p.Title = Msg.Of(title).Render(culture);
        p.Detail ??= Msg.Of(detail!).Render(culture);
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    /// <summary>The titles ASP.NET Core's problem details take from RFC 9110 where its reason phrase differs (413's "Content Too Large").</summary>
    private static string? RfcTitle(int status) => status switch { 413 => "Content Too Large", 422 => "Unprocessable Content", _ => null };
}
