// Issue 15: the month close as finance sees it, driven by bench/month-close.sh against a running Fieldline:
//   seed <Sqlite|Postgres> <connection> <month yyyy-MM> <technicians> <orders> <ledgerLines>
//        (the app stopped) adds N technicians to the demo company's Changsha branch, M completed orders spread over them and
//        over the month (each with the template order's timeline), and L fine lines in the month's ledger
//   time <url> <month yyyy-MM>
//        as finance: the preview (GET /api/pay-statements, every person's statement with its lines) and the close
//        (POST /api/pay-ledger/periods/close), each timed once; prints the statements, lines and seconds
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

return args switch
{
    ["seed", var provider, var cs, var month, var techs, var orders, var lines] =>
        await Seed.Run(provider, cs, month, int.Parse(techs, CultureInfo.InvariantCulture), int.Parse(orders, CultureInfo.InvariantCulture), int.Parse(lines, CultureInfo.InvariantCulture)),
    ["template", var url] => await Client.Template(url),
    ["time", var url, var month] => await Client.Time(url, month),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: template <url> | seed <Sqlite|Postgres> <connection> <yyyy-MM> <technicians> <orders> <ledgerLines> | time <url> <yyyy-MM>");
    return 2;
}

internal static class Client
{
    private static async Task<HttpClient> SignIn(string url, string user)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(30) };
        var token = await http.PostAsJsonAsync("/api/auth/token", new { username = user, password = Environment.GetEnvironmentVariable("FIELDLINE_PASSWORD") ?? "Fieldline-2026" });
        token.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>());
        return http;
    }

    /// <summary>One fine through the API (the supervisor's finding against tech01), so the seed has a real ledger line to copy.</summary>
    public static async Task<int> Template(string url)
    {
        var http = await SignIn(url, "supervisor");
        var technicians = await http.GetFromJsonAsync<JsonObject>("/api/technicians?pageSize=50");
        var tech01 = technicians!["items"]!.AsArray().First(t => t!["username"]!.GetValue<string>() == "tech01")!["userId"]!.GetValue<int>();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/violations") { Content = JsonContent.Create(new { ruleId = "PEN-74", personUserId = tech01, evidence = new { text = "bench" } }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var reply = await http.SendAsync(request);
        if (!reply.IsSuccessStatusCode) throw new InvalidOperationException($"violation: {(int)reply.StatusCode} {await reply.Content.ReadAsStringAsync()}");
        return 0;
    }

    public static async Task<int> Time(string url, string month)
    {
        var http = await SignIn(url, "finance");
        var me = await http.GetFromJsonAsync<JsonObject>("/api/me");
        var branchId = me!["branchId"]!.GetValue<int>();
        var watch = Stopwatch.StartNew();
        using var preview = await http.GetAsync($"/api/pay-statements?month={month}&branchId={branchId}", HttpCompletionOption.ResponseHeadersRead);
        preview.EnsureSuccessStatusCode();
        var page = await preview.Content.ReadFromJsonAsync<JsonObject>();
        var previewSeconds = watch.Elapsed.TotalSeconds;
        var statements = page!["items"]!.AsArray();
        var lines = statements.Sum(s => s!["lines"]!.AsArray().Count);

        watch.Restart();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pay-ledger/periods/close") { Content = JsonContent.Create(new { branchId, month }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var close = await http.SendAsync(request);
        var closeSeconds = watch.Elapsed.TotalSeconds;
        if (!close.IsSuccessStatusCode) throw new InvalidOperationException($"close: {(int)close.StatusCode} {await close.Content.ReadAsStringAsync()}");

        watch.Restart();
        using var after = await http.GetAsync($"/api/pay-statements?month={month}&branchId={branchId}", HttpCompletionOption.ResponseHeadersRead);
        after.EnsureSuccessStatusCode();
        var closed = await after.Content.ReadFromJsonAsync<JsonObject>();
        var closedSeconds = watch.Elapsed.TotalSeconds;
        var postedLines = closed!["items"]!.AsArray().Sum(s => s!["lines"]!.AsArray().Count);
        Console.WriteLine("statements\tlines\tpreviewS\tcloseS\tclosedReadS\tpostedLines");
        Console.WriteLine($"{statements.Count}\t{lines}\t{previewSeconds:0.00}\t{closeSeconds:0.00}\t{closedSeconds:0.00}\t{postedLines}");
        return 0;
    }
}

