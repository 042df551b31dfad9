using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fieldline.Bench.Soak;
using Fieldline.IntegrationTests.Infrastructure;
using Npgsql;

namespace Fieldline.IntegrationTests.Operations;

/// <summary>
/// Two app processes on one PostgreSQL database, both running their timers (every 0.2 s, and again when their sandbox
/// clocks are moved, at the same moment): a change made on node A reaches a board connected to node B within a second,
/// and no SMS, breach or in-app notice is made twice. The nodes share the PostgreSQL fixture's database (migrated and
/// seeded already) and its blob folder; their sandbox clocks start on a Thursday morning of their own.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoNodeTests(PostgresFixture app)
{
    private readonly string _database = app.ConnectionString;

    [Fact]
    public async Task Two_nodes_push_changes_to_each_others_boards_within_a_second_and_never_double_an_sms_or_a_breach()
    {
        await using var gateway = await FakeSmsGateway.Start();
        string[] settings =
        [
            "--Database:Provider=Postgres", $"--ConnectionStrings:Postgres={_database}", "--Fieldline:DemoData=true", $"--Fieldline:DemoPassword={AppFixture.Password}",
            "--Fieldline:Clock=Manual", "--Fieldline:ClockStart=2026-11-26T09:00:00+08:00", "--Fieldline:Sla:TickSeconds=0.2", $"--Fieldline:Sms:Url={gateway.Url}",
            $"--Fieldline:Blobs:Path={app.BlobPath}", "--Fieldline:Auth:LoginAttemptsPerMinute=100000",
        ];
        await using var a = new AppProcess(settings, AppProcess.FreePort());
        await a.StartAsync(TimeSpan.FromMinutes(6)); // migrates and seeds; B starts on the prepared database
        await using var b = new AppProcess(settings, AppProcess.FreePort());
        await b.StartAsync(TimeSpan.FromMinutes(6));
        using var onA = new HttpClient { BaseAddress = a.Url };
        using var onB = new HttpClient { BaseAddress = b.Url };

        // Live push crosses nodes: the dispatcher's board is open on B, the clerk works on A.
        await using var board = await LiveStream.Open(onB, await Token(onB, "dispatcher"));
        var customers = (await Get(onA, "clerk", "/api/customers?pageSize=10"))["items"]!.AsArray().Select(c => c!["id"]!.GetValue<long>()).ToList();
        var technicians = (await Get(onA, "manager", "/api/technicians?pageSize=200"))["items"]!.AsArray()
            .Where(t => t!["username"]!.GetValue<string>().StartsWith("tech0", StringComparison.Ordinal)).Select(t => t!["id"]!.GetValue<int>()).ToList();
        var orders = new List<(long Id, string Code)>();
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            var created = await Post(onA, "clerk", "/api/work-orders", new
            {
                type = "repair", channel = "hotline", customerId = customers[i], faultDescription = "两节点测试", priority = "normal",
                productLine = "ac", productModel = "KFR-35GW", purchaseDate = "2026-01-10",
            });
            var answered = Stopwatch.StartNew();
            var id = created["id"]!.GetValue<long>();
            Assert.NotNull(board.Next((k, d) => k == "workOrderChanged" && d["workOrderId"]?.GetValue<long>() == id, TimeSpan.FromSeconds(5)));
            delays.Add(answered.Elapsed);
            orders.Add((id, created["code"]!.GetValue<string>()));
        }
        // pg_notify crosses in milliseconds; the median holds the second, while a single change may wait behind a loaded
        // machine's scheduler (CI runs this beside two app processes and PostgreSQL on two cores) — but never seconds.
        delays.Sort();
        Assert.True(delays[delays.Count / 2] < TimeSpan.FromSeconds(1), $"changes took {string.Join(", ", delays.Select(d => $"{d.TotalMilliseconds:0}"))} ms to reach the other node's board");
        Assert.True(delays[^1] < TimeSpan.FromSeconds(3), $"the slowest change took {delays[^1].TotalMilliseconds:0} ms to reach the other node's board");

        // Six dispatched (an SMS dispatch order each), four left to breach their dispatch deadline; then both nodes tick at once.
        var dispatched = orders.Take(6).ToList();
        for (var i = 0; i < dispatched.Count; i++)
            await Post(i % 2 == 0 ? onA : onB, "dispatcher", $"/api/work-orders/{dispatched[i].Id}/dispatch", new { technicianId = technicians[i % technicians.Count] });
        for (var round = 0; round < 3; round++)
            await Task.WhenAll(Post(onA, "manager", "/api/sandbox/clock", new { advanceMinutes = 25 }), Post(onB, "manager", "/api/sandbox/clock", new { advanceMinutes = 25 }));
        var ours = string.Join(",", orders.Select(o => o.Id));
        await WaitUntil(async () => await Scalar($"""SELECT COUNT(*) FROM "OutboxDeliveries" d JOIN "Outbox" m ON m."Id" = d."OutboxId" WHERE d."State" = 'Pending' AND m."WorkOrderId" IN ({ours})""") == 0
                                    && await Scalar($"""SELECT COUNT(*) FROM "Outbox" WHERE "FannedOutAt" IS NULL AND "WorkOrderId" IN ({ours})""") == 0);

        Assert.True(await Scalar($"""SELECT COUNT(*) FROM "SlaBreaches" b JOIN "SlaClocks" c ON c."Id" = b."ClockId" WHERE c."WorkOrderId" IN ({ours})""") >= 4);
        Assert.Equal(0, await Scalar("""SELECT COUNT(*) FROM (SELECT "ClockId" FROM "SlaBreaches" GROUP BY "ClockId" HAVING COUNT(*) > 1) d"""));
        Assert.Equal(0, await Scalar("""SELECT COUNT(*) FROM (SELECT "OutboxId", "UserId" FROM "Notifications" GROUP BY "OutboxId", "UserId" HAVING COUNT(*) > 1) d"""));
        Assert.Equal(0, await Scalar($"""SELECT COUNT(*) FROM "OutboxDeliveries" d JOIN "Outbox" m ON m."Id" = d."OutboxId" WHERE d."State" = 'Dead' AND m."WorkOrderId" IN ({ours})"""));
        var sms = gateway.Accepted.ToList();
        Assert.Equal(sms.Count, sms.Select(s => s.Key).Distinct().Count()); // the gateway never got one delivery twice
        foreach (var (_, code) in dispatched)
            Assert.Single(sms, s => JsonNode.Parse(s.Body)!["text"]!.GetValue<string>().Contains(code, StringComparison.Ordinal));

        // The JSON logs carry each request's trace id.
        Assert.Contains(a.Output, line => line.Contains("\"TraceId\":", StringComparison.Ordinal) && line.Contains("HTTP POST /api/work-orders", StringComparison.Ordinal));
    }

    private readonly Dictionary<string, string> _tokens = [];

    private async Task<string> Token(HttpClient client, string user)
    {
        if (_tokens.TryGetValue(user, out var token)) return token;
        var reply = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password = AppFixture.Password });
        reply.EnsureSuccessStatusCode();
        return _tokens[user] = (await reply.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
    }

    private async Task<JsonNode> Get(HttpClient client, string user, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Token(client, user));
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<JsonNode> Post(HttpClient client, string user, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Token(client, user));
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<long> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), "the two nodes did not deliver the outbox within 60 s");
            await Task.Delay(200);
        }
    }
}
