// Issue 18 benchmark, driven by bench/parts.sh against a running Fieldline (a separate process, as a client sees it):
//   grow <Sqlite|Postgres> <connection> <parts> <vans> <lines>   bench parts, vans and stock lines in the demo's Changsha branch (app stopped)
//   reads <url> <runs>                                            the median of each read: on-hand of a van, of a part, the stock list,
//                                                                 a requisition and its issue, the stock export, the month's parts cost report
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

return args switch
{
    ["grow", var provider, var cs, var parts, var vans, var lines] => await Grow.Run(provider, cs, int.Parse(parts, CultureInfo.InvariantCulture),
        int.Parse(vans, CultureInfo.InvariantCulture), int.Parse(lines, CultureInfo.InvariantCulture)),
    ["reads", var url, var runs] => await Reads.Time(url, int.Parse(runs, CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: grow <Sqlite|Postgres> <cs> <parts> <vans> <lines> | reads <url> <runs>");
    return 2;
}

/// <summary>
/// Adds <c>parts</c> catalogue parts (BP-000001 …), <c>vans</c> bench vans (van:bench-n, no technician row) and <c>lines</c>
/// stock movements to the Changsha branch, set-based: first a receipt of 1,000 of each part into the warehouse, then
/// triplets — an issue of 2 from the warehouse to a van (two lines) and the use of 1 on a repair this month — and the
/// on-hand levels derived from the lines, as the app keeps them. Run it on a migrated, demo-seeded database with the app stopped.
/// </summary>
internal static class Grow
{
    public static async Task<int> Run(string provider, string cs, int parts, int vans, int lines)
    {
        var pg = provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);
        await using DbConnection c = pg ? new Npgsql.NpgsqlConnection(cs) : new Microsoft.Data.Sqlite.SqliteConnection(cs);
        await c.OpenAsync();
        var watch = Stopwatch.StartNew();
        var branch = await Scalar(c, """SELECT "BranchId" FROM "Users" WHERE "UserName" = 'warehouse'""");
        var user = await Scalar(c, """SELECT "Id" FROM "Users" WHERE "UserName" = 'warehouse'""");
        var now = DateTimeOffset.UtcNow;
        string Time(string hoursBackExpr) => pg
            ? $"TIMESTAMPTZ '{now:yyyy-MM-dd HH:mm:ss}+00' - ({hoursBackExpr}) * interval '1 hour'"
            : $"({(now.UtcTicks / 1000) << 11} - ({hoursBackExpr}) * {TimeSpan.TicksPerHour / 1000 * 2048})";
        string Series(long from, long to) => pg ? $"generate_series({from}, {to}) AS k(n)"
            : $"(WITH RECURSIVE s(n) AS (SELECT {from} UNION ALL SELECT n + 1 FROM s WHERE n < {to}) SELECT n FROM s) AS k";
        string Pad(string expr, int width) => pg ? $"lpad(CAST({expr} AS text), {width}, '0')" : $"printf('%0{width}d', {expr})";
        var t = pg ? "true" : "1";
        var f = pg ? "false" : "0";

        await Execute(c, $"""
            INSERT INTO "StockLocations" ("BranchId", "Kind", "TechnicianId", "Key")
            SELECT {branch}, 'Warehouse', NULL, 'warehouse' WHERE NOT EXISTS (SELECT 1 FROM "StockLocations" WHERE "BranchId" = {branch} AND "Key" = 'warehouse')
            """);
        var warehouse = await Scalar(c, $"""SELECT "Id" FROM "StockLocations" WHERE "BranchId" = {branch} AND "Key" = 'warehouse'""");
        await Execute(c, $"""
            INSERT INTO "Parts" ("PartNumber", "Name", "ProductLine", "FitsModels", "UnitCost", "ListPrice", "WarrantyClass", "MustReturn", "Active", "CreatedAt", "Version")
            SELECT 'BP-' || {Pad("k.n", 6)}, '配件 ' || k.n, CASE WHEN k.n % 2 = 0 THEN 'ac' ELSE 'purifier' END, {(pg ? "'{}'" : "'[]'")},
                10 + k.n % 90, 20 + k.n % 180, CASE WHEN k.n % 10 = 0 THEN 'Consumable' ELSE 'Covered' END, CASE WHEN k.n % 3 = 0 THEN {t} ELSE {f} END, {t}, {Time("0")}, 0
            FROM {Series(1, parts)}
            """);
        var firstPart = await Scalar(c, """SELECT "Id" FROM "Parts" WHERE "PartNumber" = 'BP-000001'""");
        await Execute(c, $"""
            INSERT INTO "StockLocations" ("BranchId", "Kind", "TechnicianId", "Key")
            SELECT {branch}, 'Van', NULL, 'van:bench-' || k.n FROM {Series(1, vans)}
            """);
        var firstVan = await Scalar(c, $"""SELECT "Id" FROM "StockLocations" WHERE "BranchId" = {branch} AND "Key" = 'van:bench-1'""");
        const string Columns = """ "PartId", "LocationId", "Quantity", "Kind", "OtherLocationId", "WorkOrderId", "RequisitionId", "Reference", "Reason", "ByUserId", "At" """;
        await Execute(c, $"""
            INSERT INTO "StockMovements" ({Columns})
            SELECT {firstPart} + k.n, {warehouse}, 1000, 'Receipt', NULL, NULL, NULL, 'BENCH', NULL, {user}, {Time("720")} FROM {Series(0, parts - 1)}
            """);
        var triplets = Math.Max(0, (lines - parts) / 3);
        for (long from = 0; from < triplets; from += 100_000)
        {
            var to = Math.Min(triplets, from + 100_000) - 1;
            await using var tx = await c.BeginTransactionAsync();
            string Part() => $"{firstPart} + k.n % {parts}";
            string Van() => $"{firstVan} + (k.n / {parts}) % {vans}";
            await Execute(c, $"""
                INSERT INTO "StockMovements" ({Columns})
                SELECT {Part()}, {warehouse}, -2, 'Issue', {Van()}, NULL, NULL, 'BENCH', NULL, {user}, {Time("k.n % 600 + 2")} FROM {Series(from, to)}
                """, tx);
            await Execute(c, $"""
                INSERT INTO "StockMovements" ({Columns})
                SELECT {Part()}, {Van()}, 2, 'Issue', {warehouse}, NULL, NULL, 'BENCH', NULL, {user}, {Time("k.n % 600 + 2")} FROM {Series(from, to)}
                """, tx);
            await Execute(c, $"""
                INSERT INTO "StockMovements" ({Columns})
                SELECT {Part()}, {Van()}, -1, 'Use', NULL, NULL, NULL, 'BENCH', NULL, {user}, {Time("k.n % 24 + 1")} FROM {Series(from, to)}
                """, tx);
            await tx.CommitAsync();
            Console.Error.WriteLine($"triplets {from}..{to} of {triplets} ({watch.Elapsed.TotalSeconds:0} s)");
        }
        // The on-hand figures, derived from the lines exactly as the ledger keeps them (one row per place and part).
        await Execute(c, $"""
            DELETE FROM "StockLevels" WHERE "PartId" >= {firstPart} AND "PartId" < {firstPart + parts}
            """);
        await Execute(c, $"""
            INSERT INTO "StockLevels" ("LocationId", "PartId", "OnHand", "Version")
            SELECT "LocationId", "PartId", SUM("Quantity"), 0 FROM "StockMovements" WHERE "PartId" >= {firstPart} AND "PartId" < {firstPart + parts}
            GROUP BY "LocationId", "PartId"
            """);
        if (pg) foreach (var table in new[] { "Parts", "StockLocations", "StockMovements", "StockLevels" }) await Execute(c, $"""ANALYZE "{table}";""");
        else await Execute(c, "ANALYZE;");
        Console.WriteLine($"parts\t{await Scalar(c, """SELECT COUNT(*) FROM "Parts" """)}\tvans\t{await Scalar(c, """SELECT COUNT(*) FROM "StockLocations" WHERE "Kind" = 'Van'""")}\tlines\t{await Scalar(c, """SELECT COUNT(*) FROM "StockMovements" """)}\tlevels\t{await Scalar(c, """SELECT COUNT(*) FROM "StockLevels" """)}\tin {watch.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    private static async Task<long> Scalar(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task Execute(DbConnection c, string sql, DbTransaction? tx = null)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }
}

internal static class Reads
{
    private static async Task<HttpClient> SignIn(string url, string user)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        var token = await http.PostAsJsonAsync("/api/auth/token", new { username = user, password = Environment.GetEnvironmentVariable("FIELDLINE_PASSWORD") ?? "Fieldline-2026" });
        token.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await token.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>());
        return http;
    }

    public static async Task<int> Time(string url, int runs)
    {
        using var keeper = await SignIn(url, "warehouse");
        using var supervisor = await SignIn(url, "supervisor");
        using var tech = await SignIn(url, "tech01");
        var locations = (await keeper.GetFromJsonAsync<JsonArray>("/api/stock/locations"))!;
        // A bench van (no technician row) when the database was grown, else a demo technician's van.
        var vans = locations.Where(l => l!["kind"]!.GetValue<string>() == "van").ToList();
        var van = vans.FirstOrDefault(l => l!["technicianId"] is null) ?? vans.First();
        var vanId = van!["id"]!.GetValue<int>();
        var month = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var reads = new (string Name, HttpClient Client, string Path)[]
        {
            ("on-hand of a van", keeper, $"/api/stock?locationId={vanId}"),
            ("on-hand of a part", keeper, "/api/stock?partNumber=BP-000123"),
            ("stock list (branch)", keeper, "/api/stock"),
            ("catalogue", keeper, "/api/parts"),
            ("parts cost report", supervisor, $"/api/reports/parts-cost?month={month}"),
            ("stock export", keeper, "/api/stock/export.xlsx"),
        };
        Console.WriteLine($"# {locations.Count} places; van {vanId}");
        Console.WriteLine("read\tmedian ms\tbytes");
        // Warm up first (a server's steady state: the runtime compiles a hot path fully only after its first ~30 calls).
        foreach (var (_, client, path) in reads.Where(r => !r.Path.Contains("export", StringComparison.Ordinal)))
            for (var i = 0; i < 30; i++) (await client.GetAsync(path)).Dispose();
        foreach (var (name, client, path) in reads)
        {
            var times = new List<double>();
            long bytes = 0;
            for (var i = 0; i < (path.Contains("export", StringComparison.Ordinal) ? Math.Min(runs, 3) : runs); i++)
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await client.GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{name}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)[..Math.Min(300, body.Length)]}");
                bytes = body.Length;
            }
            Console.WriteLine($"{name}\t{times.Order().ElementAt(times.Count / 2):0.0}\t{bytes}");
        }
        // A requisition for tech01's van and its issue by the keeper (the stock moves: two lines, two levels, one save).
        var issue = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var asked = await tech.PostAsJsonAsync("/api/requisitions", new { lines = new[] { new { partNumber = $"BP-{i % 100 + 1:000000}", quantity = 1 } }, note = "bench" });
            var body = await asked.Content.ReadAsStringAsync();
            if (!asked.IsSuccessStatusCode) { Console.WriteLine($"requisition\trefused {(int)asked.StatusCode}\t{body[..Math.Min(200, body.Length)]}"); break; }
            var id = JsonNode.Parse(body)!["id"]!.GetValue<long>();
            var t = Stopwatch.GetTimestamp();
            using var issued = await keeper.PostAsync($"/api/requisitions/{id}/issue", null);
            issue.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (!issued.IsSuccessStatusCode) throw new InvalidOperationException($"issue: {(int)issued.StatusCode} {await issued.Content.ReadAsStringAsync()}");
        }
        if (issue.Count > 0) Console.WriteLine($"requisition issue\t{issue.Order().ElementAt(issue.Count / 2):0.0}\t-");
        return 0;
    }
}
