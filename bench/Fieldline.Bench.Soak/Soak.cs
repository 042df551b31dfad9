using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Fieldline.Bench.Soak;

public sealed record SoakOptions
{
    public string Provider { get; init; } = "Sqlite";
    /// <summary>An Npgsql connection string without a database (PostgreSQL runs only): a fresh database is made on it.</summary>
    public string? PostgresServer { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(3);
    public TimeSpan KillEvery { get; init; } = TimeSpan.FromSeconds(15);
    public int Clients { get; init; } = 8;
    /// <summary>How long one write is retried under its key before the client gives it up (it is then counted as stuck).</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromSeconds(60);
    public TextWriter Log { get; init; } = TextWriter.Null;
}

public sealed record SoakResult(int Kills, int Acknowledged, int Lost, int Doubled, int Stuck, int Retries, int Lifecycles, int Completed, string Details)
{
    public override string ToString() =>
        $"{Kills} kills, {Acknowledged} acknowledged writes ({Lifecycles} lifecycles started, {Completed} closed), {Retries} retries: " +
        $"{Lost} lost, {Doubled} doubled, {Stuck} keys never answered{(Details.Length > 0 ? "\n" + Details : "")}";
}

/// <summary>
/// Clients walk work orders through their lifecycle (create → dispatch → accept → contact → check-in → complete →
/// return visit → close), every write with its own Idempotency-Key, retried with the same key and body on a lost
/// connection, a 5xx or "in progress", while the server is SIGKILLed at intervals and restarted. Afterwards the database
/// is read directly: every acknowledged write must be there, and no create key or lifecycle action there twice.
/// </summary>
public static class Soak
{
    private const string Password = "Soak-Password-1";
    private static readonly string TinyPng = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    public static async Task<SoakResult> RunAsync(SoakOptions options, CancellationToken ct = default)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var work = Path.Combine(Path.GetTempPath(), "fieldline-soak", run);
        Directory.CreateDirectory(work);
        string database;
        var settings = new List<string> { "--Fieldline:DemoData=true", $"--Fieldline:DemoPassword={Password}", $"--Fieldline:Blobs:Path={Path.Combine(work, "blobs")}",
            "--Fieldline:Auth:LoginAttemptsPerMinute=100000", "--Fieldline:Sla:TickSeconds=1" };
        if (options.Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            database = new NpgsqlConnectionStringBuilder(options.PostgresServer ?? throw new ArgumentException("PostgreSQL needs a server")) { Database = $"soak_{run}" }.ConnectionString;
            settings.AddRange(["--Database:Provider=Postgres", $"--ConnectionStrings:Postgres={database}"]);
        }
        else
        {
            database = $"Data Source={Path.Combine(work, "fieldline.db")}";
            settings.AddRange(["--Database:Provider=Sqlite", $"--ConnectionStrings:Sqlite={database}"]);
        }

        await using var app = new AppProcess(settings, AppProcess.FreePort());
        // The first start migrates and seeds the demo company: minutes on a machine that is busy with other work.
        await app.StartAsync(TimeSpan.FromMinutes(10));
        using var http = new HttpClient { BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(10) };
        var tokens = new Tokens(http);
        var technicians = await Retry(async () =>
        {
            var page = await GetJson(http, "/api/technicians?pageSize=200", await tokens.Of("manager"));
            return page["items"]!.AsArray().ToDictionary(t => t!["username"]!.GetValue<string>(), t => t!["id"]!.GetValue<int>());
        });
        var customers = await Retry(async () => (await GetJson(http, "/api/customers?pageSize=40", await tokens.Of("clerk")))["items"]!.AsArray()
            .Select(c => c!["id"]!.GetValue<long>()).ToList());

        var ledger = new Ledger();
        var stopClients = new CancellationTokenSource(options.Duration);
        var kills = 0;
        var killer = Task.Run(async () =>
        {
            while (!stopClients.IsCancellationRequested)
            {
                try { await Task.Delay(options.KillEvery, stopClients.Token); }
                catch (OperationCanceledException) { break; }
                app.Kill();
                kills++;
                options.Log.WriteLine($"[soak] SIGKILL #{kills} after {ledger.Acknowledged} acknowledged writes");
                await app.StartAsync(TimeSpan.FromMinutes(5));
            }
        }, ct);
        var clients = Enumerable.Range(0, options.Clients).Select(i => Task.Run(() =>
            Client(http, tokens, technicians[$"tech0{i % 8 + 1}"], $"tech0{i % 8 + 1}", customers[i % customers.Count], run, ledger, options, stopClients.Token), ct)).ToList();
        await Task.WhenAll(clients);
        await killer;

