using Fieldline.Web.Features.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Features.Evaluation;

public static class PayLedgerApi
{
    public static IServiceCollection AddEvaluationFeature(this IServiceCollection services) => services
        .AddScoped<FindPayLedger>().AddScoped<ClosePayPeriod>();

    public static IEndpointRouteBuilder MapPayLedgerApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/pay-ledger").RequireAuthorization().WithTags("Evaluation")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/", List);
        g.MapGet("/periods", Periods);
        g.MapPost("/periods/close", Close);
        return app;
    }

    private static async Task<Ok<PayLedgerPage>> List([AsParameters] PayLedgerQuery query, CurrentUser user, FindPayLedger handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, query, ct));

    private static async Task<Ok<IReadOnlyList<PayPeriodDto>>> Periods(int? branchId, CurrentUser user, ClosePayPeriod handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Closed(user, branchId ?? user.BranchId, ct));

    private static async Task<Ok<PayPeriodDto>> Close(ClosePayPeriodRequest request, CurrentUser user, ClosePayPeriod handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, request, ct));
}
