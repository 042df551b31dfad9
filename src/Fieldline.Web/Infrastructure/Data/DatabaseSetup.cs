using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fieldline.Web.Infrastructure.Data;

public sealed class DatabaseOptions
{
    public string Provider { get; set; } = "Sqlite";
    public bool IsPostgres => string.Equals(Provider, "Postgres", StringComparison.OrdinalIgnoreCase);
}

public static class DatabaseSetup
{
    public const string DefaultSqlite = "Data Source=data/fieldline.db";

    /// <summary>Picks SQLite (default, a file under ./data) or PostgreSQL from configuration.</summary>
    public static IServiceCollection AddAppDb(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (!options.IsPostgres && !string.Equals(options.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Database:Provider must be Sqlite or Postgres, not '{options.Provider}'.");
        services.AddSingleton(options);

        if (options.IsPostgres)
        {
            var cs = config.GetConnectionString("Postgres")
                ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Postgres is not set.");
            // Few, short retries (a blip, a failover); an outage is the circuit's: requests then fail at once with 503.
            services.AddDbContext<AppDbContext, PostgresAppDbContext>((sp, o) => o
                .UseNpgsql(cs, x => x.EnableRetryOnFailure(3, TimeSpan.FromSeconds(1), null))
                .AddInterceptors(sp.GetRequiredService<Health.DatabaseCircuit>()));
        }
        else
        {
            var cs = config.GetConnectionString("Sqlite") ?? DefaultSqlite;
            EnsureDirectory(cs);
            services.AddDbContext<AppDbContext, SqliteAppDbContext>(o => o
                .UseSqlite(cs, x => x.ExecutionStrategy(d => new SqliteBusyRetryStrategy(d)))
                .AddInterceptors(SqlitePragmas.Instance));
        }
        return services;
    }

    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync(ct);
    }

    private static void EnsureDirectory(string connectionString)
    {
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir) && path != ":memory:") Directory.CreateDirectory(dir);
    }
}

/// <summary>
/// Every SQLite connection runs in WAL mode with synchronous=FULL (a committed order survives a power cut) and waits
/// for a busy database instead of failing at once.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();
    private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Retries a whole save when SQLite still reports the database busy or locked after busy_timeout.</summary>
internal sealed class SqliteBusyRetryStrategy(ExecutionStrategyDependencies dependencies)
    : ExecutionStrategy(dependencies, maxRetryCount: 6, maxRetryDelay: TimeSpan.FromSeconds(2))
{
    protected override bool ShouldRetryOn(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 } // SQLITE_BUSY, SQLITE_LOCKED
        || exception.InnerException is SqliteException { SqliteErrorCode: 5 or 6 };
}
