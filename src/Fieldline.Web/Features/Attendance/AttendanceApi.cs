using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Attendance;

public static class AttendanceApi
{
    public static IServiceCollection AddAttendanceFeature(this IServiceCollection services) => services.AddScoped<RecordOfficeCheckIn>();

    public static IEndpointRouteBuilder MapAttendanceApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/attendance").RequireAuthorization().WithTags("Attendance")
            .ProducesValidationProblem().ProducesProblem(403);
        g.MapPost("/office-check-ins", CheckIn);
        g.MapGet("/office-check-ins", List);
        return app;
    }

    private static async Task<Created<OfficeCheckInDto>> CheckIn(CurrentUser user, RecordOfficeCheckIn h, CancellationToken ct, OfficeCheckInRequest? body = null)
    {
        var dto = await h.Handle(user, body ?? new OfficeCheckInRequest(null), ct);
        return TypedResults.Created($"/api/attendance/office-check-ins/{dto.Id}", dto);
    }

    private static async Task<Ok<Page<OfficeCheckInDto>>> List(int? technicianId, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize,
        CurrentUser user, RecordOfficeCheckIn h, CancellationToken ct) =>
        TypedResults.Ok(await h.List(user, technicianId, from, to, page, pageSize, ct));
}
