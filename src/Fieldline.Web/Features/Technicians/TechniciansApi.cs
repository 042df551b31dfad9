using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Technicians;

public static class TechniciansApi
{
    public static IServiceCollection AddTechniciansFeature(this IServiceCollection services) => services.AddScoped<ManageTechnicians>();

    public static IEndpointRouteBuilder MapTechniciansApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/technicians").RequireAuthorization().WithTags("Technicians");
        group.MapGet("/", List);
        group.MapGet("/{id:int}", Get);
        group.MapPost("/", Create);
        group.MapPatch("/{id:int}", Update);
        return app;
    }

    private static async Task<Ok<Page<TechnicianDto>>> List(int? branchId, bool? onDuty, int? page, int? pageSize, CurrentUser user, ManageTechnicians handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, branchId, onDuty, page, pageSize, ct));

    private static async Task<Ok<TechnicianDto>> Get(int id, CurrentUser user, ManageTechnicians handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Get(user, id, ct));

    private static async Task<Created<TechnicianDto>> Create(CreateTechnicianRequest request, CurrentUser user, ManageTechnicians handler, CancellationToken ct)
    {
        var tech = await handler.Create(user, request, ct);
        return TypedResults.Created($"/api/technicians/{tech.Id}", tech);
    }

    private static async Task<Ok<TechnicianDto>> Update(int id, UpdateTechnicianRequest request, HttpRequest http, CurrentUser user, ManageTechnicians handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Update(user, id, request, Concurrency.IfMatch(http), ct));
}
