using Microsoft.EntityFrameworkCore;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Demo;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Auth;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Idempotency;

namespace Fieldline.Web.Infrastructure;

public static class Startup
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(config.GetSection("Fieldline:Idempotency").Get<IdempotencyOptions>() ?? new IdempotencyOptions());
        services.AddSingleton<IdempotencyInFlight>();
        services.AddHostedService<IdempotencyCleanup>();
        return services;
    }

    /// <summary>Migrates the database, loads the token key, puts a policy in force and, in demo mode, seeds the demo company.</summary>
    public static async Task PrepareDatabaseAsync(this IServiceProvider services, ILogger log, CancellationToken ct = default)
    {
        await services.MigrateDatabaseAsync(ct);
        await services.LoadTokenKeysAsync();
        await Blobs.AttachmentBlobs.MoveLegacyContentAsync(services, log, ct);
        await using var scope = services.CreateAsyncScope();
        var demo = scope.ServiceProvider.GetRequiredService<DemoOptions>();
        await scope.ServiceProvider.GetRequiredService<ManagePolicy>().EnsureSeeded(demo.PolicyPreset, ct);
        await scope.ServiceProvider.GetRequiredService<DemoData>().SeedIfEmpty(ct);
        if (demo.DemoData)
        {
            // Every demo user, read from the database, so a role added to the demo company is never missing here.
            var db = scope.ServiceProvider.GetRequiredService<Data.AppDbContext>();
            var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => u.UserName).ToListAsync(ct);
            log.LogWarning("DEMO MODE: users {Users}; password '{Password}'", string.Join(", ", users), demo.DemoPassword);
        }
    }
}
