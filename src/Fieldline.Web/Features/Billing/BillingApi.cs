using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Billing;

public sealed record PriceItemDto(int Id, string Code, string Name, string? ProductLine, string Kind, decimal StandardPrice, int Version)
{
    public static PriceItemDto From(PriceItem p) => new(p.Id, p.Code, p.Name, p.ProductLine, JsonNames.Of(p.Kind), p.StandardPrice, p.Version);
}

public static class BillingApi
{
    public static IServiceCollection AddBillingFeature(this IServiceCollection services) => services
        .AddScoped<FindCashOnHand>().AddScoped<DeclareHandIn>().AddScoped<ConfirmHandIn>().AddScoped<RecordChargeFinding>().AddScoped<DecideRefund>();

    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/price-list", List).RequireAuthorization().WithTags("Billing");
        var cash = app.MapGroup("/api/cash").RequireAuthorization().WithTags("Billing")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        cash.MapGet("/on-hand", OnHand);
        cash.MapGet("/hand-ins", HandIns);
        cash.MapPost("/hand-ins", Declare);
        cash.MapPost("/hand-ins/{id:long}/confirm", Confirm);
        var money = app.MapGroup("/api").RequireAuthorization().WithTags("Billing")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        money.MapPost("/work-orders/{id:long}/charge-findings", Finding);
        money.MapGet("/refunds", Refunds);
        money.MapPost("/refunds/{id:long}/decide", Decide);
        return app;
    }

    /// <summary>The active standard prices, optionally for one product line; everyone who quotes or charges may read it.</summary>
    private static async Task<Ok<IReadOnlyList<PriceItemDto>>> List(string? productLine, CurrentUser user, AppDbContext db, CancellationToken ct)
    {
        user.RequireAny("read the price list", [.. Roles.Office, Roles.Technician]);
        var query = db.PriceItems.AsNoTracking().Where(p => p.Active);
        if (!string.IsNullOrEmpty(productLine)) query = query.Where(p => p.ProductLine == null || p.ProductLine == productLine);
        var items = await query.OrderBy(p => p.Code).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<PriceItemDto>>(items.Select(PriceItemDto.From).ToList());
    }

    private static async Task<Ok<IReadOnlyList<CashOnHandDto>>> OnHand(int? technicianId, CurrentUser user, FindCashOnHand handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, technicianId, ct));

    private static async Task<Ok<IReadOnlyList<HandInDto>>> HandIns(string? state, CurrentUser user, ConfirmHandIn handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, state, ct));

    private static async Task<Created<HandInDto>> Declare(CurrentUser user, DeclareHandIn handler, CancellationToken ct, DeclareHandInRequest? request = null)
    {
        var handIn = await handler.Handle(user, request ?? new DeclareHandInRequest(null, null), ct);
        return TypedResults.Created($"/api/cash/hand-ins/{handIn.Id}", handIn);
    }

    private static async Task<Ok<HandInDto>> Confirm(long id, ConfirmHandInRequest request, HttpRequest http, CurrentUser user, ConfirmHandIn handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<ChargeFindingResult>> Finding(long id, ChargeFindingRequest request, CurrentUser user, RecordChargeFinding handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, ct));

    private static async Task<Ok<IReadOnlyList<RefundDto>>> Refunds(string? state, CurrentUser user, DecideRefund handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, state, ct));

    private static async Task<Ok<RefundDto>> Decide(long id, RefundDecision request, CurrentUser user, DecideRefund handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, ct));
}
