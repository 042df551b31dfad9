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

    /// <summary>Set in the child process that prepares a fresh database (<see cref="PrepareFreshDatabaseInChildAsync"/>).</summary>
    public const string PrepareOnlyVariable = "FIELDLINE_PREPARE_ONLY";

    /// <summary>Whether this process is the child that only prepares the database, and exits.</summary>
    public static bool PrepareOnly => Environment.GetEnvironmentVariable(PrepareOnlyVariable) == "1";

    /// <summary>
    /// A database with migrations pending (a fresh one above all) is migrated and seeded by a child process of this app,
    /// started with the same arguments: the migrations' code, the model they build and the demo seeding then never load in
    /// the serving process, which starts at a restart's memory (issue 14: 315 → 220 MB at idle on a fresh database; the
    /// child also runs the timers once, see Program.cs).
    /// Only when the app runs as its own program: a test host (or a child already) prepares in process. A child that
    /// fails stops the start with its exit code.
    /// </summary>
    public static async Task PrepareFreshDatabaseInChildAsync(this IServiceProvider services, ILogger log, CancellationToken ct = default)
    {
        if (PrepareOnly || System.Reflection.Assembly.GetEntryAssembly() != typeof(Startup).Assembly || Environment.ProcessPath is not { } host) return;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (!(await db.Database.GetPendingMigrationsAsync(ct)).Any()) return;
        }
        var args = Environment.GetCommandLineArgs();
        var start = new System.Diagnostics.ProcessStartInfo(host) { UseShellExecute = false, WorkingDirectory = Environment.CurrentDirectory };
        // `dotnet Fieldline.Web.dll …` names the assembly first; the app's own executable does not.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(args[0]);
        foreach (var a in args.Skip(1)) start.ArgumentList.Add(a);
        start.Environment[PrepareOnlyVariable] = "1";
        log.LogInformation("Preparing the database in a child process");
        using var child = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("The database preparation could not be started.");
        await child.WaitForExitAsync(ct);
        if (child.ExitCode != 0) throw new InvalidOperationException($"The database preparation failed (exit code {child.ExitCode}).");
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
