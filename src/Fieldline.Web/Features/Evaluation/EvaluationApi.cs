using Microsoft.EntityFrameworkCore;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Features.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Features.Evaluation;

public sealed record EvaluationEligibilityDto(int PersonUserId, string Month, string Kind, int Count, bool Revoked, DateTimeOffset? RevokedAt, string? RuleId, IReadOnlyList<long> EvidenceWorkOrderIds);

public static class EvaluationApi
{
    public static IServiceCollection AddEvaluationFeature(this IServiceCollection services) => services
        .AddScoped<ProposePenaltyCase>().AddScoped<FindPayLedger>().AddScoped<ClosePayPeriod>().AddScoped<ManagePenaltyCases>().AddScoped<RecordPrivateJob>().AddScoped<RecordBrandFine>().AddScoped<RecordLeak>()
        .AddScoped<RecordViolation>().AddScoped<DecideDismissalReview>().AddScoped<AppealPenaltyCase>().AddScoped<DecideAppeal>()
        .AddScoped<ComputePay>().AddScoped<TakeBackDailyBonus>().AddScoped<PayBackDailyBonus>().AddScoped<FindPayStatements>().AddScoped<RenderPayStatement>()
        .AddScoped<FindAssessments>().AddScoped<ScoreAssessment>();

    public static IEndpointRouteBuilder MapEvaluationApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/penalty-cases").RequireAuthorization().WithTags("Evaluation")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        cases.MapGet("/", Cases);
        cases.MapPost("/private-job", PrivateJob);
        cases.MapPost("/{id:long}/confirm", (long id, CurrentUser user, ManagePenaltyCases h, CancellationToken ct, PenaltyDecision? body = null) => Decide(id, true, body, user, h, ct));
        cases.MapPost("/{id:long}/appeal", Appeal);
        cases.MapPost("/{id:long}/appeal-decision", AppealDecision);
        cases.MapPost("/{id:long}/dismiss", (long id, PenaltyDecision body, CurrentUser user, ManagePenaltyCases h, CancellationToken ct) => Decide(id, false, body, user, h, ct));
        app.MapPost("/api/work-orders/{id:long}/brand-fines", BrandFine).RequireAuthorization().WithTags("Evaluation")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        app.MapPost("/api/work-orders/{id:long}/leak-findings", Leak).RequireAuthorization().WithTags("Evaluation")
            .WithSummary("Record an installation-caused leak found on a repair: the installer's chargeback and the repair technician's subsidy (INS-29/30, SC-21)")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        app.MapPost("/api/violations", Violation).RequireAuthorization().WithTags("Evaluation")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        var reviews = app.MapGroup("/api/dismissal-reviews").RequireAuthorization().WithTags("Evaluation");
        reviews.MapGet("/", Reviews);
        reviews.MapPost("/{id:long}/decide", DecideReview);
        app.MapGet("/api/sla/eligibility", Eligibility).RequireAuthorization().WithTags("Evaluation");
        var g = app.MapGroup("/api/pay-ledger").RequireAuthorization().WithTags("Evaluation")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/", List);
        g.MapGet("/periods", Periods);
        g.MapPost("/periods/close", Close);
        // Issue 15 names the close also as /api/pay-periods/close: the same use case under both names.
        app.MapPost("/api/pay-periods/close", Close).RequireAuthorization().WithTags("Evaluation")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        var statements = app.MapGroup("/api/pay-statements").RequireAuthorization().WithTags("Evaluation")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        statements.MapGet("/", Statements);
        statements.MapGet("/workbook.xlsx", StatementWorkbook).Produces(200, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        statements.MapGet("/{personUserId:int}/{month}.pdf", StatementPdf).Produces(200, contentType: "application/pdf");
        var assessments = app.MapGroup("/api/assessments").RequireAuthorization().WithTags("Evaluation")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        assessments.MapGet("/", Assessments);
        assessments.MapPut("/{personUserId:int}/{month}", Score).ProducesProblem(409).ProducesProblem(412);
        return app;
    }

