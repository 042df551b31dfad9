using Fieldline.Web.Features.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Dispatch;

public static class DispatchApi
{
    public static IServiceCollection AddDispatchFeature(this IServiceCollection services) =>
        services.AddScoped<BranchDay>().AddScoped<PlanDay>().AddScoped<SuggestTechnician>().AddScoped<ShowBoard>().AddScoped<SummariseToday>()
            .AddScoped<ShowDispatchMap>();

    public static IEndpointRouteBuilder MapDispatchApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/dispatch").RequireAuthorization().WithTags("Dispatch").ProducesValidationProblem().ProducesProblem(403);
        g.MapPost("/plan", Plan);
        g.MapPost("/suggest", Suggest);
        g.MapGet("/board", Board);
        g.MapGet("/today", Today);
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
}
