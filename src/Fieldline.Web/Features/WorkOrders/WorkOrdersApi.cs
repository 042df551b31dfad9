using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Blobs;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Features.WorkOrders;

public static class WorkOrdersApi
{
    public static IServiceCollection AddWorkOrdersFeature(this IServiceCollection services) => services
        .AddScoped<WorkOrderAccess>().AddScoped<AssignableTechnician>().AddScoped<TechnicianActions>()
        .AddScoped<CreateWorkOrder>().AddScoped<SubmitWorkOrder>().AddScoped<FindWorkOrders>().AddScoped<ExportWorkOrders>().AddScoped<DispatchWorkOrder>().AddScoped<TransferWorkOrder>()
        .AddScoped<AcceptWorkOrder>().AddScoped<RejectWorkOrder>().AddScoped<ContactCustomer>().AddScoped<RescheduleWorkOrder>()
        .AddScoped<CheckInWorkOrder>().AddScoped<CompleteWorkOrder>().AddScoped<PriceCharges>().AddScoped<ApprovePrice>().AddScoped<RecordEmptyTrip>().AddScoped<CancelWorkOrder>()
        .AddScoped<CloseWorkOrder>().AddScoped<UploadAttachment>().AddScoped<ConfirmUnreachable>().AddScoped<RequestTransfer>().AddScoped<DeclineTransferRequest>().AddScoped<RequestPartTimeDispatch>().AddScoped<AcknowledgeCompletion>().AddScoped<RequestPriceApproval>().AddScoped<ReportMeal>().AddScoped<DeclinePartTimeDispatch>().AddScoped<RecordProgressCall>().AddScoped<RecordHandIns>().AddScoped<ReturnToDispatcher>().AddScoped<RegisterLead>().AddScoped<SetTripCategory>().AddScoped<FindOutstandingSlips>();