        var (lost, doubled, details) = await Verify(options.Provider, database, run, ledger);
        var result = new SoakResult(kills, ledger.Acknowledged, lost, doubled, ledger.Stuck, ledger.Retries, ledger.Lifecycles, ledger.Completed, details);
        app.Kill();
        if (options.Provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Database = "postgres" }.ConnectionString);
            await admin.OpenAsync(ct);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"soak_{run}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(ct);
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(work, recursive: true);
        return result;
    }

    private static async Task Client(HttpClient http, Tokens tokens, int technicianId, string tech, long customerId, string run, Ledger ledger, SoakOptions options, CancellationToken stop)
    {
        var serial = 0;
        while (!stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref ledger.Lifecycles);
            var createKey = $"{run}-{tech}-{++serial}";
            var created = await Write(http, tokens, "clerk", "/api/work-orders", new
            {
                type = "repair", channel = "hotline", customerId, faultDescription = $"soak {createKey}", priority = "normal",
                productLine = "ac", productModel = "KFR-35GW", purchaseDate = "2026-01-10",
            }, createKey, ledger, options, stop);
            if (created is null) continue;
            var id = created["id"]!.GetValue<long>();
            ledger.Created(createKey, id);
            var steps = new (string User, string Action, object? Body)[]
            {
                ("dispatcher", "dispatch", new { technicianId }),
                (tech, "accept", null),
                (tech, "contact", new { outcome = "reached", appointment = new { start = "2030-01-10T14:00:00+08:00", end = "2030-01-10T16:00:00+08:00" } }),
                (tech, "check-in", new { location = new { lat = 28.18, lng = 112.94 } }),
                (tech, "complete", new
                {
                    resolution = "更换电容,试机正常", faultCategory = "component", barcode = "GR123456", testRunMinutes = 30,
                    checklist = new { powerOff = true, testRun = true, serviceSticker = true }, charges = new[] { new { description = "上门费", amount = 30.00m } },
                    invoiceNumber = "43001234", signature = TinyPng, photos = new[] { TinyPng },
                }),
                ("visitor", "return-visit", new { reached = true, satisfaction = 5, findings = Array.Empty<string>(), notes = "满意" }),
                ("manager", "close", null),
            };
            var done = true;
            foreach (var (user, action, body) in steps)
            {
                if (stop.IsCancellationRequested || await Write(http, tokens, user, $"/api/work-orders/{id}/{action}", body, $"{createKey}-{action}", ledger, options, stop) is null)
                {
                    done = false;
                    break;
                }
                ledger.Acted(id, action);
            }
            if (done) Interlocked.Increment(ref ledger.Completed);
        }
    }

    /// <summary>One write under one key until it is answered: the JSON of a 2xx (acknowledged), or null when refused or given up.</summary>
    private static async Task<JsonNode?> Write(HttpClient http, Tokens tokens, string user, string path, object? body, string key, Ledger ledger, SoakOptions options, CancellationToken stop)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body ?? new { }, JsonSerializerOptions.Web);
        var trying = Stopwatch.StartNew();
        while (trying.Elapsed < options.GiveUpAfter)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.Of(user));
                request.Headers.Add("Idempotency-Key", key);
                using var response = await http.SendAsync(request, CancellationToken.None);
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref ledger.AcknowledgedCount);
                    return JsonNode.Parse(text);
                }
                // "In progress" (a request under this key was cut off by the kill) and server errors are worth a retry; other refusals are answers.
                var inProgress = response.StatusCode == HttpStatusCode.Conflict && text.Contains("in progress", StringComparison.OrdinalIgnoreCase);
                if (!inProgress && (int)response.StatusCode < 500)
                {
                    options.Log.WriteLine($"[soak] {path} refused {(int)response.StatusCode}: {text[..Math.Min(200, text.Length)]}");
                    return null;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException) { }
            Interlocked.Increment(ref ledger.Retries);
            await Task.Delay(200 + Random.Shared.Next(300), CancellationToken.None);
        }
        Interlocked.Increment(ref ledger.Stuck);
        options.Log.WriteLine($"[soak] gave up on key {key} ({path}) after {options.GiveUpAfter}");
        return null;
    }

    /// <summary>Reads the database itself: orders made by this run's create keys, and the lifecycle actions on each.</summary>
    private static async Task<(int Lost, int Doubled, string Details)> Verify(string provider, string database, string run, Ledger ledger)
    {
        await using DbConnection db = provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) ? new NpgsqlConnection(database) : new SqliteConnection(database);
        await db.OpenAsync();
        var orders = new List<(long Id, string Key)>();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = $"""SELECT "Id", "FaultDescription" FROM "WorkOrders" WHERE "FaultDescription" LIKE 'soak {run}-%'""";
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) orders.Add((reader.GetInt64(0), reader.GetString(1)["soak ".Length..]));
        }
        var actions = new Dictionary<(long, string), int>();
        await using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """SELECT "WorkOrderId", "Action", COUNT(*) FROM "TimelineEntries" GROUP BY "WorkOrderId", "Action" """;
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync()) actions[(reader.GetInt64(0), reader.GetString(1))] = Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture);
        }
        var details = new List<string>();
        var doubled = 0;
        foreach (var g in orders.GroupBy(o => o.Key).Where(g => g.Count() > 1))
        {
            doubled += g.Count() - 1;
            details.Add($"create key {g.Key} made orders {string.Join(", ", g.Select(o => o.Id))}");
        }
        var ours = orders.Select(o => o.Id).ToHashSet();
        // Each lifecycle action is done once per order, so any action on the timeline twice was applied twice.
        foreach (var ((order, action), count) in actions.Where(a => ours.Contains(a.Key.Item1) && a.Value > 1))
        {
            doubled += count - 1;
            details.Add($"order {order}: {action} recorded {count} times");
        }
        var lost = 0;
        foreach (var (key, id) in ledger.CreatedOrders)
            if (!orders.Any(o => o.Id == id && o.Key == key)) { lost++; details.Add($"acknowledged create {key} (order {id}) is missing"); }
        foreach (var (id, action) in ledger.Actions)
        {
            var recorded = actions.ContainsKey((id, TimelineName(action)));
            if (!recorded) { lost++; details.Add($"acknowledged {action} of order {id} is not on its timeline"); }
        }
        return (lost, doubled, string.Join("\n", details.Take(20)));
    }

    // The timeline's name for an endpoint's action.
    private static string TimelineName(string action) => action switch
    {
        "dispatch" => "dispatched", "accept" => "accepted", "contact" => "contacted", "check-in" => "checkedIn",
        "complete" => "completed", "return-visit" => "returnVisited", "close" => "closed", _ => action,
    };

    private static async Task<T> Retry<T>(Func<Task<T>> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await read(); }
            catch (Exception) when (attempt < 30) { await Task.Delay(500); }
        }
    }

    private static async Task<JsonNode> GetJson(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>One token per user, fetched again after a restart only if the old one stops working (the signing key is in the database).</summary>
    private sealed class Tokens(HttpClient http)
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _tokens = new();

        public Task<string> Of(string user) => _tokens.GetOrAdd(user, u => new Lazy<Task<string>>(() => Retry(async () =>
        {
            using var response = await http.PostAsJsonAsync("/api/auth/token", new { username = u, password = Password });
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
        }))).Value;
    }

    private sealed class Ledger
    {
        public int AcknowledgedCount, Retries, Stuck, Lifecycles, Completed;
        public int Acknowledged => AcknowledgedCount;
        public ConcurrentBag<(string Key, long Id)> CreatedOrders { get; } = [];
        public ConcurrentBag<(long Id, string Action)> Actions { get; } = [];
        public void Created(string key, long id) => CreatedOrders.Add((key, id));
        public void Acted(long id, string action) => Actions.Add((id, action));
    }
}
