using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Calls;

public static class CallsApi
{
    public static IServiceCollection AddCallsFeature(this IServiceCollection services) => services.AddScoped<RecordCall>().AddScoped<FindCalls>();

    public static IEndpointRouteBuilder MapCallsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/calls").RequireAuthorization().WithTags("Calls")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403);
        g.MapGet("/", List);
        g.MapPost("/", Record);
        return app;
    }

    private static async Task<Ok<Page<CallDto>>> List([AsParameters] CallQuery query, CurrentUser user, FindCalls handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, query, ct));

    private static async Task<Created<CallDto>> Record(RecordCallRequest request, CurrentUser user, RecordCall handler, CancellationToken ct)
    {
        var call = await handler.Handle(user, request, ct);
        return TypedResults.Created($"/api/calls/{call.Id}", call);
    }
}