/// <summary>
/// Copies template rows in SQL (the fast way to 300,000 orders): the demo's tech01 (user and technician) N times, a
/// completed order of the demo M times (spread over the new technicians and over the month's days, each with the template
/// order's timeline), and the template fine line L times into the month. Columns are read from the database, so the copy
/// follows the schema; ids are given explicitly where later rows refer to them.
/// </summary>
internal static class Seed
{
    public static async Task<int> Run(string provider, string connectionString, string month, int technicians, int orders, int ledgerLines)
    {
        var pg = provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);
        await using DbConnection c = pg ? new Npgsql.NpgsqlConnection(connectionString) : new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await c.OpenAsync();
        var watch = Stopwatch.StartNew();
        var first = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);

        var tech01 = await Scalar(c, """SELECT "Id" FROM "Users" WHERE "UserName" = 'tech01'""");
        var tech01Technician = await Scalar(c, $"""SELECT "Id" FROM "Technicians" WHERE "UserId" = {tech01}""");
        var template = await Scalar(c, """SELECT MIN("Id") FROM "WorkOrders" WHERE "CompletedAt" IS NOT NULL AND "TechnicianId" IS NOT NULL AND "CancelledAt" IS NULL""");
        var line = await Scalar(c, """SELECT MIN("Id") FROM "PayLedgerEntries" WHERE "Kind" = 'Fine'""");
        // How far back the template's completion must move to land on the month's 27th, 04:00 UTC (12:00 in Changsha).
        var completed = pg
            ? new DateTimeOffset(DateTime.SpecifyKind((DateTime)(await Value(c, $"""SELECT "CompletedAt" FROM "WorkOrders" WHERE "Id" = {template}"""))!, DateTimeKind.Utc))
            : new DateTimeOffset((await Scalar(c, $"""SELECT "CompletedAt" FROM "WorkOrders" WHERE "Id" = {template}""") >> 11) * 1000, TimeSpan.Zero);
        var target = new DateTimeOffset(first.Year, first.Month, 27, 4, 0, 0, TimeSpan.Zero);
        var shiftMinutes = (long)(completed - target).TotalMinutes;

        var userBase = await Scalar(c, """SELECT MAX("Id") FROM "Users" """) + 1;
        var techBase = await Scalar(c, """SELECT MAX("Id") FROM "Technicians" """) + 1;
        var orderBase = await Scalar(c, """SELECT MAX("Id") FROM "WorkOrders" """) + 1;

        string Copies(long count) => pg ? $"generate_series(0, {count - 1}) AS k(n)"
            : $"(WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < {count - 1}) SELECT n FROM s) AS k";
        // Back by the shift, then by (n mod 25) days: the copies fall on the month's 2nd … 27th.
        string Back(string column) => pg
            ? $"{column} - ({shiftMinutes} + (k.n % 25) * 1440) * interval '1 minute'"
            : $"{column} - ({shiftMinutes} + (k.n % 25) * 1440) * {60L * 10_000_000 / 1000 * 2048}";
        static bool IsTime(string column) => column.EndsWith("At", StringComparison.Ordinal) || column is "AppointmentStart" or "AppointmentEnd" or "RequestedStart" or "RequestedEnd";

        async Task Copy(string table, string alias, string where, long count, Dictionary<string, string> set, bool shiftTimes, bool withId = true)
        {
            var columns = (await Columns(c, pg, table)).Where(x => withId || x != "Id").ToList();
            var select = columns.Select(x => set.TryGetValue(x, out var expression) ? expression : shiftTimes && IsTime(x) ? Back($"{alias}.\"{x}\"") : $"{alias}.\"{x}\"");
            for (long from = 0; from < count; from += 20_000) // slices: no transaction grows without bound
            {
                var n = Math.Min(20_000, count - from);
                var offset = from == 0 ? "" : $" + {from}";
                var sql = $"""INSERT INTO "{table}" ({string.Join(", ", columns.Select(x => $"\"{x}\""))}) SELECT {string.Join(", ", select).Replace("k.n", $"(k.n{offset})", StringComparison.Ordinal)} FROM "{table}" {alias}, {Copies(n)} WHERE {where}""";
                await Execute(c, sql);
            }
            Console.Error.WriteLine($"  {table}: {count:N0} copies of the template ({watch.Elapsed.TotalSeconds:0} s)");
        }

        await Copy("Users", "u", $"u.\"Id\" = {tech01}", technicians, new()
        {
            ["Id"] = $"{userBase} + k.n", ["UserName"] = "'mc' || CAST(k.n AS " + (pg ? "text" : "TEXT") + ")", ["DisplayName"] = "'月结' || CAST(k.n AS " + (pg ? "text" : "TEXT") + ")",
            ["NormalizedUserName"] = "NULL", ["Phone"] = "NULL",
        }, shiftTimes: false);
        await Copy("Technicians", "t", $"t.\"Id\" = {tech01Technician}", technicians, new() { ["Id"] = $"{techBase} + k.n", ["UserId"] = $"{userBase} + k.n" }, shiftTimes: false);
        await Copy("WorkOrders", "w", $"w.\"Id\" = {template}", orders, new()
        {
            ["Id"] = $"{orderBase} + k.n", ["Code"] = "w.\"Code\" || '-M' || CAST(k.n AS " + (pg ? "text" : "TEXT") + ")", ["TechnicianId"] = $"{techBase} + (k.n % {technicians})",
            ["Version"] = "0",
        }, shiftTimes: true);
        await Copy("TimelineEntries", "e", $"e.\"WorkOrderId\" = {template}", orders, new() { ["WorkOrderId"] = $"{orderBase} + k.n" }, shiftTimes: true, withId: false);
        if (ledgerLines > 0)
        {
            if (line == 0) throw new InvalidOperationException("no fine line to copy: run `template` against the app first");
            await Copy("PayLedgerEntries", "l", $"l.\"Id\" = {line}", ledgerLines, new()
            {
                ["PersonUserId"] = $"{userBase} + (k.n % {technicians})", ["Period"] = pg ? $"DATE '{first:yyyy-MM-dd}'" : $"'{first:yyyy-MM-dd}'",
                ["PenaltyCaseId"] = "NULL", ["ReversalOfId"] = "NULL",
            }, shiftTimes: false, withId: false);
        }
        if (pg)
            foreach (var table in new[] { "Users", "Technicians", "WorkOrders" })
                await Execute(c, $"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), (SELECT MAX("Id") FROM "{table}"))""");
        foreach (var table in new[] { "Users", "Technicians", "WorkOrders", "TimelineEntries", "PayLedgerEntries" })
            await Execute(c, pg ? $"ANALYZE \"{table}\"" : $"ANALYZE \"{table}\"");
        Console.WriteLine($"technicians\t{technicians}\torders\t{orders}\tledgerLines\t{ledgerLines}\tseeded in {watch.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    private static async Task<List<string>> Columns(DbConnection c, bool pg, string table)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = pg
            ? $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' AND table_schema = current_schema() ORDER BY ordinal_position"
            : $"SELECT name FROM pragma_table_info('{table}')";
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) list.Add(reader.GetString(0));
        return list;
    }

    private static async Task<object?> Value(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private static async Task<long> Scalar(DbConnection c, string sql) =>
        await Value(c, sql) is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : 0;

    private static async Task Execute(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }
}
