using System.Collections.Concurrent;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Fieldline.IntegrationTests.Infrastructure;

/// <summary>
/// One Fieldline app on a real database, seeded with the demo company, with a fake clock that starts on
/// Thursday 2026-11-26 09:00 in Changsha. Every test makes its own customers and orders on top.
/// </summary>
public abstract class AppFixture : IAsyncLifetime
{
    public const string Password = "Test-Password-1";
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);
    public LogSink Logs { get; } = new();
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public abstract string Provider { get; }
    public abstract string ConnectionString { get; }
    private readonly ConcurrentDictionary<string, string> _tokens = new();
    /// <summary>This fixture's attachment store (files, content-addressed).</summary>
    public string BlobPath { get; } = Path.Combine(Path.GetTempPath(), "fieldline-tests", $"blobs-{Guid.NewGuid():N}");

    public virtual async Task InitializeAsync()
    {
        Factory = Create();
        Factory.CreateClient().Dispose(); // start the host: migrate and seed now, not in the first test
        await Task.CompletedTask;
    }

    /// <summary>A new app instance on this fixture's database (used to prove data survives a restart).</summary>
    public WebApplicationFactory<Program> Create(Action<IWebHostBuilder>? configure = null, bool fakeClock = true) => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
    {
        b.UseEnvironment("Testing");
        b.UseSetting("Database:Provider", Provider);
        b.UseSetting($"ConnectionStrings:{Provider}", ConnectionString);
        b.UseSetting("Fieldline:DemoData", "true");
        b.UseSetting("Fieldline:DemoPassword", Password);
        b.UseSetting("Fieldline:Auth:LoginFailuresPerAddress", "100000"); // every test client shares one address
        b.UseSetting("Fieldline:Sla:TimerEnabled", "false"); // tests run the timer themselves, at the times they choose
        // Nobody clocks in in the shared demo company: the attendance tests judge their own technicians' days (People/AttendanceTests).
        b.UseSetting("Fieldline:Attendance:JudgeEnabled", "false");
        // The cadence reports are built for the branches the report tests name (Reports/ReportArchiveTests), not every branch at every tick.
        b.UseSetting("Fieldline:Reports:CadenceEnabled", "false");
        b.UseSetting("Fieldline:Blobs:Path", BlobPath);
        b.ConfigureTestServices(s =>
        {
            if (fakeClock) s.AddSingleton<TimeProvider>(Clock);
            s.AddSingleton<ILoggerProvider>(Logs);
        });
        configure?.Invoke(b);
    });

    public Api Api(string? user = null) => new(Factory.CreateClient(), this, user);

    internal async Task<string> Token(HttpClient client, string user)
    {
        if (_tokens.TryGetValue(user, out var token)) return token;
        var response = await client.PostAsync("/api/auth/token", Json.Body(new { username = user, password = Password }));
        response.EnsureSuccessStatusCode();
        token = (await Json.Read(response))["accessToken"]!.GetValue<string>();
        return _tokens[user] = token;
    }

    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Now, in Changsha.</summary>
    public DateTimeOffset LocalNow => TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Shanghai);

    /// <summary>Runs every timer that falls due (SLA clocks, then the outbox), as the sandbox clock endpoint does.</summary>
    public async Task Tick()
    {
        foreach (var work in Factory.Services.GetServices<Fieldline.Web.Infrastructure.Clock.IDueWork>()) await work.RunDueAsync(default);
    }

    /// <summary>Moves the clock to a local wall-clock time (it only moves forward) and runs the timers.</summary>
    public async Task At(DateTimeOffset local)
    {
        if (local < Clock.GetUtcNow()) throw new InvalidOperationException($"The test clock is already past {local}.");
        Clock.SetUtcNow(local.ToUniversalTime());
        await Tick();
    }

    /// <summary>The next local <paramref name="day"/> at hh:mm, at least a week from now, so a scenario starts on a clean day.</summary>
    public DateTimeOffset Next(DayOfWeek day, int hour, int minute = 0)
    {
        var d = LocalNow.Date.AddDays(7);
        while (d.DayOfWeek != day) d = d.AddDays(1);
        return new DateTimeOffset(d.Year, d.Month, d.Day, hour, minute, 0, TimeSpan.FromHours(8));
    }

    public async Task<T> Db<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public virtual async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (Directory.Exists(BlobPath)) Directory.Delete(BlobPath, recursive: true);
    }
}

public sealed class SqliteFixture : AppFixture
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "fieldline-tests", $"{Guid.NewGuid():N}.db");
    public override string Provider => "Sqlite";
    public override string ConnectionString => $"Data Source={_file}";

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(f);
    }
}

/// <summary>A database of its own on the throwaway PostgreSQL server that test.sh starts (FIELDLINE_TEST_POSTGRES).</summary>
public sealed class PostgresFixture : AppFixture
{
    private readonly string _database = $"t_{Guid.NewGuid():N}";
    public override string Provider => "Postgres";
    public override string ConnectionString => $"{Server};Database={_database}";

    public static string Server => Environment.GetEnvironmentVariable("FIELDLINE_TEST_POSTGRES") is { Length: > 0 } s ? s
        : throw new InvalidOperationException("FIELDLINE_TEST_POSTGRES is not set: run ./test.sh, which starts a throwaway PostgreSQL server on 127.0.0.1.");

    public override async Task DisposeAsync()
    {
        await Db(db => db.Database.EnsureDeletedAsync());
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteFixture> { public const string Name = "sqlite"; }

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture> { public const string Name = "postgres"; }

/// <summary>Keeps every log line the app writes, so tests can prove what never appears in logs.</summary>
public sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();
    public ILogger CreateLogger(string categoryName) => new Sink(this);
    public void Dispose() { }

    private sealed class Sink(LogSink owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join(";", kv.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue($"{formatter(state, exception)} | {structured} | {exception}");
        }
    }
}
