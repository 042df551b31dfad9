using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Infrastructure.Auth;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fieldline.IntegrationTests.Security;

[Collection(SqliteCollection.Name)] public sealed class SignInTestsOnSqlite(SqliteFixture app) : SignInTests(app);
[Collection(PostgresCollection.Name)] public sealed class SignInTestsOnPostgres(PostgresFixture app) : SignInTests(app);

/// <summary>Sign-in lockouts per account and per address, kept in the database for every node, and the token signing key at rest.</summary>
public abstract class SignInTests(AppFixture app)
{
    private readonly FakeTimeProvider _wall = new(AppFixture.Start);

    /// <summary>An app node on the fixture's database whose wall clock the test moves and whose callers say their address in a header.</summary>
    private WebApplicationFactory<Program> Node() => app.Create(b =>
    {
        b.UseSetting("Fieldline:Auth:LoginFailuresPerAddress", "8");
        b.ConfigureTestServices(s =>
        {
            s.AddKeyedSingleton<TimeProvider>(LoginThrottle.WallClock, _wall);
            s.AddSingleton<IStartupFilter>(new AddressFromHeader());
        });
    });

    private sealed class AddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => builder =>
        {
            builder.Use((http, following) =>
            {
                if (http.Request.Headers.TryGetValue("X-Test-Address", out var a)) http.Connection.RemoteIpAddress = IPAddress.Parse(a.ToString());
                return following(http);
            });
            next(builder);
        };
    }

    private static async Task<Reply> SignIn(WebApplicationFactory<Program> node, string user, string password, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = Json.Body(new { username = user, password }) };
        request.Headers.Add("X-Test-Address", address);
        var response = await node.CreateClient().SendAsync(request);
        return new Reply(response.StatusCode, await Json.Read(response), response);
    }

    private async Task<string> NewUser()
    {
        var name = $"s{Guid.NewGuid():N}"[..12];
        (await app.Api("admin").Post("/api/users", new { username = name, displayName = "登录测试", password = AppFixture.Password, roles = new[] { "infoClerk" }, branchId = 2 }))
            .Expect(HttpStatusCode.Created);
        return name;
    }

    [Fact]
    public async Task Five_wrong_passwords_from_any_addresses_lock_the_account_with_a_clear_message_until_the_lockout_ends()
    {
        await using var node = Node();
        var user = await NewUser();
        for (var i = 1; i <= 5; i++) (await SignIn(node, user, "wrong-password", $"192.0.2.{i}")).Expect(HttpStatusCode.Unauthorized);

        var locked = (await SignIn(node, user, AppFixture.Password, "198.51.100.7")).Expect(HttpStatusCode.TooManyRequests);
        Assert.Contains("该账号登录失败次数过多", locked.Str("detail")); // Chinese unless the caller asks for another language
        Assert.Equal(15, locked.Body["retryAfterMinutes"]!.GetValue<int>());
        Assert.True(locked.Raw.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(14));

        _wall.Advance(TimeSpan.FromMinutes(16));
        (await SignIn(node, user, AppFixture.Password, "198.51.100.7")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Five_wrong_passwords_for_a_new_account_sent_at_once_are_all_counted_and_lock_it_and_none_answers_500()
    {
        await using var node = Node();
        var user = await NewUser();
        // The first failure of an account inserts its counter; racing inserts meet the primary key, and the losers count on the winner's row.
        var replies = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => SignIn(node, user, "wrong-password", $"192.0.2.{40 + i}")));
        Assert.All(replies, r => r.Expect(HttpStatusCode.Unauthorized));
        (await SignIn(node, user, AppFixture.Password, "198.51.100.9")).Expect(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task An_office_behind_one_address_signs_in_freely_and_only_failures_lock_that_address()
    {
        await using var node = Node();
        var office = "203.0.113.10";
        var staff = new List<string>();
        for (var i = 0; i < 10; i++) staff.Add(await NewUser());
        foreach (var user in staff) (await SignIn(node, user, AppFixture.Password, office)).Expect(HttpStatusCode.OK); // more than the address's failure limit
        foreach (var user in staff) (await SignIn(node, user, AppFixture.Password, office)).Expect(HttpStatusCode.OK);

        var attacker = "203.0.113.66";
        for (var i = 0; i < 8; i++) (await SignIn(node, $"nobody{i}", "guess", attacker)).Expect(HttpStatusCode.Unauthorized);
        var locked = (await SignIn(node, staff[0], AppFixture.Password, attacker)).Expect(HttpStatusCode.TooManyRequests);
        Assert.Contains("此网络地址登录失败次数过多", locked.Str("detail"));
        (await SignIn(node, staff[0], AppFixture.Password, office)).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_lockout_counted_on_one_app_node_holds_on_another()
    {
        await using var a = Node();
        await using var b = Node();
        var user = await NewUser();
        for (var i = 0; i < 3; i++) (await SignIn(a, user, "wrong-password", "192.0.2.20")).Expect(HttpStatusCode.Unauthorized);
        for (var i = 0; i < 2; i++) (await SignIn(b, user, "wrong-password", "192.0.2.21")).Expect(HttpStatusCode.Unauthorized);
        (await SignIn(a, user, AppFixture.Password, "192.0.2.22")).Expect(HttpStatusCode.TooManyRequests);
        (await SignIn(b, user, AppFixture.Password, "192.0.2.22")).Expect(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task The_token_signing_key_is_not_stored_in_plain_text_and_an_old_plain_key_is_protected_in_place()
    {
        var key = Convert.ToBase64String(app.Factory.Services.GetRequiredService<TokenKeys>().Key.Key);
        var stored = await app.Db(db => db.AppSettings.SingleAsync(s => s.Key == AuthSetup.SigningKeySetting));
        Assert.DoesNotContain(key, stored.Value);

        // A database written by an older version holds the key in plain text: the next start protects it and keeps it.
        var token = await app.Token(app.Factory.CreateClient(), "clerk");
        await app.Db(db => db.AppSettings.Where(s => s.Key == AuthSetup.SigningKeySetting).ExecuteUpdateAsync(u => u.SetProperty(s => s.Value, key)));
        await using var restarted = app.Create();
        var client = restarted.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/work-orders?pageSize=1")).StatusCode);
        Assert.DoesNotContain(key, (await app.Db(db => db.AppSettings.SingleAsync(s => s.Key == AuthSetup.SigningKeySetting))).Value);
    }
}
