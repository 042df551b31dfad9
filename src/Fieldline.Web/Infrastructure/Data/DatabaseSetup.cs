using System.Data.Common;
using Fieldline.Web.Features.Reports.Kpis;
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
        services.AddScoped<UnitOfWork>();
        // Contexts are pooled (issue 14, session 10): building a DbContext, its options and its internal services on every
        // request was a measurable part of a create's CPU. A scope leases one from the pool and lends it its unit of work;
        // disposing the scope undoes any write still open and returns the context, reset, to the pool.

        if (options.IsPostgres)
        {
            var cs = ForThroughput(config.GetConnectionString("Postgres")
                ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Postgres is not set."));
            // Retries that never repeat an open write (PostgresRetryStrategy); an outage is the circuit's: requests then fail at once with 503.
            services.AddPooledDbContextFactory<PostgresAppDbContext>((sp, o) => o
                .UseNpgsql(cs, x => x.ExecutionStrategy(d => new PostgresRetryStrategy(d)))
                .UseKpiSql(sqlite: false)
                .AddInterceptors(sp.GetRequiredService<Health.DatabaseCircuit>()));
            services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PostgresAppDbContext>>().CreateDbContext()
                .Lend(sp.GetRequiredService<UnitOfWork>(), null));
        }
        else
        {
            var cs = config.GetConnectionString("Sqlite") ?? DefaultSqlite;
            EnsureDirectory(cs);
            services.AddSingleton<SqliteGroupCommit>();
            services.AddPooledDbContextFactory<SqliteAppDbContext>(o => o
                .UseSqlite(cs, x => x.ExecutionStrategy(d => new SqliteBusyRetryStrategy(d)))
                .UseKpiSql(sqlite: true)
                .AddInterceptors(SqlitePragmas.Instance));
            services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<IDbContextFactory<SqliteAppDbContext>>().CreateDbContext()
                .Lend(sp.GetRequiredService<UnitOfWork>(), sp.GetRequiredService<SqliteGroupCommit>()));
        }
        return services;
    }

    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Migrate() also compares the migrations' snapshot with the model in code, and so builds that model (the app itself
        // runs on the compiled one): ~25 MB kept for the life of the process (issue 14). A restart over an up-to-date
        // database asks only the history table.
        if (!(await db.Database.GetPendingMigrationsAsync(ct)).Any()) return;
        await db.Database.MigrateAsync(ct);
        // A migration that rebuilds a table turns SQLite's foreign keys off on its connection while it runs; the pooled
        // native connections it used are dropped, so that every later one is set up afresh (SqlitePragmas).
        if (db.Database.GetDbConnection() is SqliteConnection sqlite) SqliteConnection.ClearPool(sqlite);
    }

    /// <summary>
    /// The connection string's defaults for throughput on PostgreSQL, each unless the connection string sets it (issue 14):
    /// <list type="bullet">
    /// <item>the statements a connection runs often are prepared (Npgsql's automatic preparation): every request runs the
    /// same few statements, and parsing and planning them anew was a third of the database's CPU a create (session 20);</item>
    /// <item>a connection going back to the pool is not reset. The reset (<c>RESET ALL; CLOSE ALL; UNLISTEN *;
    /// pg_advisory_unlock_all(); DISCARD …</c>) ran with every statement a request sent, since EF Core opens and closes
    /// the connection around each one: seven a create, about a fifth of the database's CPU (session 21). The app leaves
    /// nothing on a connection for it to undo: its locks and settings are the transaction's (<c>pg_advisory_xact_lock</c>,
    /// <c>set_config(…, true)</c>, <c>LOCK TABLE</c>), and live push LISTENs on a data source of its own.</item>
    /// </list>
    /// </summary>
    internal static string ForThroughput(string connectionString)
    {
        var prepare = !Mentions(connectionString, "auto prepare", "autoprepare");
        var noReset = !Mentions(connectionString, "no reset on close", "noresetonclose");
        if (!prepare && !noReset) return connectionString;
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (prepare) builder.MaxAutoPrepare = 128;
        if (noReset) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    private static bool Mentions(string connectionString, params string[] keywords) =>
        keywords.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase));

    private static void EnsureDirectory(string connectionString)
    {
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir) && path != ":memory:") Directory.CreateDirectory(dir);
    }
}

/// <summary>
/// Every SQLite connection runs in WAL mode with synchronous=FULL (a committed order survives a power cut) and waits
/// for a busy database instead of failing at once. Set once a native connection: Microsoft.Data.Sqlite pools them, and a
/// pooled one keeps its settings when it is opened again. EF Core opens and closes the connection around each statement,
/// so running them on every open was four more statements beside each of a request's own (issue 14).
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();
    public const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();

    /// <summary>Whether this open's native connection was set up before (a handle from the pool).</summary>
    internal static bool IsConfigured(DbConnection connection) => connection is SqliteConnection { Handle: { } h } && Configured.TryGetValue(h, out _);

    private static void Done(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } h }) Configured.AddOrUpdate(h, Instance);
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsConfigured(connection)) return;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        cmd.ExecuteNonQuery();
        Done(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsConfigured(connection)) return;
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Pragmas;
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        Done(connection);
    }
}

/// <summary>
/// Retries a whole save when SQLite still reports the database busy or locked after busy_timeout. Inside a write that is
/// already open (a request's unit of work, see <see cref="AppDbContext.BeginWriteAsync"/>) nothing is retried: the
/// statement's effects belong to that write, which fails as a whole.
/// </summary>
internal sealed class SqliteBusyRetryStrategy(ExecutionStrategyDependencies dependencies)
    : ExecutionStrategy(dependencies, maxRetryCount: 6, maxRetryDelay: TimeSpan.FromSeconds(2))
{
    private bool InWrite => Dependencies.CurrentContext.Context.Database.CurrentTransaction is not null;

    /// <summary>Not inside a <see cref="StreamingRead"/>: EF Core buffers whole results only for a strategy that retries.</summary>
    public override bool RetriesOnFailure => !StreamingRead.IsActive && base.RetriesOnFailure;

    protected override void OnFirstExecution()
    {
        if (!InWrite) base.OnFirstExecution();
    }

    protected override bool ShouldRetryOn(Exception exception) => !InWrite && (
        exception is SqliteException { SqliteErrorCode: 5 or 6 } // SQLITE_BUSY, SQLITE_LOCKED
        || exception.InnerException is SqliteException { SqliteErrorCode: 5 or 6 });
}

/// <summary>Npgsql's transient-failure retries (5), except inside a write that is already open, as for SQLite above.</summary>
internal sealed class PostgresRetryStrategy(ExecutionStrategyDependencies dependencies)
    : Npgsql.EntityFrameworkCore.PostgreSQL.NpgsqlRetryingExecutionStrategy(dependencies, 5)
{
    private bool InWrite => Dependencies.CurrentContext.Context.Database.CurrentTransaction is not null;

    /// <inheritdoc cref="SqliteBusyRetryStrategy.RetriesOnFailure"/>
    public override bool RetriesOnFailure => !StreamingRead.IsActive && base.RetriesOnFailure;

    protected override void OnFirstExecution()
    {
        if (!InWrite) base.OnFirstExecution();
    }

    protected override bool ShouldRetryOn(Exception? exception) => !InWrite && base.ShouldRetryOn(exception);
}
