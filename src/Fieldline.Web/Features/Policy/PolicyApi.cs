using Fieldline.Web.Features.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Policy;

public static class PolicyApi
{
    public static IServiceCollection AddPolicyFeature(this IServiceCollection services) =>
        services.AddSingleton<PolicyPresets>().AddSingleton<PolicyStore>().AddSingleton<RuleTexts>().AddScoped<ManagePolicy>();

    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/policy").RequireAuthorization().WithTags("Policy");
        group.MapGet("/", Get);
        group.MapPut("/", Publish);
        group.MapGet("/presets", (PolicyPresets presets) => TypedResults.Ok(presets.All));
        group.MapGet("/versions", Versions);
        return app;
    }

    private static async Task<Ok<PolicyDto>> Get(int? version, CurrentUser user, ManagePolicy handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Current(user, version, ct));

    private static async Task<Ok<PolicyDto>> Publish(PublishPolicyRequest request, CurrentUser user, ManagePolicy handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Publish(user, request, ct));

    private static async Task<Ok<IReadOnlyList<PolicyVersionInfo>>> Versions(CurrentUser user, ManagePolicy handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Versions(user, ct));
}
