using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Complaints;

public static class ComplaintsApi
{
    public static IServiceCollection AddComplaintsFeature(this IServiceCollection services) => services
        .AddScoped<ComplaintAccess>().AddScoped<RegisterComplaint>().AddScoped<FindComplaints>().AddScoped<ProposeLateContactFine>()
        .AddScoped<VerifyComplaint>().AddScoped<RejectComplaint>().AddScoped<ResolveComplaint>().AddScoped<RecordComplaintFinding>();

    public static IEndpointRouteBuilder MapComplaintsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/complaints").RequireAuthorization().WithTags("Complaints")
            .ProducesValidationProblem().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        g.MapGet("/", List);
        g.MapPost("/", Register);
        g.MapGet("/{id:long}", Get);
        g.MapPost("/{id:long}/verify", Verify);
        g.MapPost("/{id:long}/reject", Reject);
        g.MapPost("/{id:long}/resolve", Resolve);
        g.MapPost("/{id:long}/findings", RecordFinding);
        g.MapGet("/{id:long}/finding-rules", FindingRules);
        return app;
    }

    private static async Task<Ok<Page<ComplaintSummaryDto>>> List([AsParameters] ComplaintQuery query, CurrentUser user, FindComplaints handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, query, ct));

    private static async Task<Created<ComplaintDto>> Register(RegisterComplaintRequest request, CurrentUser user, RegisterComplaint handler, CancellationToken ct)
    {
        var complaint = await handler.Handle(user, request, ct);
        return TypedResults.Created($"/api/complaints/{complaint.Id}", complaint);
    }

    private static async Task<Ok<ComplaintDto>> Get(long id, CurrentUser user, FindComplaints handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Get(user, id, ct));

    private static async Task<Ok<ComplaintDto>> Verify(long id, HttpRequest http, CurrentUser user, VerifyComplaint handler, CancellationToken ct, VerifyComplaintRequest? request = null) =>
        TypedResults.Ok(await handler.Handle(user, id, request ?? new VerifyComplaintRequest(null, null, null), Concurrency.IfMatch(http), ct));

    private static async Task<Ok<ComplaintDto>> Reject(long id, RejectComplaintRequest request, HttpRequest http, CurrentUser user, RejectComplaint handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    /// <summary>201 with the complaint when the finding is new; 200 when the same finding (rule, person) was already recorded.</summary>
    private static async Task<Results<Created<ComplaintDto>, Ok<ComplaintDto>>> RecordFinding(long id, RecordFindingRequest request, HttpRequest http, CurrentUser user,
        RecordComplaintFinding handler, CancellationToken ct)
    {
        var (complaint, created) = await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct);
        return created ? TypedResults.Created($"/api/complaints/{id}", complaint) : TypedResults.Ok(complaint);
    }

    private static async Task<Ok<IReadOnlyList<FindingRuleDto>>> FindingRules(long id, CurrentUser user, RecordComplaintFinding handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Options(user, id, ct));

    private static async Task<Ok<ComplaintDto>> Resolve(long id, ResolveComplaintRequest request, HttpRequest http, CurrentUser user, ResolveComplaint handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));
}
