using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Mobile;

/// <param name="Url">The link's path on this server.</param>
/// <param name="PublicUrl">The link to give the customer: <c>Fieldline:Mobile:PublicBaseUrl</c> before the path, or the path alone when it is not set.</param>
public sealed record ReportLinkDto(string Url, DateTimeOffset ExpiresAt, string PublicUrl);

/// <summary>The server side of the technician's phone app (/m): the service report, the customer's link to it, "my month".</summary>
public static class MobileApi
{
    public static IServiceCollection AddMobileFeature(this IServiceCollection services, IConfiguration config) => services
        .AddSingleton(config.GetSection("Fieldline:Mobile").Get<MobileOptions>() ?? new MobileOptions())
        .AddSingleton<ReportLinks>().AddScoped<RenderServiceReport>().AddScoped<SummariseMyMonth>().AddScoped<ListColleagues>();

    public static IEndpointRouteBuilder MapMobileApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api").RequireAuthorization().WithTags("Technician app");
        g.MapGet("/work-orders/{id:long}/report.pdf", Report);
        g.MapGet("/work-orders/{id:long}/report-link", Link);
        g.MapGet("/mobile/my-month", MyMonth);
        g.MapGet("/mobile/colleagues", Colleagues);
        // The phone app lives in wwwroot/m; "/m" (as typed or printed on a card) needs the slash for its relative URLs.
        // Routing ignores a trailing slash, so this endpoint also receives "/m/" and serves the shell itself.
        app.MapGet("/m", AppShell).ExcludeFromDescription();
        // The customer's link: no login, the signature and expiry are the credential.
        app.MapGet("/r/{id:long}", CustomerReport).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The phone app's service worker is registered for the scope "/m" (not only "/m/"), so "/m" typed offline still opens
    /// the app; a worker may claim a scope above its own folder only when the server allows it with this header.
    /// </summary>
    public static IApplicationBuilder UseServiceWorkerScope(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (http.Request.Path.Equals("/m/sw.js", StringComparison.Ordinal)) http.Response.Headers["Service-Worker-Allowed"] = "/m";
        return next(http);
    });

    private static IResult AppShell(HttpContext http, IWebHostEnvironment env) =>
        http.Request.Path.Value?.EndsWith('/') == true
            ? TypedResults.Stream(env.WebRootFileProvider.GetFileInfo("m/index.html").CreateReadStream(), "text/html; charset=utf-8")
            : TypedResults.Redirect("/m/");

    private static async Task<FileContentHttpResult> Report(long id, CurrentUser user, RenderServiceReport handler, HttpResponse response, CancellationToken ct) =>
        Inline(response, await handler.ForUser(user, id, ct), $"service-report-{id}.pdf");

    /// <summary>A PDF the browser opens in its viewer (a download name would make it save the file instead).</summary>
    private static FileContentHttpResult Inline(HttpResponse response, byte[] pdf, string name)
    {
        response.Headers.ContentDisposition = new System.Net.Http.Headers.ContentDispositionHeaderValue("inline") { FileName = name }.ToString();
        return TypedResults.File(pdf, "application/pdf");
    }

    /// <summary>Only a finished order has a report worth sending; the caller must be able to see the order.</summary>
    private static async Task<Ok<ReportLinkDto>> Link(long id, CurrentUser user, WorkOrderAccess access, ReportLinks links, MobileOptions options, CancellationToken ct)
    {
        user.RequireAny("share service reports", [.. Roles.Office, Roles.Technician]);
        var order = await access.Load(user, id, ct);
        if (order.Status is not (WorkOrderStatus.Completed or WorkOrderStatus.Visited or WorkOrderStatus.Closed))
            throw new IllegalTransitionException(order.Status, "share the service report of");
        var (url, expires) = links.Create(id);
        return TypedResults.Ok(new ReportLinkDto(url, expires, options.PublicLink(url)));
    }

    private static async Task<Ok<MonthSummaryDto>> MyMonth(CurrentUser user, SummariseMyMonth handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, ct));

    private static async Task<Ok<IReadOnlyList<ColleagueDto>>> Colleagues(CurrentUser user, ListColleagues handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, ct));

    /// <summary>A tampered, expired or unknown link is a plain 404: it tells a guesser nothing.</summary>
    private static async Task<Results<FileContentHttpResult, NotFound>> CustomerReport(long id, long? e, string? s, ReportLinks links,
        RenderServiceReport handler, HttpResponse response, CancellationToken ct)
    {
        if (e is null || !links.IsValid(id, e.Value, s)) return TypedResults.NotFound();
        var pdf = await handler.ForCustomer(id, ct);
        if (pdf is null) return TypedResults.NotFound();
        response.Headers.CacheControl = "private, no-store";
        return Inline(response, pdf, $"service-report-{id}.pdf");
    }
}
