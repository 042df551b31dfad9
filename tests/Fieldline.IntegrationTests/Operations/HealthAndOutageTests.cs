using System.Diagnostics;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Fieldline.IntegrationTests.Operations;

[Collection(SqliteCollection.Name)] public sealed class HealthAndOutageTestsOnSqlite(SqliteFixture app) : HealthAndOutageTests(app);
[Collection(PostgresCollection.Name)] public sealed class HealthAndOutageTestsOnPostgres(PostgresFixture app) : HealthAndOutageTests(app);

public abstract class HealthAndOutageTests(AppFixture app)
{
    [Fact]
    public async Task Liveness_and_readiness_answer_json_with_one_entry_per_check()
    {
        var client = app.Factory.CreateClient();
        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", (await Json.Read(live))["status"]!.GetValue<string>());
        var ready = await Json.Read((await client.GetAsync("/health/ready")).EnsureSuccessStatusCode());
        Assert.Equal("Healthy", ready["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", ready["checks"]!["livePush"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Prometheus_scrapes_the_apps_own_metrics()
    {
        await new Given(app).NewRepairOrder();
        var text = await app.Factory.CreateClient().GetStringAsync("/metrics");
        Assert.Contains("fieldline_orders_created", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_postgresql_goes_away_requests_fail_fast_with_503_and_recover_by_themselves_when_it_returns()
    {
        if (app.Provider != "Postgres") return; // SQLite is a file in the process: it does not go away
        var server = new NpgsqlConnectionStringBuilder(app.ConnectionString);
        await using var proxy = new TcpProxy(server.Host!, server.Port);
        proxy.Start();
        server.Port = proxy.Port;
        await using var node = app.Create(b => b.UseSetting("ConnectionStrings:Postgres", server.ConnectionString));
        var api = new Api(node.CreateClient(), app, "manager");
        var client = node.CreateClient();
        (await api.Get("/api/work-orders?pageSize=1")).Expect(HttpStatusCode.OK);

        proxy.Stop();
        for (var i = 0; i < 3; i++)
        {
            var timer = Stopwatch.StartNew();
            var down = await api.Get("/api/work-orders?pageSize=1");
            Assert.True(timer.Elapsed < TimeSpan.FromSeconds(2.5), $"took {timer.Elapsed}");
            down.Expect(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(503, down.Body["status"]!.GetValue<int>());
            Assert.Equal("2", down.Raw.Headers.RetryAfter?.ToString());
        }
        var probe = Stopwatch.StartNew();
        var ready = await client.GetAsync("/health/ready");
        Assert.True(probe.Elapsed < TimeSpan.FromSeconds(2), $"readiness took {probe.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", (await Json.Read(ready))["checks"]!["database"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        proxy.Start();
        var back = Stopwatch.StartNew();
        Reply reply;
        do
        {
            await Task.Delay(100);
            reply = await api.Get("/api/work-orders?pageSize=1");
        }
        while (reply.Status != HttpStatusCode.OK && back.Elapsed < TimeSpan.FromSeconds(15));
        Assert.True(reply.Status == HttpStatusCode.OK, string.Join("\n", app.Logs.Lines.Where(l => l.Contains("unavailable", StringComparison.OrdinalIgnoreCase) || l.Contains("Npgsql", StringComparison.Ordinal)).TakeLast(5)));
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(6), $"recovered after {back.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }
}
