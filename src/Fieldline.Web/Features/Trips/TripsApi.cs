using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Trips;

/// <summary>Service trips (出差, 第15篇): sent, the arrival report, the daily log, the trip report, the supervisor's review.</summary>
public static class TripsApi
{
    public static IServiceCollection AddTripsFeature(this IServiceCollection services) => services
        .AddScoped<FindTrips>().AddScoped<SendOnTrip>().AddScoped<ReportArrival>().AddScoped<LogTripDay>().AddScoped<HandInTripReport>().AddScoped<ReviewTrip>()
        .AddScoped<TransferTripOrders>();

    public static IEndpointRouteBuilder MapTripsApi(this IEndpointRouteBuilder app)
    {
        var trips = app.MapGroup("/api/trips").RequireAuthorization().WithTags("Trips")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        trips.MapGet("/", List);
        trips.MapPost("/", Send);
        trips.MapGet("/{id:long}", Get);
        trips.MapPost("/{id:long}/arrival", Arrive);
        trips.MapPost("/{id:long}/log", Log);
        trips.MapPost("/{id:long}/return", Return);
        trips.MapPost("/{id:long}/review", Review);
        trips.MapPost("/{id:long}/transfers", Transfer);
        return app;
    }

    private static async Task<Ok<Page<TripDto>>> List(int? technicianId, string? status, bool? mine, int? page, int? pageSize, CurrentUser user, FindTrips h, CancellationToken ct) =>
        TypedResults.Ok(await h.List(user, technicianId, status, mine == true, page, pageSize, ct));

    private static async Task<Created<TripDto>> Send(SendOnTripBody request, CurrentUser user, SendOnTrip h, CancellationToken ct)
    {
        var dto = await h.Handle(user, request, ct);
        return TypedResults.Created($"/api/trips/{dto.Id}", dto);
    }

    private static async Task<Ok<TripDto>> Get(long id, CurrentUser user, FindTrips h, CancellationToken ct) => TypedResults.Ok(await h.Get(user, id, ct));

    private static async Task<Ok<TripDto>> Arrive(long id, ArrivalReportBody request, CurrentUser user, ReportArrival h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, id, request, ct));

    private static async Task<Ok<TripDto>> Log(long id, TripLogBody request, CurrentUser user, LogTripDay h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, id, request, ct));

    private static async Task<Ok<TripDto>> Return(long id, TripReportBody request, CurrentUser user, HandInTripReport h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, id, request, ct));

    /// <summary>The orders the traveller left behind, each to the person chosen for it, all in one commit or none.</summary>
    private static async Task<Ok<TripTransfersDto>> Transfer(long id, TransferTripOrdersBody request, CurrentUser user, TransferTripOrders h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, id, request, ct));

    private static async Task<Ok<TripDto>> Review(long id, ReviewTripBody request, CurrentUser user, ReviewTrip h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, id, request, ct));
}