    public static IEndpointRouteBuilder MapWorkOrdersApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/work-orders").RequireAuthorization().WithTags("Work orders")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        g.MapPost("/", Create);
        g.MapGet("/", List);
        g.MapGet("/export.xlsx", Export);
        g.MapPost("/leads", Lead);
        g.MapGet("/{id:long}", Get);
        g.MapPost("/{id:long}/submit", Submit);
        g.MapPost("/{id:long}/dispatch", Dispatch);
        g.MapPost("/{id:long}/accept", Accept);
        g.MapPost("/{id:long}/reject", Reject);
        g.MapPost("/{id:long}/return-to-dispatcher", GiveBack);
        g.MapPost("/{id:long}/contact", Contact);
        g.MapPost("/{id:long}/reschedule", Reschedule);
        g.MapPost("/{id:long}/check-in", CheckIn);
        g.MapPost("/{id:long}/complete", Complete);
        g.MapPost("/{id:long}/empty-trip", EmptyTrip);
        g.MapPost("/{id:long}/transfer", Transfer);
        g.MapPost("/{id:long}/confirm-unreachable", ConfirmUnreachableCustomer);
        g.MapPost("/{id:long}/transfer-request", AskTransfer);
        g.MapPost("/{id:long}/transfer-request/decline", DeclineTransfer);
        g.MapPost("/{id:long}/part-time-request", AskPartTime);
        g.MapPost("/{id:long}/acknowledge-completion", Acknowledge);
        g.MapPost("/{id:long}/part-time-request/decline", DeclinePartTime);
        g.MapPost("/{id:long}/progress-call", ProgressCall);
        g.MapPost("/{id:long}/remittance", Remittance);
        g.MapPost("/{id:long}/price-approvals", ApprovePriceLine);
        g.MapPost("/{id:long}/price-approval-request", AskPriceApproval);
        g.MapPost("/{id:long}/meal-report", MealReport);
        g.MapPost("/{id:long}/parts-returned", PartsReturned);
        g.MapPost("/{id:long}/slip-handed-in", SlipHandedIn);
        g.MapPost("/{id:long}/cancel", Cancel);
        g.MapPost("/{id:long}/close", Close);
        g.MapPost("/{id:long}/trip-category", TripCategory);
        // Bearer tokens are not sent by browsers on their own, so a multipart upload here cannot be forged cross-site.
        g.MapPost("/{id:long}/attachments", Upload).DisableAntiforgery();
        g.MapGet("/{id:long}/attachments/{attachmentId:long}", Download);
        return app;
    }

    private static async Task<Created<WorkOrderDto>> Create(CreateWorkOrderRequest request, CurrentUser user, CreateWorkOrder handler, CancellationToken ct)
    {
        var order = await handler.Handle(user, request, ct);
        return TypedResults.Created($"/api/work-orders/{order.Id}", order);
    }

    private static async Task<Ok<Page<WorkOrderSummaryDto>>> List([AsParameters] WorkOrderQuery query, CurrentUser user, FindWorkOrders handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, query, ct));

    private static async Task<Created<LeadReceiptDto>> Lead(LeadRequest request, CurrentUser user, RegisterLead handler, CancellationToken ct)
    {
        var order = await handler.Handle(user, request, ct);
        return TypedResults.Created($"/api/work-orders/{order.Id}", order);
    }

    private static async Task Export([AsParameters] WorkOrderQuery query, HttpResponse response, CurrentUser user, ExportWorkOrders handler, CancellationToken ct)
    {
        var write = await handler.Prepare(user, query, ct); // a bad filter answers 400 here, before any byte of the workbook
        response.ContentType = ExportWorkOrders.ContentType;
        response.Headers.ContentDisposition = "attachment; filename=\"work-orders.xlsx\"";
        await write(ExportWorkOrders.Body(response.HttpContext), ct);
    }

    private static async Task<Ok<WorkOrderDto>> Get(long id, CurrentUser user, FindWorkOrders handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Get(user, id, ct));

    private static async Task<Ok<WorkOrderDto>> Submit(long id, SubmitWorkOrderRequest request, HttpRequest http, CurrentUser user, SubmitWorkOrder handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Dispatch(long id, DispatchRequest request, HttpRequest http, CurrentUser user, DispatchWorkOrder handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Accept(long id, HttpRequest http, CurrentUser user, AcceptWorkOrder handler, CancellationToken ct, VersionOnlyRequest? request = null) =>
        TypedResults.Ok(await handler.Handle(user, id, request ?? new VersionOnlyRequest(null), Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> GiveBack(long id, ReturnToDispatcherRequest request, HttpRequest http, CurrentUser user, ReturnToDispatcher handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Reject(long id, ReasonRequest request, HttpRequest http, CurrentUser user, RejectWorkOrder handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Contact(long id, ContactRequest request, HttpRequest http, CurrentUser user, ContactCustomer handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Reschedule(long id, RescheduleRequest request, HttpRequest http, CurrentUser user, RescheduleWorkOrder handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> CheckIn(long id, CheckInRequest request, HttpRequest http, CurrentUser user, CheckInWorkOrder handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Complete(long id, CompleteRequest request, HttpRequest http, CurrentUser user, CompleteWorkOrder handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> EmptyTrip(long id, ReasonRequest request, HttpRequest http, CurrentUser user, RecordEmptyTrip handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Transfer(long id, TransferRequest request, HttpRequest http, CurrentUser user, TransferWorkOrder handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> ConfirmUnreachableCustomer(long id, ConfirmUnreachableRequest request, HttpRequest http, CurrentUser user, ConfirmUnreachable handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> DeclineTransfer(long id, DeclineTransferBody request, HttpRequest http, CurrentUser user, DeclineTransferRequest handler,
        CancellationToken ct) => TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> MealReport(long id, MealReportBody request, HttpRequest http, CurrentUser user, ReportMeal handler,
        CancellationToken ct) => TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> AskPriceApproval(long id, PriceApprovalAsk request, HttpRequest http, CurrentUser user, RequestPriceApproval handler,
        CancellationToken ct) => TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Acknowledge(long id, VersionOnlyRequest request, HttpRequest http, CurrentUser user, AcknowledgeCompletion handler,
        CancellationToken ct) => TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> AskPartTime(long id, PartTimeRequestBody request, HttpRequest http, CurrentUser user, RequestPartTimeDispatch handler,
        CancellationToken ct) => TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> DeclinePartTime(long id, DeclinePartTimeBody request, HttpRequest http, CurrentUser user, DeclinePartTimeDispatch handler,
        CancellationToken ct) => TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> AskTransfer(long id, TransferRequestBody request, HttpRequest http, CurrentUser user, RequestTransfer handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> ProgressCall(long id, ProgressCallRequest request, HttpRequest http, CurrentUser user, RecordProgressCall handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> ApprovePriceLine(long id, PriceApprovalRequest request, HttpRequest http, CurrentUser user, ApprovePrice handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Remittance(long id, RemittanceRequest request, HttpRequest http, CurrentUser user, RecordHandIns handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Remittance(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> PartsReturned(long id, HttpRequest http, CurrentUser user, RecordHandIns handler, CancellationToken ct, PartsReturnedRequest? request = null) =>
        TypedResults.Ok(await handler.PartsReturned(user, id, request ?? new PartsReturnedRequest(null, null, null, null), Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> SlipHandedIn(long id, HttpRequest http, CurrentUser user, RecordHandIns handler, CancellationToken ct, SlipHandedInRequest? request = null) =>
        TypedResults.Ok(await handler.SlipHandedIn(user, id, request ?? new SlipHandedInRequest(null, null), Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Cancel(long id, ReasonRequest request, HttpRequest http, CurrentUser user, CancelWorkOrder handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> Close(long id, HttpRequest http, CurrentUser user, CloseWorkOrder handler, CancellationToken ct, VersionOnlyRequest? request = null) =>
        TypedResults.Ok(await handler.Handle(user, id, request ?? new VersionOnlyRequest(null), Concurrency.IfMatch(http), ct));

    private static async Task<Ok<WorkOrderDto>> TripCategory(long id, TripCategoryRequest request, HttpRequest http, CurrentUser user, SetTripCategory handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Created<AttachmentCreated>> Upload(long id, IFormFile? file, [FromForm] string? kind, CurrentUser user, UploadAttachment handler, CancellationToken ct)
    {
        var created = await handler.Handle(user, id, file, kind, ct);
        return TypedResults.Created(created.Url, created);
    }

    private static async Task<FileContentHttpResult> Download(long id, long attachmentId, CurrentUser user, UploadAttachment handler, IBlobStore blobs, CancellationToken ct)
    {
        var a = await handler.Read(user, id, attachmentId, ct);
        return TypedResults.File(await blobs.ContentOf(a, ct), a.ContentType, a.FileName);
    }
}
