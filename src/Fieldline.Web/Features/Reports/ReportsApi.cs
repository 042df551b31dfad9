using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Reports.Archive;
using Fieldline.Web.Features.Reports.Kpis;
using Fieldline.Web.Features.Reports.Plans;
using Fieldline.Web.Features.Reports.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Reports;

/// <summary>Reports and KPIs (issue 19): the figures of a period, read-only, for the dashboard and the company's BI tool.</summary>
public static class ReportsApi
{
    public static IServiceCollection AddReportsFeature(this IServiceCollection services, IConfiguration config) =>
        services.AddScoped<KpiFactReader>().AddScoped<ComputeKpis>().AddScoped<ExportKpis>().AddScoped<ComputeYearEnd>()
            .AddScoped<ComputeFaults>().AddScoped<ComposeReport>().AddScoped<BuildReport>().AddScoped<FindArchive>().AddScoped<BuildReportNow>().AddScoped<RenderReportDocument>().AddScoped<ReportAttachments>()
            .AddScoped<FindWeeklyPlans>().AddScoped<SubmitWeeklyPlan>().AddScoped<ApproveWeeklyPlan>().AddScoped<RemindLatePlan>()
            .AddScoped<FindTechnicalProblems>().AddScoped<RaiseTechnicalProblem>().AddScoped<AnswerTechnicalProblem>()
            .AddSingleton(config.GetSection("Fieldline:Reports").Get<ReportOptions>() ?? new ReportOptions())
            .AddSingleton<BuildDueReports>().AddSingleton<Infrastructure.Clock.IDueWork>(sp => sp.GetRequiredService<BuildDueReports>())
            .AddSingleton<FoldClockHours>().AddSingleton<Infrastructure.Clock.IDueWork>(sp => sp.GetRequiredService<FoldClockHours>());

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/reports").RequireAuthorization().WithTags("Reports").ProducesValidationProblem().ProducesProblem(403);
        g.MapGet("/kpis", Kpis).ProducesProblem(404);
        g.MapGet("/year-end", YearEnd).ProducesProblem(404);
        g.MapGet("/year-end.xlsx", YearEndWorkbook).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/faults", Faults).ProducesProblem(404);
        g.MapGet("/archive", Archive).ProducesProblem(404);
        g.MapPost("/archive", BuildNow).ProducesProblem(404);
        g.MapGet("/archive/{id:long}.pdf", ArchivePdf).ProducesProblem(404);
        g.MapGet("/archive/{id:long}.xlsx", ArchiveWorkbook).ProducesProblem(404);
        g.MapGet("/plans", Plans).ProducesProblem(404);
        g.MapPost("/plans", SubmitPlan).ProducesProblem(404).ProducesProblem(409);
        g.MapPost("/plans/{id:long}/approve", ApprovePlan).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/problems", Problems).ProducesProblem(404);
        g.MapPost("/problems", RaiseProblem).ProducesProblem(404);
        g.MapPost("/problems/{id:long}/answer", AnswerProblem).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    private static async Task<Ok<KpiReport>> Kpis(DateOnly? from, DateOnly? to, int? branchId, string? groupBy, CurrentUser user, ComputeKpis handler,
        CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, new KpiQuery(from, to, branchId, groupBy), ct));

    private static async Task<Ok<YearEndDto>> YearEnd(int? year, int? branchId, CurrentUser user, ComputeYearEnd handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, year, branchId, ct));

    private static async Task YearEndWorkbook(int? year, int? branchId, HttpContext http, CurrentUser user, ComputeYearEnd handler, CancellationToken ct)
    {
        var (report, write) = await handler.Publish(user, year, branchId, ct);
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName($"year-end-{report.Year}.xlsx");
        http.Response.ContentType = WorkOrders.ExportWorkOrders.ContentType;
        http.Response.Headers.ContentDisposition = disposition.ToString();
        await write(WorkOrders.ExportWorkOrders.Body(http), ct);
    }

    private static async Task<Ok<FaultStatistics>> Faults(DateOnly? from, DateOnly? to, int? branchId, CurrentUser user, ComputeFaults handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, from, to, branchId, ct));

    private static async Task<Ok<ReportArchive>> Archive(string? kind, int? branchId, DateOnly? from, DateOnly? to, CurrentUser user, FindArchive handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, new ArchiveQuery(kind, branchId, from, to), ct));

    private static async Task<Ok<ReportDocumentDto>> BuildNow(BuildReportRequest request, CurrentUser user, BuildReportNow handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, request, ct));

    private static async Task<FileContentHttpResult> ArchivePdf(long id, CurrentUser user, FindArchive handler, RenderReportDocument render, CancellationToken ct)
    {
        var (d, branch, zone) = await handler.One(user, id, ct);
        return TypedResults.File(render.Pdf(d, branch, TimeZoneInfo.ConvertTime(d.BuiltAt, zone)), RenderReportDocument.PdfType, RenderReportDocument.FileName(d, "pdf"));
    }

    private static async Task<FileContentHttpResult> ArchiveWorkbook(long id, CurrentUser user, FindArchive handler, RenderReportDocument render, CancellationToken ct)
    {
        var (d, branch, _) = await handler.One(user, id, ct);
        return TypedResults.File(await render.Workbook(d, branch, ct), RenderReportDocument.XlsxType, RenderReportDocument.FileName(d, "xlsx"));
    }

    private static async Task<Ok<IReadOnlyList<WeeklyPlanDto>>> Plans(int? branchId, CurrentUser user, FindWeeklyPlans handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, branchId, 8, ct));

    private static async Task<Ok<WeeklyPlanDto>> SubmitPlan(WeeklyPlanRequest request, CurrentUser user, SubmitWeeklyPlan handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, request, ct));

    private static async Task<Ok<WeeklyPlanDto>> ApprovePlan(long id, CurrentUser user, ApproveWeeklyPlan handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, ct));

    private static async Task<Ok<IReadOnlyList<TechnicalProblemDto>>> Problems(int? branchId, bool? open, DateOnly? from, DateOnly? to, bool? mine, CurrentUser user,
        FindTechnicalProblems handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, branchId, open, from, to, ct, mine ?? false));

    private static async Task<Created<TechnicalProblemDto>> RaiseProblem(TechnicalProblemRequest request, CurrentUser user, RaiseTechnicalProblem handler, CancellationToken ct)
    {
        var p = await handler.Handle(user, request, ct);
        return TypedResults.Created($"/api/reports/problems/{p.Id}", p);
    }

    private static async Task<Ok<TechnicalProblemDto>> AnswerProblem(long id, TechnicalAnswerRequest request, CurrentUser user, AnswerTechnicalProblem handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, ct));
}
