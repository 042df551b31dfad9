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
        const string poison = "💥 fails in the database";
        await using (await FailInserting("WorkOrders", "FaultDescription", poison))
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
                _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, i == 15 ? poison : $"漏水 {i}"), Guid.NewGuid().ToString())));

            Assert.Equal(HttpStatusCode.InternalServerError, replies[15].Status);
            Assert.All(replies.Where((_, i) => i != 15), r => r.Expect(HttpStatusCode.Created));
        }
        var saved = await app.Db(db => db.WorkOrders.Where(o => o.CustomerId == customer).Select(o => new { o.Code, o.FaultDescription }).ToListAsync());
        Assert.Equal(29, saved.Count);
        Assert.DoesNotContain(saved, o => o.FaultDescription!.Contains("💥", StringComparison.Ordinal));
        var numbers = saved.Select(o => int.Parse(o.Code[^4..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        if (app.Provider == "Sqlite") Assert.Equal(Enumerable.Range(numbers[0], 29), numbers); // the failed write gave its number back
        else Assert.True(numbers.Distinct().Count() == 29 && numbers[^1] - numbers[0] <= 29, // taken in a commit of its own: one gap at most
            string.Join(",", numbers));
        if (app.Provider == "Sqlite")
            Assert.True(app.Factory.Services.GetRequiredService<SqliteGroupCommit>().Stats.LargestBatch > 1, "concurrent writes should have shared a commit");
    }

    [Fact]
    public async Task A_request_whose_answer_cannot_be_stored_changes_nothing_and_its_retry_succeeds()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var key = Guid.NewGuid().ToString();
        await using (await FailInserting("IdempotencyRecords", "Key", key)) // the process dies as it stores the answer
        {
            var reply = await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial), key);
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

    [Fact]
    public async Task An_order_is_stored_alike_whether_its_rows_were_written_by_the_requests_own_statements_or_by_SaveChanges()
    {
        // A request's save inserts and updates its rows by statements of its own, kept on the connection (DirectSave; on
        // SQLite prepared on the writer's); a save in a transaction of its own goes through EF Core's SaveChanges. Both must store
        // every value in the same form (enums by name, times as the provider writes them), or filters and sorts would tell
        // them apart. The order is created, dispatched and accepted through the API (inserts, then updates), then copied
        // row by row by SaveChanges.
        var id = await _given.OrderIn("accepted");
        var copy = await app.Db(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var order = await db.WorkOrders.AsNoTracking().SingleAsync(o => o.Id == id);
            var entry = db.Entry(order);
            entry.Property(o => o.Id).CurrentValue = 0;
            entry.Property(o => o.Code).CurrentValue = order.Code + "C";
            entry.State = EntityState.Added;
            await db.SaveChangesAsync();
            foreach (var row in await db.Timeline.AsNoTracking().Where(t => t.WorkOrderId == id).ToListAsync<object>())
                Copy(db, row, order.Id);
            foreach (var row in await db.SlaClocks.AsNoTracking().Where(c => c.WorkOrderId == id).ToListAsync<object>())
                Copy(db, row, order.Id);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return order.Id;
        });

        foreach (var (table, key) in new[] { ("WorkOrders", "Id"), ("TimelineEntries", "WorkOrderId"), ("SlaClocks", "WorkOrderId") })
        {
            // Paired by content, not by id: the copies need not go in in the same order.
            static bool Own(string column) => column is "Id" or "WorkOrderId" or "Code";
            static string Content(Dictionary<string, object?> row) => string.Join("|", row.Where(c => !Own(c.Key)).Select(c => $"{c.Key}={c.Value}"));
            var a = (await Rows(table, key, id)).OrderBy(Content, StringComparer.Ordinal).ToList();
            var b = (await Rows(table, key, copy)).OrderBy(Content, StringComparer.Ordinal).ToList();
            Assert.Equal(a.Count, b.Count);
            Assert.NotEmpty(a);
            for (var i = 0; i < a.Count; i++)
                foreach (var (column, value) in a[i])
                {
                    var other = b[i][column];
                    if (Own(column)) continue;
                    Assert.True(Equals(value, other) || value is byte[], $"{table}.{column}: '{value}' against '{other}'");
                    if (value is null) continue;
                    Assert.True(value.GetType() == other!.GetType(), $"{table}.{column}: {value.GetType().Name} against {other.GetType().Name}");
                }
        }
        // The accept's update was written in the same form: the order reads back whole, as accepted.
        var read = (await _given.Dispatcher.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK);
        Assert.Equal("accepted", read.Str("status"));
    }

    private static void Copy(AppDbContext db, object row, long orderId)
    {
        var entry = db.Entry(row);
        entry.Property("Id").CurrentValue = 0L;
        entry.Property("WorkOrderId").CurrentValue = orderId;
        entry.State = EntityState.Added;
    }

    [Fact]
    public async Task Of_two_saves_of_an_order_read_at_the_same_version_only_the_first_is_written_and_the_second_is_a_conflict()
    {
        // Each request's save checks the version it read (on SQLite in the writer's prepared UPDATE): a change that lost the
        // race never silently overwrites the one that won.
        var id = await _given.OrderIn("dispatched");
        await using var first = app.Factory.Services.CreateAsyncScope();
        await using var second = app.Factory.Services.CreateAsyncScope();
        var a = first.ServiceProvider.GetRequiredService<AppDbContext>();
        var b = second.ServiceProvider.GetRequiredService<AppDbContext>();
        var mine = await a.WorkOrders.SingleAsync(o => o.Id == id);
        var theirs = await b.WorkOrders.SingleAsync(o => o.Id == id);
        var version = mine.Version;

        a.Entry(mine).Property(o => o.ContactPerson).CurrentValue = "先到的";
        await a.SaveChangesAsync();
        b.Entry(theirs).Property(o => o.ContactPerson).CurrentValue = "后到的";
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync());

        var stored = await app.Db(db => db.WorkOrders.AsNoTracking().SingleAsync(o => o.Id == id));
        Assert.Equal("先到的", stored.ContactPerson);
        Assert.Equal(version + 1, stored.Version);
    }

    [Fact]
    public async Task Every_row_of_a_save_that_writes_many_of_one_kind_keeps_its_own_values_after_the_statement_is_prepared()
    {
        // The request's own statements are run again for each row. PostgreSQL prepares a statement once a connection has run
        // it a few times (Npgsql's automatic preparation, on by default): the rows after that point must still go in with
        // their own values, not with those of the row whose insert or update prepared the statement.
        var names = Enumerable.Range(1, 12).Select(i => $"批量客户{i:00}-{Guid.NewGuid():N}"[..20]).ToList();
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var customers = names.Select(n => new Fieldline.Web.Features.Customers.Customer
            { BranchId = 1, Name = n, Phone = Given.Phone(), Address = "长沙市岳麓区" + n, CreatedAt = app.Clock.GetUtcNow() }).ToList();
        db.AddRange(customers);
        await db.SaveChangesAsync();
        foreach (var c in customers) c.Address = "已搬至" + c.Name;
        await db.SaveChangesAsync();

        var ids = customers.Select(c => c.Id).ToList();
        var stored = await app.Db(d => d.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync());
        Assert.Equal(12, ids.Distinct().Count());
        Assert.Equal(customers.Select(c => (c.Id, c.Name, c.Phone, "已搬至" + c.Name)), stored.Select(c => (c.Id, c.Name, c.Phone, c.Address)));
    }

    [Fact]
    public async Task Every_pooled_connection_still_commits_durably_after_creates_took_their_numbers_with_an_asynchronous_commit()
    {
        // On PostgreSQL a connection goes back to the pool without the reset (No Reset On Close, the default): whatever a
        // request set on it would stay for the next one. The day's number is taken with synchronous_commit off for that
        // statement alone; the orders' own commits must stay durable on every connection the pool hands out afterwards, so
        // no connection may carry a setting of the session's own.
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, $"制热慢 {i}"), Guid.NewGuid().ToString())));
        Assert.All(replies, r => r.Expect(HttpStatusCode.Created));

        var scopes = Enumerable.Range(0, 12).Select(_ => app.Factory.Services.CreateAsyncScope()).ToList();
        try
        {
            var settings = new List<string>();
            foreach (var scope in scopes) // all held open at once: twelve different connections from the pool
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                await db.Database.OpenConnectionAsync();
                await using var read = db.Database.GetDbConnection().CreateCommand();
                // PostgreSQL: the settings a SET changed for the session (none: the server's own or the connection's start-up ones)
                read.CommandText = app.Provider == "Sqlite" ? "PRAGMA synchronous"
                    : "SELECT coalesce(string_agg(name || '=' || setting, ', '), 'none') FROM pg_settings WHERE source = 'session'";
                settings.Add(Convert.ToString(await read.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!);
            }
            Assert.All(settings, s => Assert.Equal(app.Provider == "Sqlite" ? "2" : "none", s)); // SQLite: 2 = FULL
            if (app.Provider != "Sqlite")
            {
                var cs = new Npgsql.NpgsqlConnectionStringBuilder(scopes[0].ServiceProvider.GetRequiredService<AppDbContext>().Database.GetConnectionString());
                Assert.True(cs.NoResetOnClose, "the app's connections skip the pool's reset unless the connection string says otherwise");
            }
        }
        finally
        {
            // Closed before the contexts go back to their pool: a pooled context keeps a connection opened by hand, and every
            // later write that leased it failed (the group commit cannot lend it its connection while its own is open).
            foreach (var scope in scopes)
            {
                await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.CloseConnectionAsync();
                await scope.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_save_that_fails_part_way_can_be_saved_again_whole_with_its_keys_and_foreign_keys_matching()
    {
        // The customer goes in, then the database refuses their product. As after a failed SaveChanges, the entities are
        // left as they were (the customer's key temporary again, the product's foreign key matching it), so a caller that
        // retries the save (RegisterComplaint does) inserts both anew rather than pointing at a row that was rolled back.
        var serial = $"SN-PART-{Guid.NewGuid():N}"[..24];
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var product = new Fieldline.Web.Features.Customers.RegisteredProduct { ProductLine = "ac", Model = "KFR-35GW", SerialNumber = serial, WarrantyMonths = 12 };
        var customer = new Fieldline.Web.Features.Customers.Customer { BranchId = 1, Name = "半途客户", Phone = Given.Phone(), Address = "长沙市岳麓区", CreatedAt = app.Clock.GetUtcNow() };
        customer.Products.Add(product);
        db.Add(customer);
        await using (await FailInserting("Products", "SerialNumber", serial))
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.Equal(EntityState.Added, db.Entry(customer).State);
        Assert.True(db.Entry(customer).Property(c => c.Id).IsTemporary);
        Assert.Equal(db.Entry(customer).Property(c => c.Id).CurrentValue, db.Entry(product).Property(p => p.CustomerId).CurrentValue);

        await db.SaveChangesAsync();
        var stored = await app.Db(d => d.Products.AsNoTracking().Where(p => p.SerialNumber == serial).Select(p => new { p.CustomerId, Name = d.Customers.Single(c => c.Id == p.CustomerId).Name }).SingleAsync());
        Assert.Equal(customer.Id, stored.CustomerId);
        Assert.Equal("半途客户", stored.Name);
    }

    /// <summary>
    /// A database error inside one request's statements, as a constraint or a full disk would raise: a trigger refuses
    /// inserting the row of <paramref name="table"/> whose <paramref name="column"/> is <paramref name="value"/>, whichever
    /// way the insert reaches the database (SaveChanges or a prepared statement); disposing it drops the trigger.
    /// </summary>
    private async Task<IAsyncDisposable> FailInserting(string table, string column, string value)
    {
        await app.Db(db => db.Database.ExecuteSqlRawAsync(app.Provider == "Sqlite"
            ? $$"""CREATE TRIGGER "FailInserting" BEFORE INSERT ON "{{table}}" WHEN NEW."{{column}}" = '{{value}}' BEGIN SELECT RAISE(ABORT, 'Simulated database failure'); END"""
            : $$"""
              CREATE FUNCTION fail_inserting() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW."{{column}}" = '{{value}}' THEN RAISE EXCEPTION 'Simulated database failure'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER "FailInserting" BEFORE INSERT ON "{{table}}" FOR EACH ROW EXECUTE FUNCTION fail_inserting();
              """));
        return new Dropping(() => app.Db(db => db.Database.ExecuteSqlRawAsync(app.Provider == "Sqlite"
            ? """DROP TRIGGER "FailInserting" """
            : $"""DROP TRIGGER "FailInserting" ON "{table}"; DROP FUNCTION fail_inserting();""")));
    }

    private sealed class Dropping(Func<Task> drop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await drop();
    }

    private async Task<List<Dictionary<string, object?>>> Rows(string table, string key, long id) => await app.Db(async db =>
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"{key}\" = {id} ORDER BY 1";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<Dictionary<string, object?>>();
            while (await reader.ReadAsync())
                rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
            return rows;
        }
        finally { await db.Database.CloseConnectionAsync(); }
    });

    [Fact]
    public async Task On_sqlite_every_write_of_a_request_or_a_timer_runs_in_the_group_commit_never_as_a_second_writer()
    {
        // A write on a connection of its own holds SQLite's file lock against the group commit, whose turn then waits in
        // the busy handler: under load every request stalled behind a timer's tick for 1–2 s (issue 14, session 18).
        if (app.Provider != "Sqlite") return; // PostgreSQL has as many writers as connections
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var outside = new WritesOutsideTheGroupCommit();
        await using var host = app.Create(b => b.ConfigureTestServices(s => Intercept(s, outside)));
        var client = host.CreateClient();
        (await client.GetAsync("/health")).EnsureSuccessStatusCode();
        outside.Arm();

        // A create (its notices queued), a failed and a good sign-in (the throttle's counters), then every timer after the
        // order's first clock has run out (breaches, penalty proposals, notices fanned out and delivered).
        (await new Api(client, app, "clerk").Post("/api/work-orders", Given.RepairBody(customer, serial), Guid.NewGuid().ToString()))
            .Expect(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/auth/token", Json.Body(new { username = "clerk", password = "not the password" }))).StatusCode);
        (await client.PostAsync("/api/auth/token", Json.Body(new { username = "clerk", password = AppFixture.Password }))).EnsureSuccessStatusCode();
        app.Clock.Advance(TimeSpan.FromHours(1));
        foreach (var work in host.Services.GetServices<Fieldline.Web.Infrastructure.Clock.IDueWork>()) await work.RunDueAsync(default);

        // What EF Core runs is seen here (the throttle's counters, the outbox's claims, the timers' reads); the prepared
        // statements (DirectSave, SetBasedWrites) take the open write's transaction by construction.
        Assert.True(outside.WritesSeen >= 3, $"the flow should have written ({outside.WritesSeen} writes seen)");
        Assert.Empty(outside.Found);
    }

    private void Intercept(IServiceCollection services, IInterceptor interceptor)
    {
        if (app.Provider == "Sqlite") services.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(interceptor));
        else services.ConfigureDbContext<PostgresAppDbContext>(o => o.AddInterceptors(interceptor));
    }

    /// <summary>
    /// Records every write statement that runs outside a transaction (autocommit on a pooled connection) and every
    /// transaction a context begins itself: on SQLite both take the file lock beside the group commit's one writer.
    /// </summary>
    private sealed class WritesOutsideTheGroupCommit : DbCommandInterceptor, IDbTransactionInterceptor
    {
        private static readonly System.Text.RegularExpressions.Regex Write = new(@"(^|;)\s*(INSERT|UPDATE|DELETE)\b",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.Multiline);
        private volatile bool _armed;
        private int _writes;
        public System.Collections.Concurrent.ConcurrentQueue<string> Found { get; } = new();
        public int WritesSeen => _writes;

        public void Arm() => _armed = true;

        private void Check(DbCommand command)
        {
            if (!_armed || !Write.IsMatch(command.CommandText)) return;
            Interlocked.Increment(ref _writes);
            if (command.Transaction is null) Found.Enqueue("outside a transaction: " + command.CommandText);
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
            InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (_armed) Found.Enqueue("a transaction of its own, from " + Environment.StackTrace);
            return ValueTask.FromResult(result);
        }

        public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
        {
            if (_armed) Found.Enqueue("a transaction of its own, from " + Environment.StackTrace);
            return result;
        }
    }
}
