using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Attendance;
using Fieldline.Web.Features.Billing;
using Fieldline.Web.Features.Calls;
using Fieldline.Web.Features.Claims;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Demo;
using Fieldline.Web.Features.Depot;
using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Maps;
using Fieldline.Web.Features.Quality;
using Fieldline.Web.Features.Mobile;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Parts;
using Fieldline.Web.Features.ReturnVisits;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Trips;
using Fieldline.Web.Features.Reports;
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
// Run from the build output (tests, `dotnet run`, the demo) in any environment, MapStaticAssets finds its compressed
// files through the build's manifest; a published app has them beside it and this does nothing.
builder.WebHost.UseStaticWebAssets();

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
    .AddScoped<BranchZones>().AddSingleton<BranchZones.Known>()
    .AddIdentityFeature()
    .AddTechniciansFeature()
    .AddPeopleFeature(config)
    .AddTripsFeature()
    .AddCustomersFeature()
    .AddPolicyFeature()
    .AddSlaFeature(config)
    .AddNotificationsFeature(config)
    .AddWorkOrdersFeature()
    .AddCallsFeature()
    .AddComplaintsFeature()
    .AddReturnVisitsFeature()
    .AddQualityFeature()
    .AddAttendanceFeature()
    .AddEvaluationFeature()
    .AddDispatchFeature()
    .AddReportsFeature(config)
    .AddMapsFeature(config)
    .AddMobileFeature(config)
    .AddPartsFeature()
    .AddDepotFeature()
    .AddClaimsFeature()
    .AddBillingFeature()
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
app.UseServiceWorkerScope(); // the phone app's worker may control "/m" as well as "/m/" (offline from either)
app.UseStaticFiles(); // only what MapStaticAssets below does not know (a file that appeared after the build)
app.UseAuthentication();
app.UseRequestLocalization(); // after authentication: an API caller's saved language is a claim of their token
app.UseAuthorization();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapStaticAssets(); // wwwroot as build-time endpoints: compressed (br, gzip), ETags, cached; before the API routes
app.MapHealth();
app.MapTelemetry();
app.MapOpenApi();
app.MapIdentityApi();
app.MapTechniciansApi();
app.MapPeopleApi();
app.MapTripsApi();
app.MapCustomersApi();
app.MapPolicyApi();
app.MapWorkOrdersApi();
app.MapCallsApi();
app.MapComplaintsApi();
app.MapReturnVisitsApi();
app.MapQualityApi();
app.MapAttendanceApi();
app.MapBillingApi();
app.MapPartsApi();
app.MapDepotApi();
app.MapClaimsApi();
app.MapSlaApi();
app.MapEvaluationApi();
app.MapNotificationsApi();
app.MapDispatchApi();
app.MapReportsApi();
app.MapMapsApi();
app.MapMobileApi();
app.MapMessageCatalogue();
app.MapSandboxApi();
app.MapConsole();

await app.Services.PrepareFreshDatabaseInChildAsync(app.Logger);
await app.Services.PrepareDatabaseAsync(app.Logger);
if (Startup.PrepareOnly)
{
    // The child that prepared a fresh database also runs the timers once (the seeded clocks already due, the notices
    // they queue), so the serving process starts with nothing to catch up on.
    foreach (var work in app.Services.GetServices<Fieldline.Web.Infrastructure.Clock.IDueWork>()) await work.RunDueAsync(default);
    return;
}
await app.RunAsync();
