using Fieldline.Web.Features.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Policy;

public static class PolicyApi
{
    public static IServiceCollection AddPolicyFeature(this IServiceCollection services) =>
        services.AddSingleton<PolicyPresets>().AddSingleton<PolicyStore>().AddSingleton<RuleTexts>().AddScoped<ManagePolicy>().AddScoped<SignOffPolicy>();

    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/policy").RequireAuthorization().WithTags("Policy");
        group.MapGet("/", Get);
        group.MapPut("/", Publish);
        group.MapGet("/presets", (PolicyPresets presets) => TypedResults.Ok(presets.All));
        group.MapGet("/versions", Versions);
        var drafts = app.MapGroup("/api/policy/drafts").RequireAuthorization().WithTags("Policy")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        drafts.MapGet("/", Drafts);
        drafts.MapPost("/", Draft);
        drafts.MapPost("/{id:long}/sign", Sign);
        drafts.MapPost("/{id:long}/reject", Reject);
        return app;
    }

    private static async Task<Ok<PolicyDto>> Get(int? version, CurrentUser user, ManagePolicy handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Current(user, version, ct));

    private static async Task<Ok<PolicyDto>> Publish(PublishPolicyRequest request, CurrentUser user, ManagePolicy handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Publish(user, request, ct));

    private static async Task<Ok<Infrastructure.Http.Page<PolicyDraftDto>>> Drafts(string? status, int? page, int? pageSize, CurrentUser user, SignOffPolicy h, CancellationToken ct) =>
        TypedResults.Ok(await h.List(user, status, page, pageSize, ct));

    private static async Task<Created<PolicyDraftDto>> Draft(DraftPolicyRequest request, CurrentUser user, SignOffPolicy h, CancellationToken ct)
    {
        var dto = await h.Draft(user, request, ct);
        return TypedResults.Created($"/api/policy/drafts/{dto.Id}", dto);
    }

    private static async Task<Ok<PolicyDraftDto>> Sign(long id, CurrentUser user, SignOffPolicy h, CancellationToken ct) => TypedResults.Ok(await h.Sign(user, id, ct));

    private static async Task<Ok<PolicyDraftDto>> Reject(long id, RejectDraftRequest request, CurrentUser user, SignOffPolicy h, CancellationToken ct) =>
        TypedResults.Ok(await h.Reject(user, id, request, ct));

    private static async Task<Ok<IReadOnlyList<PolicyVersionInfo>>> Versions(CurrentUser user, ManagePolicy handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Versions(user, ct));
}
