using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.People;

/// <summary>People: leave, suspensions, and the one eligibility rule that dispatch asks.</summary>
public static class PeopleApi
{
    public static IServiceCollection AddPeopleFeature(this IServiceCollection services, IConfiguration config) => services
        .AddSingleton(config.GetSection("Fieldline:Attendance").Get<AttendanceOptions>() ?? new AttendanceOptions())
        .AddScoped<TechnicianEligibility>().AddScoped<ShowEligibility>().AddScoped<RequestLeave>().AddScoped<LeaveDecisions>().AddScoped<SuspendTechnician>().AddScoped<RecordToolCheck>().AddScoped<ExtendLeave>().AddScoped<RecordCertificate>().AddScoped<ManageTrainings>().AddScoped<RecordHiring>().AddScoped<RecordLeaving>().AddScoped<ShowKitRound>().AddScoped<IssueCompanyTools>()
        .AddScoped<ShowAttendanceSheet>().AddScoped<JudgeAttendanceDay>().AddScoped<ExcuseJudgedDays>()
        .AddSingleton<JudgeAttendance>().AddSingleton<Infrastructure.Clock.IDueWork>(sp => sp.GetRequiredService<JudgeAttendance>())
        .AddSingleton<RemindUncheckedKits>().AddSingleton<Infrastructure.Clock.IDueWork>(sp => sp.GetRequiredService<RemindUncheckedKits>());

    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/technicians").RequireAuthorization().WithTags("People").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .MapGet("/{id:int}/eligibility", Eligibility);
        var employment = app.MapGroup("/api/technicians/{id:int}").RequireAuthorization().WithTags("People")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        employment.MapGet("/employment", Employment);
        employment.MapPost("/employment/items", RecordHiringItem);
        employment.MapPost("/employment/activate", Activate);
        employment.MapPost("/employment/uniform", IssueUniform);
        employment.MapGet("/employment/documents/{recordId:long}", HrDocument).Produces<byte[]>(200, "application/pdf", "image/jpeg", "image/png", "image/webp");
        employment.MapPost("/offboarding", StartOffboarding);
        employment.MapPost("/offboarding/items", RecordOffboardingItem);
        var leave = app.MapGroup("/api/leave-requests").RequireAuthorization().WithTags("People")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        leave.MapGet("/", ListLeave);
        leave.MapPost("/", RequestLeave);
        leave.MapPost("/{id:long}/approve", ApproveLeave);
        leave.MapPost("/{id:long}/refuse", RefuseLeave);
        leave.MapPost("/{id:long}/extend", ExtendLeave);
        var suspensions = app.MapGroup("/api/suspensions").RequireAuthorization().WithTags("People").ProducesValidationProblem().ProducesProblem(403);
        suspensions.MapGet("/", ListSuspensions);
        suspensions.MapPost("/", Suspend);
        var tools = app.MapGroup("/api/tool-checks").RequireAuthorization().WithTags("People").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);
        tools.MapGet("/", ListToolChecks);
        tools.MapPost("/", RecordToolCheck);
        tools.MapGet("/round", KitRound);
        var companyTools = app.MapGroup("/api/company-tools").RequireAuthorization().WithTags("People")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        companyTools.MapGet("/", ListCompanyTools);
        companyTools.MapPost("/", IssueCompanyTool);
        companyTools.MapPost("/{id:long}/return", ReturnCompanyTool);
        companyTools.MapPost("/{id:long}/report-loss", ReportCompanyToolLoss);
        var certificates = app.MapGroup("/api/certificates").RequireAuthorization().WithTags("People").ProducesValidationProblem().ProducesProblem(403);
        certificates.MapGet("/", ListCertificates);
        certificates.MapPost("/", RecordCertificate);
        certificates.MapGet("/{id:long}/scan", CertificateScan).ProducesProblem(404).Produces<byte[]>(200, "application/pdf", "image/jpeg", "image/png", "image/webp");
        var trainings = app.MapGroup("/api/trainings").RequireAuthorization().WithTags("People")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        trainings.MapGet("/", ListTrainings);
        trainings.MapPost("/", CreateTraining);
        trainings.MapPost("/{id:long}/attendance", RecordTrainingAttendance);
        app.MapGroup("/api/attendance").RequireAuthorization().WithTags("Attendance").ProducesValidationProblem().ProducesProblem(403)
            .MapGet("/days", AttendanceDays);
        return app;
    }

    private static async Task<Ok<AttendanceSheetDto>> AttendanceDays(int? branchId, DateOnly? from, DateOnly? to, CurrentUser user, ShowAttendanceSheet h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, branchId, from, to, ct));

    private static async Task<Ok<EmploymentDto>> Employment(int id, CurrentUser user, RecordHiring h, CancellationToken ct) =>
        TypedResults.Ok(await h.Show(user, id, ct));

    private static async Task<Ok<EmploymentDto>> RecordHiringItem(int id, HiringItemBody request, CurrentUser user, RecordHiring h, CancellationToken ct) =>
        TypedResults.Ok(await h.RecordItem(user, id, request, ct));

    private static async Task<Ok<EmploymentDto>> Activate(int id, CurrentUser user, RecordHiring h, CancellationToken ct) =>
        TypedResults.Ok(await h.Activate(user, id, ct));

    private static async Task<Ok<EmploymentDto>> IssueUniform(int id, UniformBody request, CurrentUser user, RecordHiring h, CancellationToken ct) =>
        TypedResults.Ok(await h.IssueUniform(user, id, request, ct));

    private static async Task<FileContentHttpResult> HrDocument(int id, long recordId, CurrentUser user, RecordHiring h, CancellationToken ct)
    {
        var (content, type, name) = await h.Document(user, id, recordId, ct);
        return TypedResults.File(content, type, name);
    }

    private static async Task<Ok<EmploymentDto>> StartOffboarding(int id, OffboardingBody request, CurrentUser user, RecordLeaving h, CancellationToken ct) =>
        TypedResults.Ok(await h.Start(user, id, request, ct));

    private static async Task<Ok<EmploymentDto>> RecordOffboardingItem(int id, OffboardingItemBody request, CurrentUser user, RecordLeaving h, CancellationToken ct) =>
        TypedResults.Ok(await h.RecordItem(user, id, request, ct));

    private static async Task<Ok<EligibilityDto>> Eligibility(int id, DateOnly? date, long? workOrderId, CurrentUser user, ShowEligibility h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, id, date, workOrderId, ct));

    private static async Task<Ok<Page<LeaveRequestDto>>> ListLeave(int? technicianId, string? status, DateOnly? from, DateOnly? to, int? page, int? pageSize,
        CurrentUser user, LeaveDecisions h, CancellationToken ct) =>
        TypedResults.Ok(await h.List(user, technicianId, status, from, to, page, pageSize, ct));

    private static async Task<Created<LeaveRequestDto>> RequestLeave(LeaveRequestBody request, CurrentUser user, RequestLeave h, CancellationToken ct)
    {
        var dto = await h.Handle(user, request, ct);
        return TypedResults.Created($"/api/leave-requests/{dto.Id}", dto);
    }

    private static async Task<Ok<LeaveRequestDto>> ApproveLeave(long id, HttpRequest http, CurrentUser user, LeaveDecisions h, CancellationToken ct, LeaveDecisionBody? request = null) =>
        TypedResults.Ok(await h.Approve(user, id, request ?? new LeaveDecisionBody(null, null), Concurrency.IfMatch(http), ct));

    private static async Task<Ok<LeaveRequestDto>> RefuseLeave(long id, LeaveDecisionBody request, HttpRequest http, CurrentUser user, LeaveDecisions h, CancellationToken ct) =>
        TypedResults.Ok(await h.Refuse(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Created<LeaveRequestDto>> ExtendLeave(long id, ExtendLeaveBody request, CurrentUser user, ExtendLeave h, CancellationToken ct)
    {
        var dto = await h.Handle(user, id, request, ct);
        return TypedResults.Created($"/api/leave-requests/{dto.Id}", dto);
    }

    private static async Task<Ok<Page<SuspensionDto>>> ListSuspensions(int? technicianId, DateOnly? from, DateOnly? to, int? page, int? pageSize,
        CurrentUser user, SuspendTechnician h, CancellationToken ct) =>
        TypedResults.Ok(await h.List(user, technicianId, from, to, page, pageSize, ct));

    private static async Task<Created<SuspensionDto>> Suspend(SuspensionBody request, CurrentUser user, SuspendTechnician h, CancellationToken ct)
    {
        var dto = await h.Handle(user, request, ct);
        return TypedResults.Created($"/api/suspensions/{dto.Id}", dto);
    }

    /// <param name="mine">Only the caller's own checks (the phone's 我的工具; office roles otherwise read their branch's).</param>
    private static async Task<Ok<Page<ToolCheckDto>>> ListToolChecks(int? technicianId, DateOnly? from, DateOnly? to, int? page, int? pageSize, bool? mine,
        CurrentUser user, RecordToolCheck h, CancellationToken ct) =>
        TypedResults.Ok(await h.List(user, technicianId, from, to, page, pageSize, ct, mine == true));

    private static async Task<Created<ToolCheckDto>> RecordToolCheck(ToolCheckBody request, CurrentUser user, RecordToolCheck h, CancellationToken ct)
    {
        var dto = await h.Handle(user, request, ct);
        return TypedResults.Created($"/api/tool-checks/{dto.Id}", dto);
    }

    private static async Task<Ok<KitRoundDto>> KitRound(int? branchId, CurrentUser user, ShowKitRound h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, branchId, ct));

    /// <param name="mine">Only the tools issued to the caller (the phone's 我的工具; office roles otherwise read their branch's).</param>
    private static async Task<Ok<Page<CompanyToolDto>>> ListCompanyTools(int? technicianId, string? status, int? page, int? pageSize, bool? mine, CurrentUser user,
        IssueCompanyTools h, CancellationToken ct) =>
        TypedResults.Ok(await h.List(user, technicianId, status, page, pageSize, ct, mine == true));

    private static async Task<Created<CompanyToolDto>> IssueCompanyTool(IssueToolBody request, CurrentUser user, IssueCompanyTools h, CancellationToken ct)
    {
        var dto = await h.Issue(user, request, ct);
        return TypedResults.Created($"/api/company-tools/{dto.Id}", dto);
    }

    private static async Task<Ok<CompanyToolDto>> ReturnCompanyTool(long id, CloseToolBody request, CurrentUser user, IssueCompanyTools h, CancellationToken ct) =>
        TypedResults.Ok(await h.Return(user, id, request, ct));

    private static async Task<Ok<CompanyToolDto>> ReportCompanyToolLoss(long id, CloseToolBody request, CurrentUser user, IssueCompanyTools h, CancellationToken ct) =>
        TypedResults.Ok(await h.ReportLoss(user, id, request, ct));

    private static async Task<FileContentHttpResult> CertificateScan(long id, CurrentUser user, RecordCertificate h, CancellationToken ct)
    {
        var (content, type, name) = await h.Scan(user, id, ct);
        return TypedResults.File(content, type, name);
    }

    private static async Task<Ok<Page<CertificateDto>>> ListCertificates(int? technicianId, int? page, int? pageSize, CurrentUser user, RecordCertificate h, CancellationToken ct) =>
        TypedResults.Ok(await h.List(user, technicianId, page, pageSize, ct));

    private static async Task<Created<CertificateDto>> RecordCertificate(CertificateBody request, CurrentUser user, RecordCertificate h, CancellationToken ct)
    {
        var dto = await h.Handle(user, request, ct);
        return TypedResults.Created($"/api/certificates/{dto.Id}", dto);
    }

    private static async Task<Ok<Page<TrainingDto>>> ListTrainings(DateOnly? from, DateOnly? to, int? page, int? pageSize, CurrentUser user, ManageTrainings h, CancellationToken ct) =>
        TypedResults.Ok(await h.List(user, from, to, page, pageSize, ct));

    private static async Task<Created<TrainingDto>> CreateTraining(TrainingBody request, CurrentUser user, ManageTrainings h, CancellationToken ct)
    {
        var dto = await h.Create(user, request, ct);
        return TypedResults.Created($"/api/trainings/{dto.Id}", dto);
    }

    private static async Task<Ok<TrainingDto>> RecordTrainingAttendance(long id, TrainingAttendanceBody request, CurrentUser user, ManageTrainings h, CancellationToken ct) =>
        TypedResults.Ok(await h.RecordAttendance(user, id, request, ct));
}
