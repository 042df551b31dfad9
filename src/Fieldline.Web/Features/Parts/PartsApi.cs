using Fieldline.Web.Features.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Parts;

public static class PartsApi
{
    public static IServiceCollection AddPartsFeature(this IServiceCollection services) => services
        .AddScoped<StockLedger>().AddScoped<FindParts>().AddScoped<AddPart>().AddScoped<ImportParts>().AddScoped<FindStock>()
        .AddScoped<ReceiveStock>().AddScoped<TransferStock>().AddScoped<TakeStock>().AddScoped<ImportStockTake>().AddScoped<ExportStock>()
        .AddScoped<FindRequisitions>().AddScoped<RequestParts>().AddScoped<IssueRequisition>().AddScoped<UseVanParts>()
        .AddScoped<FindOldParts>().AddScoped<ReceiveOldPart>().AddScoped<PartsCostOwed>()
        .AddScoped<BuildPartsCostReport>().AddScoped<SubmitPartsCostReport>().AddScoped<ExportPartsCostReport>()
        .AddSingleton<RemindPartsCostReport>().AddSingleton<Infrastructure.Clock.IDueWork>(sp => sp.GetRequiredService<RemindPartsCostReport>());

    public static IEndpointRouteBuilder MapPartsApi(this IEndpointRouteBuilder app)
    {
        var parts = app.MapGroup("/api/parts").RequireAuthorization().WithTags("Parts")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(409);
        parts.MapGet("/", ListParts);
        parts.MapPost("/", AddPart);
        parts.MapPost("/import", Import).DisableAntiforgery();

        var stock = app.MapGroup("/api/stock").RequireAuthorization().WithTags("Parts")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        stock.MapGet("/", ListStock);
        stock.MapGet("/locations", Locations);
        stock.MapPost("/receipts", Receive);
        stock.MapPost("/transfers", Transfer);
        stock.MapPost("/stock-takes", StockTake);
        stock.MapPost("/stock-takes/import", ImportStockTake).DisableAntiforgery();
        stock.MapGet("/export.xlsx", Export);

        var requisitions = app.MapGroup("/api/requisitions").RequireAuthorization().WithTags("Parts")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        requisitions.MapGet("/", ListRequisitions);
        requisitions.MapPost("/", RequestParts);
        requisitions.MapPost("/{id:long}/issue", Issue);

        var oldParts = app.MapGroup("/api/old-parts").RequireAuthorization().WithTags("Parts")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        oldParts.MapGet("/", ListOldParts);
        oldParts.MapPost("/{id:long}/receive", ReceiveOld);

        var cost = app.MapGroup("/api/reports").RequireAuthorization().WithTags("Parts")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        cost.MapGet("/parts-cost", PartsCost);
        cost.MapGet("/parts-cost.xlsx", PartsCostWorkbook);
        cost.MapGet("/parts-cost.pdf", PartsCostPdf);
        cost.MapPost("/parts-cost/submit", SubmitPartsCost);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<PartDto>>> ListParts(string? q, string? productLine, CurrentUser user, FindParts handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, q, productLine, ct));

    private static async Task<Created<PartDto>> AddPart(AddPartRequest request, CurrentUser user, AddPart handler, CancellationToken ct)
    {
        var part = await handler.Handle(user, request, ct);
        return TypedResults.Created($"/api/parts?q={Uri.EscapeDataString(part.PartNumber)}", part);
    }

    private static async Task<Ok<ImportPartsResult>> Import(IFormFile? file, [Microsoft.AspNetCore.Mvc.FromForm] string? sheet, CurrentUser user, ImportParts handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, file, sheet, ct));

    private static async Task<Ok<IReadOnlyList<StockLevelDto>>> ListStock(int? locationId, string? partNumber, CurrentUser user, FindStock handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Levels(user, locationId, partNumber, ct));

    private static async Task<Ok<IReadOnlyList<StockLocationDto>>> Locations(CurrentUser user, FindStock handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Locations(user, ct));

    private static async Task<Ok<StockLevelDto>> Receive(ReceiptRequest request, CurrentUser user, ReceiveStock handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, request, ct));

    private static async Task<Ok<TransferDto>> Transfer(StockTransferRequest request, CurrentUser user, TransferStock handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, request, ct));

    private static async Task<Ok<StockLevelDto>> StockTake(StockTakeRequest request, CurrentUser user, TakeStock handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, request, ct));

    private static async Task<Ok<ImportStockTakeResult>> ImportStockTake(IFormFile? file, [Microsoft.AspNetCore.Mvc.FromForm] string? locationId,
        [Microsoft.AspNetCore.Mvc.FromForm] string? reason, CurrentUser user, ImportStockTake handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, file, locationId, reason, ct));

    private static async Task<Ok<IReadOnlyList<RequisitionDto>>> ListRequisitions(string? status, CurrentUser user, FindRequisitions handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, status, ct));

    private static async Task<Created<RequisitionDto>> RequestParts(RequisitionRequest request, CurrentUser user, RequestParts handler, CancellationToken ct)
    {
        var requisition = await handler.Handle(user, request, ct);
        return TypedResults.Created($"/api/requisitions?status=requested", requisition);
    }

    private static async Task<Ok<RequisitionDto>> Issue(long id, HttpRequest http, CurrentUser user, IssueRequisition handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, Infrastructure.Http.Concurrency.IfMatch(http), ct));

    private static async Task<Ok<IReadOnlyList<OldPartDto>>> ListOldParts(string? status, CurrentUser user, FindOldParts handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, status, ct));

    private static async Task<Ok<OldPartDto>> ReceiveOld(long id, ReceiveOldPartRequest request, HttpRequest http, CurrentUser user, ReceiveOldPart handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Infrastructure.Http.Concurrency.IfMatch(http), ct));

    private static async Task<FileContentHttpResult> Export(CurrentUser user, ExportStock handler, CancellationToken ct) =>
        TypedResults.File(await handler.Handle(user, ct), ExportStock.ContentType, "warehouse.xlsx");

    private static async Task<Ok<PartsCostReportDto>> PartsCost(string? month, int? branchId, CurrentUser user, BuildPartsCostReport handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, month, branchId, ct));

    private static async Task<FileContentHttpResult> PartsCostWorkbook(string? month, int? branchId, CurrentUser user, BuildPartsCostReport handler,
        ExportPartsCostReport export, CancellationToken ct)
    {
        var report = await handler.Handle(user, month, branchId, ct);
        return TypedResults.File(await export.Workbook(report, ct), ExportPartsCostReport.XlsxType, ExportPartsCostReport.FileName(report, "xlsx"));
    }

    private static async Task<FileContentHttpResult> PartsCostPdf(string? month, int? branchId, CurrentUser user, BuildPartsCostReport handler,
        ExportPartsCostReport export, CancellationToken ct)
    {
        var report = await handler.Handle(user, month, branchId, ct);
        return TypedResults.File(await export.Pdf(report, ct), ExportPartsCostReport.PdfType, ExportPartsCostReport.FileName(report, "pdf"));
    }

    private static async Task<Ok<PartsCostReportDto>> SubmitPartsCost(string? month, int? branchId, CurrentUser user, SubmitPartsCostReport handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, month, branchId, ct));
}
