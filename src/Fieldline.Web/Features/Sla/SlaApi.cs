using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Sla;

public static class SlaApi
{
    public static IServiceCollection AddSlaFeature(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(config.GetSection("Fieldline:Sla").Get<SlaOptions>() ?? new SlaOptions());
        services.AddScoped<SlaEngine>().AddScoped<SlaCalendars>().AddSingleton<SlaCalendars.Known>().AddScoped<BreachHandler>()
            .AddScoped<FindBreaches>().AddScoped<ManageCalendars>();
        services.AddSingleton<SlaTimer>();
        services.AddSingleton<IDueWork>(sp => sp.GetRequiredService<SlaTimer>());
        services.AddHostedService<DueWorkService>();
        return services;
    }

    public static IEndpointRouteBuilder MapSlaApi(this IEndpointRouteBuilder app)
    {
        var sla = app.MapGroup("/api/sla").RequireAuthorization().WithTags("SLA");
        sla.MapGet("/breaches", Breaches);
        var cal = app.MapGroup("/api/branches/{branchId:int}/calendar").RequireAuthorization().WithTags("Branches");
        cal.MapGet("/", (int branchId, CurrentUser user, ManageCalendars h, CancellationToken ct) => GetCalendar(branchId, user, h, ct));
        cal.MapPut("/", (int branchId, CalendarRequest body, CurrentUser user, ManageCalendars h, CancellationToken ct) => PutCalendar(branchId, body, user, h, ct));
        return app;
    }

    private static async Task<Ok<Page<BreachDto>>> Breaches([AsParameters] BreachQuery q, CurrentUser user, FindBreaches h, CancellationToken ct) =>
        TypedResults.Ok(await h.Handle(user, q, ct));

    private static async Task<Ok<CalendarDto>> GetCalendar(int branchId, CurrentUser user, ManageCalendars h, CancellationToken ct) =>
        TypedResults.Ok(await h.Get(user, branchId, ct));

    private static async Task<Ok<CalendarDto>> PutCalendar(int branchId, CalendarRequest body, CurrentUser user, ManageCalendars h, CancellationToken ct) =>
        TypedResults.Ok(await h.Put(user, branchId, body, ct));
}
