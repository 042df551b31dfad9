using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Mobile;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Features.ReturnVisits;

/// <summary>Return visits (回访): the agent's queue of orders due for a visit with the script to use, and the visit itself.</summary>
public static class ReturnVisitsApi
{
    public static IServiceCollection AddReturnVisitsFeature(this IServiceCollection services) => services
        .AddScoped<FindDueVisits>().AddScoped<RecordReturnVisit>().AddScoped<RateByCustomer>().AddScoped<SendRatingLink>().AddScoped<RecordUnitVisit>().AddSingleton<RatingThrottle>();

    public static IEndpointRouteBuilder MapReturnVisitsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api").RequireAuthorization().WithTags("Return visits")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/return-visits/due", Due);
        g.MapGet("/work-orders/{id:long}/return-visits", History);
        g.MapPost("/work-orders/{id:long}/return-visit", Record);
        g.MapPost("/return-visits", RecordUnit);
        g.MapGet("/work-orders/{id:long}/rating-link", RatingLink);
        return app;
    }

    private static async Task<Ok<Page<DueVisitDto>>> Due([FromQuery] int? branchId, [FromQuery] int? technicianId, [FromQuery] string? type, CurrentUser user,
        FindDueVisits handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, new DueVisitQuery(branchId, technicianId, type), ct));

    private static async Task<Ok<IReadOnlyList<ReturnVisitDto>>> History(long id, CurrentUser user, FindDueVisits handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.History(user, id, ct));

    private static async Task<Ok<WorkOrderDto>> Record(long id, ReturnVisitRequest request, HttpRequest http, CurrentUser user, RecordReturnVisit handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    /// <summary>A depot (SHOP-02) or periodic (RV-02) visit: the customer of a unit, not of an order.</summary>
    private static async Task<Ok<UnitVisitDto>> RecordUnit(UnitVisitRequest request, CurrentUser user, RecordUnitVisit handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, request, ct));

    /// <summary>
    /// The customer's signed link to rate the job (sent by SMS or shown on the technician's phone): only while the order
    /// waits for its visit; the caller must be able to see the order.
    /// </summary>
    private static async Task<Ok<ReportLinkDto>> RatingLink(long id, CurrentUser user, WorkOrderAccess access, ReportLinks links, MobileOptions options, CancellationToken ct)
    {
        user.RequireAny("send the customer a rating link", [.. Roles.Office, Roles.Technician]);
        var order = await access.Load(user, id, ct);
        if (order.Status != WorkOrderStatus.Completed) throw new IllegalTransitionException(order.Status, "send a rating link for");
        var (url, expires) = links.Create(id, ReportLinks.Rating);
        return TypedResults.Ok(new ReportLinkDto(url, expires, options.PublicLink(url)));
    }
}
