using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class QueryPlanTestsOnSqlite(SqliteFixture app, ITestOutputHelper output) : QueryPlanTests(app, output);
[Collection(PostgresCollection.Name)] public sealed class QueryPlanTestsOnPostgres(PostgresFixture app, ITestOutputHelper output) : QueryPlanTests(app, output);

/// <summary>
/// Reads stay flat as history grows only if every query of a list, a search, the board and Today reaches the orders,
/// their timeline and their clocks through an index. Each request below runs for real; every statement it sends is
/// explained by the database (PostgreSQL with sequential scans and sorts priced out, so that the plan shows whether an
/// index can serve at all, whatever the table's size), and no plan may read one of those tables whole.
/// </summary>
public abstract class QueryPlanTests(AppFixture app, ITestOutputHelper output)
{
    private static readonly string[] Large = ["WorkOrders", "TimelineEntries", "SlaClocks", "Customers", "IdempotencyRecords"];
    private readonly Given _given = new(app);

    private static readonly (string Read, string Path, bool OrderedByTheIndex)[] Reads =
    [
        ("list", "/api/work-orders?pageSize=20", true),
        ("status", "/api/work-orders?status=new&pageSize=20", true),
        ("statuses", "/api/work-orders?status=new,dispatched&pageSize=20", false),
        ("overdue", "/api/work-orders?overdue=true", false),
        ("dates", "/api/work-orders?from=2026-11-01T00:00:00%2B08:00&to=2026-12-01T00:00:00%2B08:00", true),
        ("phone", "/api/work-orders?q={phone}", false),
        ("code", "/api/work-orders?q={code}", false),
        ("name", "/api/work-orders?q=测试", false),
        ("next page", "/api/work-orders?pageSize=2&after={next}", true),
        ("board", "/api/dispatch/board", false),
        ("today", "/api/dispatch/today", false),
        ("export", "/api/work-orders/export.xlsx?status=new", true),
        ("customer by phone", "/api/customers?phone={phone}", false),
    ];

