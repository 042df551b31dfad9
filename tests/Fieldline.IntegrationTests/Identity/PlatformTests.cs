using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Identity;

[Collection(SqliteCollection.Name)] public sealed class PlatformTestsOnSqlite(SqliteFixture app) : PlatformTests(app);
[Collection(PostgresCollection.Name)] public sealed class PlatformTestsOnPostgres(PostgresFixture app) : PlatformTests(app);

public abstract class PlatformTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task Data_survives_an_app_restart()
    {
        var id = await _given.OrderIn("scheduled");
        var before = (await _given.Manager.Get($"/api/work-orders/{id}")).Body.ToJsonString();
        await using (var restarted = app.Create())
        {
            var client = restarted.CreateClient();
            var token = (await Json.Read(await client.PostAsync("/api/auth/token", Json.Body(new { username = "manager", password = AppFixture.Password }))))["accessToken"]!.GetValue<string>();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            var after = await Json.Read(await client.GetAsync($"/api/work-orders/{id}"));
            Assert.Equal(before, after.ToJsonString());
        }
    }

    [Fact]
    public async Task The_demo_company_has_every_role_eight_technicians_forty_customers_and_orders_in_every_state()
    {
        // The demo's own technicians (tech01…tech08): other tests on this shared database add their own, in whatever order xUnit runs them.
        Assert.Equal(8, await app.Db(db => db.Technicians.CountAsync(t => t.User!.UserName.StartsWith("tech"))));
        Assert.True(await app.Db(db => db.Customers.CountAsync(c => c.Phone.StartsWith("139"))) >= 40);
        var states = await app.Db(db => db.WorkOrders.Select(o => o.Status).Distinct().CountAsync());
        Assert.Equal(9, states);
        // The demo's orders were walked through the SLA engine step by step: a dispatched order's dispatch clock has stopped.
        var stale = await app.Db(db => db.SlaClocks.Where(c => c.Name == "dispatch" && c.State == Fieldline.Web.Features.Sla.ClockState.Running)
            .Join(db.WorkOrders, c => c.WorkOrderId!.Value, o => o.Id, (c, o) => o.Status).CountAsync(s => s != Fieldline.Web.Features.WorkOrders.WorkOrderStatus.New));
        Assert.Equal(0, stale);
        Assert.True(await app.Db(db => db.SlaClocks.CountAsync()) > 100);
        Assert.True(await app.Db(db => db.Complaints.Where(c => c.CreatedBy == "complaints").Select(c => c.Status).Distinct().CountAsync()) >= 3);
        foreach (var user in new[] { "admin", "manager", "clerk", "dispatcher", "visitor", "complaints", "warehouse", "finance", "tech01", "tech08" })
            (await app.Api().Post("/api/auth/token", new { username = user, password = AppFixture.Password })).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SQLite_runs_in_wal_mode_with_full_synchronous_writes_foreign_keys_and_a_busy_timeout_each_time_a_pooled_connection_is_opened_again()
    {
        if (app.Provider != "Sqlite") return; // PostgreSQL has its own durability settings
        // The settings are made once a native connection (SqlitePragmas): the pool hands the same one out again, and it
        // must still have them, however often it is opened.
        var seen = await app.Db(async db =>
        {
            var connection = db.Database.GetDbConnection();
            var each = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                await db.Database.OpenConnectionAsync();
                try
                {
                    await using var cmd = connection.CreateCommand();
                    var values = new List<string>();
                    foreach (var pragma in new[] { "journal_mode", "synchronous", "foreign_keys", "busy_timeout" })
                    {
                        cmd.CommandText = "PRAGMA " + pragma;
                        values.Add(Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!);
                    }
                    each.Add(string.Join(" ", values));
                }
                finally { await db.Database.CloseConnectionAsync(); }
            }
            return each;
        });
        Assert.Equal(["wal 2 1 10000", "wal 2 1 10000", "wal 2 1 10000"], seen); // 2: FULL
    }

    [Fact]
    public async Task Health_answers_200_when_the_database_answers()
    {
        var response = await app.Factory.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_is_in_the_openapi_document_anonymous_with_a_summary_and_its_plain_text_answers()
    {
        var doc = await Json.Read(await app.Factory.CreateClient().GetAsync("/openapi/v1.json"));
        var health = doc["paths"]?["/health"]?["get"];
        Assert.NotNull(health);
        Assert.False(string.IsNullOrWhiteSpace(health!["summary"]?.GetValue<string>()));
        Assert.Empty(health["security"]?.AsArray() ?? []);
        Assert.NotNull(health["responses"]!["200"]!["content"]!["text/plain"]);
        Assert.NotNull(health["responses"]!["503"]);
        // Still what it was: no token needed, plain text, never cached.
        var response = await app.Factory.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_contract_routes()
    {
        var doc = await Json.Read(await app.Factory.CreateClient().GetAsync("/openapi/v1.json"));
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var route in new[]
        {
            "/health", "/api/auth/token", "/api/branches", "/api/branches/{id}", "/api/users", "/api/users/{id}", "/api/technicians", "/api/technicians/{id}", "/api/customers",
            "/api/customers/{id}/products", "/api/products/{serial}", "/api/policy", "/api/policy/presets", "/api/policy/versions",
            "/api/work-orders", "/api/work-orders/{id}", "/api/work-orders/{id}/dispatch", "/api/work-orders/{id}/accept",
            "/api/work-orders/{id}/reject", "/api/work-orders/{id}/contact", "/api/work-orders/{id}/reschedule", "/api/work-orders/{id}/check-in",
            "/api/work-orders/{id}/complete", "/api/work-orders/{id}/empty-trip", "/api/work-orders/{id}/transfer", "/api/work-orders/{id}/cancel",
            "/api/work-orders/{id}/return-visit", "/api/work-orders/{id}/close", "/api/work-orders/{id}/attachments", "/api/sandbox/clock",
        })
            Assert.Contains(route, paths);
    }

    [Fact]
    public async Task Logs_never_contain_phone_numbers_or_tokens()
    {
        var phone = Given.Phone();
        await _given.Customer(phone);
        await _given.Clerk.Get($"/api/customers?phone={phone}");
        var token = await app.Token(app.Factory.CreateClient(), "clerk");
        var lines = app.Logs.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains("/api/customers", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(phone, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_request_log_records_the_status_the_caller_received_also_for_a_refused_request()
    {
        var marker = $"/api/work-orders/{long.MaxValue - Random.Shared.Next(1, 1000)}";
        (await _given.Clerk.Get(marker)).Expect(HttpStatusCode.NotFound); // thrown by the use case, answered by the problem handler
        (await _given.Clerk.Post("/api/work-orders", new { type = "nonsense" })).Expect(HttpStatusCode.BadRequest);
        var lines = app.Logs.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains($"HTTP GET {marker} → 404", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("HTTP POST /api/work-orders → 400", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Security_headers_forbid_framing_and_sniffing()
    {
        var response = await app.Factory.CreateClient().GetAsync("/health");
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task The_sandbox_clock_moves_only_in_manual_mode_and_only_forward()
    {
        (await _given.Manager.Post("/api/sandbox/clock", new { advanceMinutes = 30 })).Expect(HttpStatusCode.Conflict);
        await using var sandbox = app.Create(b => b.UseSetting("Fieldline:Clock", "Manual").UseSetting("Fieldline:ClockStart", "2026-11-26T09:00:00+08:00"), fakeClock: false);
        var client = sandbox.CreateClient();
        var token = (await Json.Read(await client.PostAsync("/api/auth/token", Json.Body(new { username = "manager", password = AppFixture.Password }))))["accessToken"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var moved = await Json.Read(await client.PostAsync("/api/sandbox/clock", Json.Body(new { advanceMinutes = 90 })));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 2, 30, 0, TimeSpan.Zero), moved["now"]!.GetValue<DateTimeOffset>());
        var back = await client.PostAsync("/api/sandbox/clock", Json.Body(new { now = "2026-11-25T09:00:00+08:00" }));
        Assert.Equal(HttpStatusCode.BadRequest, back.StatusCode);
    }
}
