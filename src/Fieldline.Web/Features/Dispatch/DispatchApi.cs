using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Dispatch;

public static class DispatchApi
{
    public static IServiceCollection AddDispatchFeature(this IServiceCollection services) =>
        services.AddScoped<BranchDay>().AddScoped<PlanDay>().AddScoped<SuggestTechnician>().AddScoped<ShowBoard>().AddScoped<SummariseToday>()
            .AddScoped<ShowDispatchMap>().AddScoped<ReleaseToPool>().AddScoped<TakeFromPool>().AddScoped<ShowPool>().AddScoped<AnnouncePoolOrder>();

    public static IEndpointRouteBuilder MapDispatchApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/dispatch").RequireAuthorization().WithTags("Dispatch").ProducesValidationProblem().ProducesProblem(403);
        g.MapPost("/plan", Plan);
        g.MapPost("/suggest", Suggest);
        g.MapGet("/board", Board);
        g.MapGet("/today", Today);
        g.MapGet("/pool", Pool);
        // 抢单池: the order's own actions, beside dispatch and accept.
        var orders = app.MapGroup("/api/work-orders").RequireAuthorization().WithTags("Work orders")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        orders.MapPost("/{id:long}/release-to-pool", Release);
        orders.MapPost("/{id:long}/withdraw-from-pool", Withdraw);
        orders.MapPost("/{id:long}/take", Take);
        return app;
    }

    private static async Task<Ok<PlanDto>> Plan(PlanRequest request, CurrentUser user, PlanDay handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, request, ct));

    private static async Task<Ok<SuggestionDto>> Suggest(SuggestRequest request, CurrentUser user, SuggestTechnician handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, request, ct));

    private static async Task<Ok<BoardDto>> Board(int? branchId, CurrentUser user, ShowBoard handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, branchId, ct));

    private static async Task<Ok<TodayDto>> Today(int? branchId, CurrentUser user, SummariseToday handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, branchId, ct));

    private static async Task<Ok<Page<PoolOrderDto>>> Pool(int? branchId, int? page, int? pageSize, CurrentUser user, ShowPool handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, branchId, page, pageSize, ct));

    private static async Task<Ok<WorkOrderDto>> Release(long id, HttpRequest http, CurrentUser user, ReleaseToPool handler, CancellationToken ct, VersionOnlyRequest? request = null) =>
        TypedResults.Ok(await handler.Release(user, id, request ?? new VersionOnlyRequest(null), Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Withdraw(long id, HttpRequest http, CurrentUser user, ReleaseToPool handler, CancellationToken ct, VersionOnlyRequest? request = null) =>
        TypedResults.Ok(await handler.Withdraw(user, id, request ?? new VersionOnlyRequest(null), Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Take(long id, HttpRequest http, CurrentUser user, TakeFromPool handler, CancellationToken ct, VersionOnlyRequest? request = null) =>
        TypedResults.Ok(await handler.Handle(user, id, request ?? new VersionOnlyRequest(null), Concurrency.IfMatch(http), ct));
}
