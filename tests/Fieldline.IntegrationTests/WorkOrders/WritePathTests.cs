using System.Data.Common;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class WritePathTestsOnSqlite(SqliteFixture app) : WritePathTests(app);
[Collection(PostgresCollection.Name)] public sealed class WritePathTestsOnPostgres(PostgresFixture app) : WritePathTests(app);

/// <summary>Issue 14 and the write half of issue 13: creates under concurrency, one commit per request, answers stored with their change.</summary>
public abstract class WritePathTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task Fifty_clerks_creating_at_once_in_one_branch_all_get_201_and_consecutive_codes()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, $"不制冷 {i}"), i % 2 == 0 ? Guid.NewGuid().ToString() : null)));

        Assert.All(replies, r => r.Expect(HttpStatusCode.Created));
        var numbers = replies.Select(r => int.Parse(r.Str("code")![^4..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(numbers[0], 50), numbers);
        Assert.Equal(50, await app.Db(db => db.WorkOrders.CountAsync(o => o.CustomerId == customer)));
    }

    [Fact]
    public async Task A_failure_inside_one_grouped_write_fails_only_that_request()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        await using var poisoned = app.Create(b => b.ConfigureTestServices(s => Intercept(s, new FailWhenAParameterIs("💥 fails in the database"))));
        var clerk = new Api(poisoned.CreateClient(), app, "clerk");

        var replies = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, i == 15 ? "💥 fails in the database" : $"漏水 {i}"), Guid.NewGuid().ToString())));

        Assert.Equal(HttpStatusCode.InternalServerError, replies[15].Status);
        Assert.All(replies.Where((_, i) => i != 15), r => r.Expect(HttpStatusCode.Created));
        var saved = await app.Db(db => db.WorkOrders.Where(o => o.CustomerId == customer).Select(o => new { o.Code, o.FaultDescription }).ToListAsync());
        Assert.Equal(29, saved.Count);
        Assert.DoesNotContain(saved, o => o.FaultDescription!.Contains("💥", StringComparison.Ordinal));
        var numbers = saved.Select(o => int.Parse(o.Code[^4..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        if (app.Provider == "Sqlite") Assert.Equal(Enumerable.Range(numbers[0], 29), numbers); // the failed write gave its number back
        else Assert.True(numbers.Distinct().Count() == 29 && numbers[^1] - numbers[0] <= 29, // taken in a commit of its own: one gap at most
            string.Join(",", numbers));
        if (app.Provider == "Sqlite")
            Assert.True(poisoned.Services.GetRequiredService<SqliteGroupCommit>().Stats.LargestBatch > 1, "concurrent writes should have shared a commit");
    }

    [Fact]
    public async Task A_request_whose_answer_cannot_be_stored_changes_nothing_and_its_retry_succeeds()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var key = Guid.NewGuid().ToString();
        await using (var crashing = app.Create(b => b.ConfigureTestServices(s => Intercept(s, new FailStoringAnAnswer()))))
        {
            var reply = await new Api(crashing.CreateClient(), app, "clerk").Post("/api/work-orders", Given.RepairBody(customer, serial), key);
            Assert.Equal(HttpStatusCode.InternalServerError, reply.Status);
        }
        Assert.Equal(0, await app.Db(db => db.WorkOrders.CountAsync(o => o.CustomerId == customer)));

        var retry = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial), key)).Expect(HttpStatusCode.Created);
        var again = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial), key)).Expect(HttpStatusCode.Created);
        Assert.Equal(retry.Id, again.Id);
        Assert.Equal(1, await app.Db(db => db.WorkOrders.CountAsync(o => o.CustomerId == customer)));
    }

    [Theory]
    [InlineData("manager", "close", 409)]     // an illegal transition
    [InlineData("clerk", "dispatch", 400)]    // a missing field
    [InlineData("tech02", "accept", 404)]     // another technician's order
    [InlineData("visitor", "dispatch", 403)]  // a role that may not dispatch
    public async Task A_refused_request_is_stored_with_its_key_and_replayed_not_run_again(string user, string action, int status)
    {
        var id = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        var key = Guid.NewGuid().ToString();
        var caller = app.Api(user);
        var first = await caller.Post($"/api/work-orders/{id}/{action}", new { }, key);
        Assert.Equal(status, (int)first.Status);

        var second = await caller.Post($"/api/work-orders/{id}/{action}", new { }, key);
        Assert.Equal(status, (int)second.Status);
        Assert.True(second.Raw.Headers.Contains("Idempotent-Replayed"), "the refusal should be replayed from the stored answer");
        Assert.Equal(first.Body.ToJsonString(), second.Body.ToJsonString());
    }

    [Fact]
    public async Task A_create_makes_one_durable_commit_on_sqlite()
    {
        if (app.Provider != "Sqlite") return; // PostgreSQL: one transaction per request, which this test cannot count from outside
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var commits = app.Factory.Services.GetRequiredService<SqliteGroupCommit>();
        var before = commits.Stats.Commits;
        (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial), Guid.NewGuid().ToString())).Expect(HttpStatusCode.Created);
        Assert.Equal(before + 1, commits.Stats.Commits);
    }

    private void Intercept(IServiceCollection services, IInterceptor interceptor)
    {
        if (app.Provider == "Sqlite") services.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(interceptor));
        else services.ConfigureDbContext<PostgresAppDbContext>(o => o.AddInterceptors(interceptor));
    }

    /// <summary>A database error inside one request's statements, as a constraint or a full disk would raise.</summary>
    private sealed class FailWhenAParameterIs(string value) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.Parameters.Cast<DbParameter>().Any(p => value.Equals(p.Value))) throw new InvalidOperationException("Simulated database failure.");
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    /// <summary>The process dies while it stores the answer for a key: whatever writes the answer's bytes fails.</summary>
    private sealed class FailStoringAnAnswer : DbCommandInterceptor
    {
        private static bool StoresAnAnswer(DbCommand c) =>
            c.CommandText.Contains("IdempotencyRecords", StringComparison.Ordinal) && c.Parameters.Cast<DbParameter>().Any(p => p.Value is byte[] { Length: > 0 });

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
            StoresAnAnswer(command) ? throw new InvalidOperationException("Simulated crash.") : base.ReaderExecutingAsync(command, eventData, result, cancellationToken);

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            StoresAnAnswer(command) ? throw new InvalidOperationException("Simulated crash.") : base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
    }
}
