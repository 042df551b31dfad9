using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Attendance;
using Fieldline.Web.Features.Billing;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Demo;
using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Maps;
using Fieldline.Web.Features.Mobile;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Auth;
using Fieldline.Web.Infrastructure.Blobs;
using Fieldline.Web.Infrastructure.Health;
using Fieldline.Web.Infrastructure.Telemetry;
using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure;
using Fieldline.Web.Infrastructure.Idempotency;
using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Pages;

var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;

builder.Services
    .AddHttpContextAccessor()
    .AddTelemetry(config)
    .AddClock(config, builder.Environment)
    .AddHealth()
    .AddAppDb(config)
    .AddBlobStore(config)
    .AddFieldlineAuth(config)
    .AddHttpConventions()
    .AddFieldlineLocalization()
    .AddIdempotency(config)
    .AddSingleton(config.GetSection("Fieldline").Get<DemoOptions>() ?? new DemoOptions())
    .AddScoped<DemoData>()
    .AddScoped<BranchZones>()
    .AddIdentityFeature()
    .AddTechniciansFeature()
    .AddPeopleFeature(config)
    .AddCustomersFeature()
    .AddPolicyFeature()
    .AddSlaFeature(config)
    .AddNotificationsFeature(config)
    .AddWorkOrdersFeature()
    .AddComplaintsFeature()
    .AddAttendanceFeature()
    .AddEvaluationFeature()
    .AddDispatchFeature()
    .AddMapsFeature(config)
    .AddMobileFeature(config)
    .AddConsole();

var app = builder.Build();

app.UseMiddleware<RequestLogging>(); // outermost: it logs the status the caller got, after the problem handlers below
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSecurityHeaders(app.Services.GetRequiredService<MapOptions>().TileOrigins()); // the map tiles' hosts may serve images
app.UseInputRules(); // control characters in query strings and forms; JSON bodies are checked as they are read
app.UseConsole();
// Explicit, after the console's status-code pages, so a re-executed /error/404 is routed to its page.
app.UseRouting();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseRequestLocalization(); // after authentication: an API caller's saved language is a claim of their token
app.UseAuthorization();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapHealth();
app.MapTelemetry();
app.MapOpenApi();
app.MapIdentityApi();
app.MapTechniciansApi();
app.MapPeopleApi();
app.MapCustomersApi();
app.MapPolicyApi();
app.MapWorkOrdersApi();
app.MapComplaintsApi();
app.MapAttendanceApi();
app.MapBillingApi();
app.MapSlaApi();
app.MapEvaluationApi();
app.MapNotificationsApi();
app.MapDispatchApi();
app.MapMapsApi();
app.MapMobileApi();
app.MapMessageCatalogue();
app.MapSandboxApi();
app.MapConsole();

await app.Services.PrepareDatabaseAsync(app.Logger);
await app.RunAsync();
