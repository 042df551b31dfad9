using Fieldline.Web.Infrastructure.Auth;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Identity;

public static class IdentityApi
{
    public static IServiceCollection AddIdentityFeature(this IServiceCollection services) =>
        services.AddScoped<IssueToken>().AddScoped<ManageBranches>().AddScoped<ManageUsers>().AddScoped<SetLanguage>();

    public static IEndpointRouteBuilder MapIdentityApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", GetToken).AllowAnonymous().WithTags("Auth");
        var branches = app.MapGroup("/api/branches").RequireAuthorization().WithTags("Branches");
        branches.MapGet("/", ListBranches);
        branches.MapGet("/{id:int}", GetBranch);
        branches.MapPost("/", CreateBranch);
        var users = app.MapGroup("/api/users").RequireAuthorization().WithTags("Users");
        users.MapGet("/", ListUsers);
        users.MapGet("/{id:int}", GetUser);
        users.MapPost("/", CreateUser);
        users.MapPatch("/{id:int}", UpdateUser);
        var me = app.MapGroup("/api/me").RequireAuthorization().WithTags("Users");
        me.MapGet("/", (CurrentUser user, SetLanguage h, CancellationToken ct) => GetMe(user, h, ct));
        me.MapPut("/language", (LanguageRequest body, CurrentUser user, SetLanguage h, CancellationToken ct) => PutLanguage(body, user, h, ct));
        return app;
    }

    private static async Task<Results<Ok<IssuedToken>, ProblemHttpResult>> GetToken(TokenRequest request, HttpContext http, IssueToken handler, CancellationToken ct) =>
        await handler.Handle(request, http.Connection.RemoteIpAddress?.ToString(), ct) is { } token
            ? TypedResults.Ok(token)
            : TypedResults.Problem(statusCode: 401, title: Msg.Of("Not signed in").Render(), detail: Msg.Of("Unknown username or wrong password.").Render());

    private static async Task<Ok<MeDto>> GetMe(CurrentUser user, SetLanguage h, CancellationToken ct) => TypedResults.Ok(await h.Get(user, ct));

    /// <summary>The caller's language (zh-CN or en), for the phone app's switch; pages use the header switch.</summary>
    private static async Task<Ok<MeDto>> PutLanguage(LanguageRequest body, CurrentUser user, SetLanguage h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, body, ct));

    private static async Task<Ok<IReadOnlyList<BranchDto>>> ListBranches(CurrentUser user, ManageBranches handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, ct));

    private static async Task<Ok<BranchDto>> GetBranch(int id, CurrentUser user, ManageBranches handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Get(user, id, ct));

    private static async Task<Created<BranchDto>> CreateBranch(CreateBranchRequest request, CurrentUser user, ManageBranches handler, CancellationToken ct)
    {
        var branch = await handler.Create(user, request, ct);
        return TypedResults.Created($"/api/branches/{branch.Id}", branch);
    }

    private static async Task<Ok<Page<UserDto>>> ListUsers(string? q, int? page, int? pageSize, CurrentUser user, ManageUsers handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, q, page, pageSize, ct));

    private static async Task<Ok<UserDto>> GetUser(int id, CurrentUser user, ManageUsers handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Get(user, id, ct));

    private static async Task<Ok<UserDto>> UpdateUser(int id, UpdateUserRequest request, HttpRequest http, CurrentUser user, ManageUsers handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Update(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Created<UserDto>> CreateUser(CreateUserRequest request, CurrentUser user, ManageUsers handler, CancellationToken ct)
    {
        var created = await handler.Create(user, request, ct);
        return TypedResults.Created($"/api/users/{created.Id}", created);
    }
}
