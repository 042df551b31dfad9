using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Features.Quality;

/// <summary>
/// Service quality on site: the flags the checks raise at check-in and completion, and the supervisor's review of them;
/// the customers' signed confirmations of installations (INS-03/09/16, ONS-09) and their keepers' filing.
/// </summary>
public static class QualityApi
{
    public static IServiceCollection AddQualityFeature(this IServiceCollection services) => services
        .AddScoped<CheckOnSite>().AddScoped<FindQualityFlags>().AddScoped<ReviewQualityFlag>()
        .AddScoped<FindConfirmations>().AddScoped<FileConfirmation>();

    public static IEndpointRouteBuilder MapQualityApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/quality-flags").RequireAuthorization().WithTags("Quality")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("", List);
        g.MapPost("/{id:long}/confirm", Confirm);
        g.MapPost("/{id:long}/dismiss", Dismiss);
        var c = app.MapGroup("/api/customer-confirmations").RequireAuthorization().WithTags("Quality")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        c.MapGet("", Confirmations);
        c.MapPost("/{id:long}/file", File);
        return app;
    }

    private static async Task<Ok<Page<QualityFlagDto>>> List([FromQuery] int? branchId, [FromQuery] string? status, [FromQuery] long? workOrderId,
        [FromQuery] int? page, [FromQuery] int? pageSize, CurrentUser user, FindQualityFlags handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, new QualityFlagQuery(branchId, status, workOrderId, page, pageSize), ct));

    private static async Task<Ok<QualityFlagDto>> Confirm(long id, ConfirmQualityFlagRequest request, HttpRequest http, CurrentUser user, ReviewQualityFlag handler,
        CancellationToken ct) => TypedResults.Ok(await handler.Confirm(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<QualityFlagDto>> Dismiss(long id, DismissQualityFlagRequest request, HttpRequest http, CurrentUser user, ReviewQualityFlag handler,
        CancellationToken ct) => TypedResults.Ok(await handler.Dismiss(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<Page<ConfirmationDto>>> Confirmations([FromQuery] int? branchId, [FromQuery] string? status, [FromQuery] long? workOrderId,
        [FromQuery] int? page, [FromQuery] int? pageSize, CurrentUser user, FindConfirmations handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, new ConfirmationQuery(branchId, status, workOrderId, page, pageSize), ct));

    private static async Task<Ok<ConfirmationDto>> File(long id, FileConfirmationRequest request, HttpRequest http, CurrentUser user, FileConfirmation handler,
        CancellationToken ct) => TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));
}
