using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Claims;

public static class ClaimsApi
{
    public static IServiceCollection AddClaimsFeature(this IServiceCollection services) => services
        .AddScoped<FindWarrantyClaims>().AddScoped<SubmitWarrantyClaim>().AddScoped<DecideWarrantyClaim>();

    public static IEndpointRouteBuilder MapClaimsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/warranty-claims").RequireAuthorization().WithTags("Warranty claims")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/", List);
        g.MapPost("/", Submit);
        g.MapPost("/{id:long}/decision", Decide);
        return app;
    }

    private static async Task<Ok<WarrantyClaimList>> List(int? branchId, string? status, CurrentUser user, FindWarrantyClaims handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, branchId, status, ct));

    private static async Task<Created<WarrantyClaimDto>> Submit(WarrantyClaimRequest request, CurrentUser user, SubmitWarrantyClaim handler, CancellationToken ct)
    {
        var claim = await handler.Handle(user, request, ct);
        return TypedResults.Created($"/api/warranty-claims?status=submitted", claim);
    }

    private static async Task<Ok<WarrantyClaimDto>> Decide(long id, WarrantyClaimDecision request, HttpRequest http, CurrentUser user, DecideWarrantyClaim handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));
}
