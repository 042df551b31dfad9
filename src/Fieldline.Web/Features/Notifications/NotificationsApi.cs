using System.Text.Json;
using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fieldline.Web.Features.Notifications;

public sealed record NotificationDto(long Id, string Kind, string Title, string Body, long? WorkOrderId, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

public static class NotificationsApi
{
    public static IServiceCollection AddNotificationsFeature(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Fieldline:Deliveries").Get<DeliveryOptions>() ?? new DeliveryOptions();
        services.AddSingleton(options);
        services.AddSingleton<LiveFeed>();
        // Several nodes share PostgreSQL, so live push goes through it (LISTEN/NOTIFY); SQLite is one node, in-process.
        var database = config.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.IsPostgres)
        {
            services.AddSingleton(_ => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(config.GetConnectionString("Postgres")) { KeepAlive = 15 }.ConnectionString));
            services.AddSingleton<PostgresLiveTransport>();
            services.AddSingleton<ILiveTransport>(sp => sp.GetRequiredService<PostgresLiveTransport>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresLiveTransport>());
        }
        else services.AddSingleton<ILiveTransport, InProcessLiveTransport>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton<IDueWork>(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddScoped<ManageDeliveries>();
        services.AddScoped<ReadNotifications>();
        if (!string.IsNullOrEmpty(config["Fieldline:Sms:Url"]))
            services.AddHttpClient<ISmsSender, HttpSmsSender>(c => c.Timeout = TimeSpan.FromSeconds(options.SmsTimeoutSeconds));
        else services.AddSingleton<ISmsSender, LogSmsSender>();
        // Report e-mails (issue 19): the options stay one object, so an admin's configuration reload or a test can switch SMTP on.
        services.AddSingleton(config.GetSection("Fieldline:Smtp").Get<SmtpOptions>() ?? new SmtpOptions());
        services.AddSingleton<IEmailSender, SmtpEmailSender>();
        return services;
    }

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/notifications").RequireAuthorization().WithTags("Notifications");
        g.MapGet("/", List);
        g.MapPost("/{id:long}/read", Read);
        g.MapPost("/read-all", ReadAll);
        g.MapGet("/stream", Stream);
        var d = app.MapGroup("/api/deliveries").RequireAuthorization().WithTags("Notifications");
        d.MapGet("/", Deliveries);
        d.MapPost("/{id:long}/retry", Retry);
        return app;
    }

    /// <summary>The caller's own notifications, newest first; times in the zone of the caller's branch (as the console shows them).</summary>
    private static async Task<Ok<Page<NotificationDto>>> List(bool? unread, string? kind, int? page, int? pageSize, CurrentUser user, AppDbContext db, BranchZones zones, HttpContext http, CancellationToken ct)
    {
        var (skip, take) = Paging.Check(page, pageSize);
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == user.UserId);
        if (unread == true) query = query.Where(n => n.ReadAt == null);
        if (!string.IsNullOrEmpty(kind)) query = query.Where(n => n.Kind == kind);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(n => n.Id).Skip(skip).Take(take).ToListAsync(ct);
        var culture = LocalizationSetup.CultureOf(http);
        var zone = await zones.For(user.BranchId, ct);
        var items = rows.Select(n => new NotificationDto(n.Id, n.Kind, StoredText.Render(n.Title, culture), StoredText.Render(n.Body, culture), n.WorkOrderId,
            BranchTime.Local(n.CreatedAt, zone), BranchTime.Local(n.ReadAt, zone))).ToList();
        return TypedResults.Ok(new Page<NotificationDto>(items, total));
    }

    private static async Task<Results<NoContent, NotFound>> Read(long id, CurrentUser user, ReadNotifications handler, CancellationToken ct) =>
        await handler.One(user, id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    /// <summary>全部已读: the caller's unread notifications up to <c>upToId</c> (the newest the reader has seen), or all.</summary>
    private static async Task<Ok<ReadAllResult>> ReadAll(ReadAllRequest? request, CurrentUser user, ReadNotifications handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.All(user, request?.UpToId, ct));

    private static async Task<Ok<Page<DeliveryDto>>> Deliveries(string? state, int? page, int? pageSize, CurrentUser user, ManageDeliveries handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, state, page, pageSize, ct));

    private static async Task<NoContent> Retry(long id, CurrentUser user, ManageDeliveries handler, CancellationToken ct)
    {
        await handler.Retry(user, id, ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Server-sent events: the caller's notifications and the board changes of the orders they may see (a technician:
    /// only their own), as they happen on any node.
    /// </summary>
    internal static async Task Stream(HttpContext http, CurrentUser user, LiveFeed live, AppDbContext db, CancellationToken ct)
    {
        var technicianId = await db.Technicians.Where(t => t.UserId == user.UserId).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var culture = LocalizationSetup.CultureOf(http); // every push to this page in its reader's language
        var (reader, subscription) = live.Subscribe(user, technicianId);
        using (subscription)
        {
            await http.Response.WriteAsync(": connected\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            try
            {
                await foreach (var e in reader.ReadAllAsync(ct))
                {
                    var shown = e with { Title = StoredText.Render(e.Title, culture), Body = StoredText.Render(e.Body, culture) };
                    await http.Response.WriteAsync($"event: {e.Kind}\ndata: {JsonSerializer.Serialize(shown, JsonSerializerOptions.Web)}\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException) { }
        }
    }
}