    private static async Task<Ok<AssessmentPage>> Assessments(string? month, int? branchId, int? personUserId, CurrentUser user, FindAssessments h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, month, branchId, personUserId, ct));

    private static async Task<Ok<AssessmentDto>> Score(int personUserId, string month, ScoreAssessmentBody body, HttpRequest request, CurrentUser user, ScoreAssessment h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, personUserId, month, body, Concurrency.IfMatch(request), ct));

    /// <param name="page">With pageSize: one page of the people (1-based, at most 200 a page); without both, every person's statement.</param>
    /// <param name="q">Only people whose name contains it.</param>
    private static async Task<Ok<PayStatementPage>> Statements(string? month, int? personUserId, int? branchId, int? page, int? pageSize, string? q,
        CurrentUser user, FindPayStatements h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, month, personUserId, branchId, ct, page, pageSize, q));

    private static async Task<FileContentHttpResult> StatementPdf(int personUserId, string month, CurrentUser user, RenderPayStatement h, CancellationToken ct) =>
        TypedResults.File(await h.Pdf(user, personUserId, month, ct), "application/pdf", $"pay-statement-{personUserId}-{month}.pdf");

    private static async Task StatementWorkbook(string? month, int? branchId, HttpResponse response, CurrentUser user, RenderPayStatement h, CancellationToken ct)
    {
        var (shown, write) = await h.Workbook(user, month, branchId, ct); // a bad month answers 400 here, before any byte of the workbook
        response.ContentType = WorkOrders.ExportWorkOrders.ContentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"pay-statements-{shown}.xlsx\"";
        await write(WorkOrders.ExportWorkOrders.Body(response.HttpContext), ct);
    }

    private static async Task<Ok<PayLedgerPage>> List([AsParameters] PayLedgerQuery query, CurrentUser user, FindPayLedger handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, query, ct));

    private static async Task<Ok<IReadOnlyList<PayPeriodDto>>> Periods(int? branchId, CurrentUser user, ClosePayPeriod handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Closed(user, branchId ?? user.BranchId, ct));

    private static async Task<Ok<PayPeriodDto>> Close(ClosePayPeriodRequest request, CurrentUser user, ClosePayPeriod handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, request, ct));

    private static async Task<Ok<Page<PenaltyCaseDto>>> Cases(string? state, int? personUserId, bool? mine, long? workOrderId, long? complaintId, int? page, int? pageSize,
        CurrentUser user, ManagePenaltyCases h, CancellationToken ct, string? appeal = null) =>
        TypedResults.Ok(await h.List(user, state, personUserId, mine, workOrderId, complaintId, page, pageSize, ct, appeal));

    private static async Task<Ok<PenaltyCaseDto>> Appeal(long id, AppealRequest body, CurrentUser user, AppealPenaltyCase h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, id, body, ct));

    private static async Task<Ok<PenaltyCaseDto>> AppealDecision(long id, AppealDecisionRequest body, CurrentUser user, DecideAppeal h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, id, body, ct));

    private static async Task<Ok<PenaltyCaseDto>> Decide(long id, bool confirm, PenaltyDecision? body, CurrentUser user, ManagePenaltyCases h, CancellationToken ct) =>
        TypedResults.Ok(await h.Decide(user, id, confirm, body ?? new PenaltyDecision(null, null, null), ct));

    private static async Task<Ok<BrandFineResult>> BrandFine(long id, BrandFineRequest body, HttpRequest http, CurrentUser user, RecordBrandFine h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, id, body, Concurrency.IfMatch(http), ct));

    private static async Task<Ok<LeakResult>> Leak(long id, LeakRequest body, HttpRequest http, CurrentUser user, RecordLeak h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, id, body, Concurrency.IfMatch(http), ct));

    public sealed record ReviewDto(long Id, int PersonUserId, string RuleIds, string Reason, System.Text.Json.JsonElement Evidence, string State,
        DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecidedBy, string? DecisionNote, int Version, long? PenaltyCaseId)
    {
        public static ReviewDto From(DismissalReview r) => new(r.Id, r.PersonUserId, r.RuleIds, Infrastructure.Localization.StoredText.Render(r.Reason),
            System.Text.Json.JsonDocument.Parse(r.EvidenceJson).RootElement.Clone(), JsonNames.Of(r.State), r.CreatedAt, r.DecidedAt, r.DecidedBy,
            Infrastructure.Localization.StoredText.Render(r.DecisionNote), r.Version,
            r.PenaltyCaseId);
    }

    /// <summary>Dismissal reviews opened by the rules, for managers: never acted on automatically.</summary>
    private static async Task<Ok<IReadOnlyList<ReviewDto>>> Reviews(string? state, CurrentUser user, DecideDismissalReview h, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<ReviewDto>>((await h.List(user, state, ct)).Select(ReviewDto.From).ToList());

    private static async Task<Ok<ReviewDto>> DecideReview(long id, ReviewDecision body, CurrentUser user, DecideDismissalReview h, CancellationToken ct) =>
        TypedResults.Ok(ReviewDto.From(await h.Handle(user, id, body, ct)));

    /// <summary>Monthly counters that cost evaluation eligibility; a technician sees their own.</summary>
    private static async Task<Ok<IReadOnlyList<EvaluationEligibilityDto>>> Eligibility(string? month, int? personUserId, CurrentUser user, AppDbContext db, CancellationToken ct)
    {
        var query = db.EligibilityCounters.AsNoTracking();
        if (user.IsOnlyTechnician) query = query.Where(c => c.PersonUserId == user.UserId);
        else
        {
            user.RequireAny("read evaluation eligibility", Roles.Office);
            if (!user.IsHeadOffice) query = query.Where(c => c.BranchId == user.BranchId);
        }
        if (month is not null)
        {
            var m = PayPeriod.Require(month);
            query = query.Where(c => c.Month == m);
        }
        if (personUserId is { } p) query = query.Where(c => c.PersonUserId == p);
        var rows = await query.OrderBy(c => c.Month).ThenBy(c => c.PersonUserId).Take(1000).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<EvaluationEligibilityDto>>(rows.Select(c => new EvaluationEligibilityDto(c.PersonUserId, c.Month.ToString("yyyy-MM"), c.Kind, c.Count,
            c.RevokedAt is not null, c.RevokedAt, c.RuleId, c.Evidence)).ToList());
    }

    private static async Task<Ok<ViolationResult>> Violation(RecordViolationRequest body, CurrentUser user, RecordViolation h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, body, ct));

    private static async Task<Ok<PrivateJobResult>> PrivateJob(PrivateJobFinding request, CurrentUser user, RecordPrivateJob handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, request, ct));
}
