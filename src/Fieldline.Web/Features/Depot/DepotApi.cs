using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Depot;

public static class DepotApi
{
    public static IServiceCollection AddDepotFeature(this IServiceCollection services) => services
        .AddScoped<FindDepot>().AddScoped<DepotUnits>().AddScoped<IssueCollectionReceipt>().AddScoped<RegisterDepotUnit>().AddScoped<RepairDepotUnit>()
        .AddScoped<HandBackDepotUnit>().AddScoped<ApproveDepotReturn>().AddScoped<RenderCollectionReceipt>();

    public static IEndpointRouteBuilder MapDepotApi(this IEndpointRouteBuilder app)
    {
        var depot = app.MapGroup("/api/depot").RequireAuthorization().WithTags("Depot")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        depot.MapPost("/receipts", Issue);
        depot.MapGet("/receipts/{id:long}", Receipt);
        depot.MapGet("/receipts/{id:long}/pdf", Pdf);
        depot.MapGet("/queue", Queue);
        depot.MapPost("/units/{id:long}/register", Register);
        depot.MapPost("/units/{id:long}/repair", Repair);
        depot.MapPost("/units/{id:long}/hand-back", HandBack);
        depot.MapPost("/units/{id:long}/approve-return", ApproveReturn);
        return app;
    }

    private static async Task<Created<DepotReceiptDto>> Issue(DepotReceiptRequest request, CurrentUser user, IssueCollectionReceipt handler, CancellationToken ct)
    {
        var receipt = await handler.Handle(user, request, ct);
        return TypedResults.Created($"/api/depot/receipts/{receipt.Id}", receipt);
    }

    private static async Task<Ok<DepotReceiptDto>> Receipt(long id, CurrentUser user, FindDepot handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Receipt(user, id, ct));

    private static async Task<FileContentHttpResult> Pdf(long id, CurrentUser user, RenderCollectionReceipt handler, CancellationToken ct)
    {
        var (pdf, number) = await handler.Handle(user, id, ct);
        return TypedResults.File(pdf, RenderCollectionReceipt.ContentType, $"{number}.pdf");
    }

    /// <summary>
    /// The depot queue, oldest received first a page at a time (<c>limit</c>, default and at most 2000; the next page:
    /// <c>after</c> = the largest <c>id</c> of this one), each page ordered by its due date; <c>q</c> searches receipt number,
    /// order code, serial, customer name or phone, product and fault. Head office without <c>branchId</c>: every branch.
    /// </summary>
    private static async Task<Ok<IReadOnlyList<DepotUnitDto>>> Queue(int? branchId, string? status, string? q, long? after, int? limit, CurrentUser user,
        FindDepot handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Queue(user, new DepotQueueQuery(branchId, status, q, after, limit), ct));

    private static async Task<Ok<DepotUnitDto>> Register(long id, HttpRequest http, CurrentUser user, RegisterDepotUnit handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<DepotUnitDto>> Repair(long id, DepotRepairRequest request, HttpRequest http, CurrentUser user, RepairDepotUnit handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<DepotUnitDto>> HandBack(long id, HttpRequest http, CurrentUser user, HandBackDepotUnit handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<DepotUnitDto>> ApproveReturn(long id, HttpRequest http, CurrentUser user, ApproveDepotReturn handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, Concurrency.IfMatch(http), ct));
}
