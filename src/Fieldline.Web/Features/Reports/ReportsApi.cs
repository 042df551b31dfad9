using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Reports.Kpis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Reports;

/// <summary>Reports and KPIs (issue 19): the figures of a period, read-only, for the dashboard and the company's BI tool.</summary>
public static class ReportsApi
{
    public static IServiceCollection AddReportsFeature(this IServiceCollection services) =>
        services.AddScoped<KpiFactReader>().AddScoped<ComputeKpis>().AddScoped<ExportKpis>().AddScoped<ComputeYearEnd>();

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/reports").RequireAuthorization().WithTags("Reports").ProducesValidationProblem().ProducesProblem(403);
        g.MapGet("/kpis", Kpis).ProducesProblem(404);
        g.MapGet("/year-end", YearEnd).ProducesProblem(404);
        g.MapGet("/year-end.xlsx", YearEndWorkbook).ProducesProblem(404).ProducesProblem(409);
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
}