    [Fact]
    public async Task Every_statement_of_every_read_reaches_the_large_tables_by_an_index()
    {
        var order = await _given.NewRepairOrder();
        var phone = order["contactPhone"]?.GetValue<string>() ?? order["customer"]!["phone"]!.GetValue<string>();
        var next = (await _given.Dispatcher.Get("/api/work-orders?pageSize=2")).Expect(HttpStatusCode.OK).Str("next");
        var recorder = new Recorder();
        await using var watched = Watched(recorder);
        var dispatcher = new Api(watched.CreateClient(), app, "dispatcher");
        await dispatcher.Get("/api/work-orders?pageSize=1"); // sign-in and start-up reads are not the subject

        var failures = new List<string>();
        foreach (var (read, path, orderedByTheIndex) in Reads)
        {
            recorder.Commands.Clear();
            var url = path.Replace("{phone}", phone).Replace("{code}", order["code"]!.GetValue<string>()).Replace("{next}", next);
            var reply = await dispatcher.Get(url);
            Assert.True(reply.Status == HttpStatusCode.OK, $"{read}: {(int)reply.Status} {reply.Body.ToJsonString()}");
            await Check(watched, recorder, read, orderedByTheIndex, failures);
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task The_board_page_its_map_and_a_live_change_reach_the_large_tables_by_an_index()
    {
        var order = await _given.NewRepairOrder();
        var recorder = new Recorder();
        await using var watched = Watched(recorder);
        var console = await ConsoleSession.SignIn(watched, "dispatcher");
        var failures = new List<string>();
        foreach (var (read, url) in new[] { ("board page", "/board"), ("board change", $"/board?handler=Change&orderId={order["id"]}") })
        {
            recorder.Commands.Clear();
            await console.Get(url);
            await Check(watched, recorder, read, false, failures);
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task A_new_repair_looks_for_its_units_earlier_repairs_among_the_units_completed_orders_only_through_their_partial_index()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var recorder = new Recorder();
        await using var watched = Watched(recorder);
        var clerk = new Api(watched.CreateClient(), app, "clerk");
        await clerk.Get("/api/work-orders?pageSize=1"); // sign-in and start-up reads are not the subject
        recorder.Commands.Clear();

        // The unit's open orders (the first repair, not yet done) are not what a repeat is looked for among.
        (await clerk.Post("/api/work-orders", Given.RepairBody(customer, serial))).Expect(HttpStatusCode.Created);
        (await clerk.Post("/api/work-orders", Given.RepairBody(customer, serial))).Expect(HttpStatusCode.Created);

        var lookup = recorder.Commands.LastOrDefault(c => c.Text.Contains("FROM \"WorkOrders\"", StringComparison.Ordinal)
            && c.Text.Contains("\"ProductId\" = ", StringComparison.Ordinal) && c.Text.Contains("\"CompletedAt\" >= ", StringComparison.Ordinal));
        Assert.True(lookup is not null, "the create did not look for an earlier repair of the unit (repeatRepair.windowDays in the policy in force?)");
        var plan = await Explain(watched, lookup);
        output.WriteLine($"{lookup.Text}\n{string.Join("\n", plan)}");
        Assert.Contains(plan, l => l.Contains("IX_WorkOrders_ProductId_CompletedAt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dispatch_reads_the_technicians_leave_suspensions_kit_checks_insurance_trips_and_leaving_by_the_technicians_index()
    {
        // One person's eligibility comes in one statement; its "latest kit check" and "latest insurance record" are
        // windows over rows, which must be this person's rows found by index, not every person's (they grow with the
        // company's history: a kit check a month, a record a year, for every technician).
        string[] people = ["LeaveRequests", "Suspensions", "ToolChecks", "HrRecords", "ServiceTrips", "Offboardings"];
        var id = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        var technicianId = await _given.TechnicianId("tech01");
        var recorder = new Recorder();
        await using var watched = Watched(recorder);
        var dispatcher = new Api(watched.CreateClient(), app, "dispatcher");
        await dispatcher.Get("/api/work-orders?pageSize=1"); // sign-in and start-up reads are not the subject
        recorder.Commands.Clear();

        (await dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId })).Expect(HttpStatusCode.OK);

        var read = recorder.Commands.SingleOrDefault(c => people.All(t => c.Text.Contains($"\"{t}\"", StringComparison.Ordinal)));
        Assert.True(read is not null, "the dispatch did not read the technician's eligibility in one statement");
        // Sorting is allowed here: ordering one person's few rows for "the latest" is cheap; walking every person's is not.
        var plan = await Explain(watched, read, sorts: true);
        output.WriteLine($"{read.Text}\n{string.Join("\n", plan)}");
        var whole = app.Provider == "Sqlite" ? WholeOnSqlite() : WholeOnPostgres();
        Assert.True(whole.Count == 0, $"reads a table of people's records whole:\n{string.Join("\n", whole)}\n\n{read.Text}");

        // SQLite: "SCAN t0" (the table) or "SCAN t0 USING INDEX …" (a whole index), not "SEARCH t0 USING INDEX … (TechnicianId=?…)".
        List<string> WholeOnSqlite()
        {
            var aliases = System.Text.RegularExpressions.Regex.Matches(read.Text, "\"(\\w+)\" AS \"?(\\w+)\"?")
                .Where(m => people.Contains(m.Groups[1].Value)).Select(m => m.Groups[2].Value).ToHashSet();
            return plan.Where(l => l.TrimStart(' ', '|', '`', '-') is var t && t.StartsWith("SCAN ", StringComparison.Ordinal)
                && aliases.Contains(t[5..].Split(' ')[0])).ToList();
        }

        // PostgreSQL (sequential scans priced out): every scan of those tables must be bounded by the technician's key —
        // an index scan with it in its condition, or a bitmap scan rechecking it — not an index walked end to end.
        List<string> WholeOnPostgres()
        {
            var found = new List<string>();
            for (var i = 0; i < plan.Count; i++)
            {
                if (!people.Any(t => plan[i].Contains($" on \"{t}\"", StringComparison.Ordinal))) continue;
                var details = plan.Skip(i + 1).TakeWhile(l => !l.Contains("->", StringComparison.Ordinal)).ToList();
                var bounded = details.Any(l => (l.Contains("Index Cond:", StringComparison.Ordinal) || l.Contains("Recheck Cond:", StringComparison.Ordinal))
                    && l.Contains("\"TechnicianId\"", StringComparison.Ordinal));
                if (!bounded) found.Add(string.Join("\n", [plan[i], .. details]));
            }
            return found;
        }
    }

    /// <summary>An app whose every database command <paramref name="recorder"/> sees, to be explained.</summary>
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Watched(Recorder recorder) => app.Create(b => b.ConfigureTestServices(s =>
    {
        if (app.Provider == "Sqlite") s.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(recorder));
        else s.ConfigureDbContext<PostgresAppDbContext>(o => o.AddInterceptors(recorder));
    }));

    private async Task Check(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> watched, Recorder recorder, string read, bool orderedByTheIndex, List<string> failures)
    {
        {
            var reads = recorder.Commands.Where(c => c.Text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
                && Large.Any(t => c.Text.Contains($"\"{t}\"", StringComparison.Ordinal))).ToList();
            Assert.True(reads.Count > 0, $"{read} read none of the large tables");
            foreach (var command in reads)
            {
                var plan = await Explain(watched, command);
                output.WriteLine($"-- {read}\n{command.Text}\n{string.Join("\n", plan)}\n");
                var aliases = Aliases(command.Text);
                var whole = plan.Where(l => ReadsATableWhole(l, aliases)).ToList();
                // A page of a long list must come in the index's order: sorting first means reading every matching row.
                if (orderedByTheIndex) whole.AddRange(plan.Where(Sorts));
                // A search that narrows a large table by its branch or an entry's kind alone reads the whole history —
                // unless it walks the branch's orders in the page's order and stops at the page (a name many customers share).
                else if (!IsOrderedWalk(command.Text, plan)) whole.AddRange(plan.Where(l => ByHistoryWideKeyAlone(l, aliases)));
                if (whole.Count > 0) failures.Add($"{read} reads a large table whole:\n{string.Join("\n", whole)}\n\n{command.Text}");
            }
        }
    }

    /// <summary>The KPI reads of a period (KPI-03 parts supply, KPI-04 claim approval) and the date column their index must be searched by.</summary>
    private static readonly (string Table, string DateColumn)[] PeriodReads = [("Requisitions", "RequestedAt"), ("WarrantyClaims", "SubmittedAt")];

    [Fact]
    public async Task KPI03_KPI04_parts_supply_and_claim_approval_read_a_branchs_requisitions_and_claims_of_the_period_by_branch_and_date_index()
    {
        var recorder = new Recorder();
        await using var watched = Watched(recorder);
        var supervisor = new Api(watched.CreateClient(), app, "supervisor");
        await supervisor.Get("/api/me"); // sign-in reads are not the subject
        recorder.Commands.Clear();
        var reply = await supervisor.Get("/api/reports/kpis?from=2026-11-01&to=2026-12-01");
        Assert.True(reply.Status == HttpStatusCode.OK, $"{(int)reply.Status} {reply.Body.ToJsonString()}");

        var failures = new List<string>();
        foreach (var (table, column) in PeriodReads)
        {
            var reads = recorder.Commands.Where(c => c.Text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
                && c.Text.Contains($"FROM \"{table}\"", StringComparison.Ordinal)).ToList();
            Assert.True(reads.Count > 0, $"the KPI report read no {table}");
            foreach (var command in reads)
            {
                var plan = await Explain(watched, command);
                output.WriteLine($"-- {table}\n{command.Text}\n{string.Join("\n", plan)}\n");
                var alias = System.Text.RegularExpressions.Regex.Match(command.Text, $"FROM \"{table}\" AS \"(\\w+)\"").Groups[1].Value;
                // SQLite: "SEARCH r USING INDEX IX_Requisitions_BranchId_RequestedAt (BranchId=? AND RequestedAt>? AND RequestedAt<?)";
                // PostgreSQL: an index scan whose condition holds the date (a scan of the branch alone, or the whole table, fails).
                var byDate = app.Provider == "Sqlite"
                    ? plan.Any(l => l.TrimStart(' ', '|', '`', '-').StartsWith($"SEARCH {alias} ", StringComparison.Ordinal)
                        && l.Contains("BranchId=?", StringComparison.Ordinal) && l.Contains($"{column}>", StringComparison.Ordinal))
                    : plan.Any(l => l.Contains("Index Cond", StringComparison.Ordinal) && l.Contains($"\"{column}\"", StringComparison.Ordinal))
                        && !plan.Any(l => l.Contains($"Seq Scan on \"{table}\"", StringComparison.Ordinal));
                if (!byDate) failures.Add($"{table} is not read by (BranchId, {column}):\n{string.Join("\n", plan)}\n\n{command.Text}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public async Task The_dashboard_and_the_KPI_report_count_the_period_in_the_database_through_branch_and_date_indexes()
    {
        var recorder = new Recorder();
        await using var watched = Watched(recorder);
        var admin = new Api(watched.CreateClient(), app, "admin");
        await admin.Get("/api/me"); // sign-in reads are not the subject
        var console = await ConsoleSession.SignIn(watched, "admin");
        var failures = new List<string>();
        foreach (var (read, url) in new[]
                 {
                     ("kpis of the company's year", "/api/reports/kpis?from=2025-12-01&to=2026-12-01"),
                     ("kpis by technician", "/api/reports/kpis?from=2026-11-01&to=2026-12-01&groupBy=technician"),
                     ("kpis by day", "/api/reports/kpis?from=2026-11-01&to=2026-12-01&groupBy=day"),
                 })
        {
            recorder.Commands.Clear();
            var reply = await admin.Get(url);
            Assert.True(reply.Status == HttpStatusCode.OK, $"{read}: {(int)reply.Status} {reply.Body.ToJsonString()}");
            await Check(watched, recorder, read, false, failures);
            // The database counts: every read of the orders or the clocks is a GROUP BY (the repeats' timeline entries aside,
            // which are read by (Action, At) and only for their link), never the period's rows.
            foreach (var command in recorder.Commands.Where(c => c.Text.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
                         && (c.Text.Contains("\"WorkOrders\"", StringComparison.Ordinal) || c.Text.Contains("\"SlaClocks\"", StringComparison.Ordinal))
                         && !c.Text.Contains("\"TimelineEntries\"", StringComparison.Ordinal)))
                if (!command.Text.Contains("GROUP BY", StringComparison.Ordinal)) failures.Add($"{read} reads rows instead of counting them:\n{command.Text}");
        }
        recorder.Commands.Clear();
        await console.Get("/reports?from=2026-11-01&to=2026-11-30");
        await Check(watched, recorder, "dashboard", false, failures);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private bool ReadsATableWhole(string line, IReadOnlySet<string> aliases)
    {
        if (app.Provider == "Sqlite")
        {
            // "SCAN w" (the table) or "SCAN w USING INDEX …" (a whole index), as opposed to "SEARCH w USING INDEX … (BranchId=?)";
            // w standing for one of the large tables in this statement (not a subquery's result or a small table).
            var t = line.TrimStart(' ', '|', '`', '-');
            return t.StartsWith("SCAN ", StringComparison.Ordinal) && aliases.Contains(t[5..].Split(' ')[0]);
        }
        return Large.Any(t => line.Contains($"Seq Scan on \"{t}\"", StringComparison.Ordinal));
    }

    private bool IsOrderedWalk(string sql, List<string> plan) =>
        sql.Contains("ORDER BY", StringComparison.Ordinal) && sql.Contains("LIMIT", StringComparison.Ordinal) && !plan.Any(Sorts);

    /// <summary>Keys every order of a branch's history shares: the branch, or a timeline entry's action ("created").</summary>
    private static readonly string[] HistoryWideKeys = ["(BranchId=?)", "(Action=?)"];

    private static bool ByHistoryWideKeyAlone(string line, IReadOnlySet<string> aliases)
    {
        var t = line.TrimStart(' ', '|', '`', '-');
        return t.StartsWith("SEARCH ", StringComparison.Ordinal) && aliases.Contains(t[7..].Split(' ')[0])
            && HistoryWideKeys.Any(k => t.EndsWith(k, StringComparison.Ordinal));
    }

    private bool Sorts(string line) => app.Provider == "Sqlite"
        ? line.Contains("USE TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal) || line.Contains("USE TEMP B-TREE FOR RIGHT PART OF ORDER BY", StringComparison.Ordinal)
        : line.TrimStart(' ', '-', '>').StartsWith("Sort", StringComparison.Ordinal) || line.Contains("Incremental Sort", StringComparison.Ordinal);

    /// <summary>The aliases EF gave the large tables in a statement: FROM "WorkOrders" AS "w".</summary>
    private static HashSet<string> Aliases(string sql) =>
        System.Text.RegularExpressions.Regex.Matches(sql, "\"(\\w+)\" AS \"(\\w+)\"")
            .Where(m => Large.Contains(m.Groups[1].Value)).Select(m => m.Groups[2].Value).ToHashSet();

    private async Task<List<string>> Explain(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> factory, Recorded command, bool sorts = false)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        if (app.Provider == "Postgres")
        {
            await using var off = connection.CreateCommand();
            off.CommandText = sorts ? "SET enable_seqscan = off;" : "SET enable_seqscan = off; SET enable_sort = off;";
            await off.ExecuteNonQueryAsync();
        }
        await using var explain = connection.CreateCommand();
        explain.CommandText = (app.Provider == "Sqlite" ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + command.Text;
        foreach (var (name, value, type) in command.Parameters)
        {
            var p = explain.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            if (type is { } dbType) p.DbType = dbType;
            explain.Parameters.Add(p);
        }
        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync()) lines.Add(app.Provider == "Sqlite" ? reader.GetString(3) : reader.GetString(0));
        return lines;
    }

    private sealed record Recorded(string Text, List<(string Name, object? Value, System.Data.DbType? Type)> Parameters);

    private sealed class Recorder : DbCommandInterceptor
    {
        public ConcurrentQueue<Recorded> Commands { get; } = new();

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Enqueue(new Recorded(command.CommandText,
                command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value, (System.Data.DbType?)p.DbType)).ToList()));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
