using System.Data.Common;
using System.Diagnostics;

namespace Fieldline.Bench.Scale;

/// <summary>
/// Grows a demo database to N orders by copying the demo company's 60 orders, with their timelines and clocks, back in
/// time (90 minutes per copy): each copy gets its own customers (with their own phone numbers) and is closed, its clocks
/// stopped, as history is. The open backlog stays the demo's, as a real company's does; only the history grows.
/// Run it while the app is stopped; it continues from the copies already made. With <c>spanDays</c> the copies are spread
/// evenly over that many days back instead (bench/reports.sh: N orders over two years, each size on a database of its own).
/// </summary>
internal static class Grow
{
    private const long Stride = 1000; // ids of copy k are the original's + k × Stride (the demo has fewer than 1,000 of each)

    public static async Task<int> To(string provider, string connectionString, int orders, double? spanDays = null)
    {
        var postgres = provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);
        await using DbConnection c = postgres ? new Npgsql.NpgsqlConnection(connectionString) : new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await c.OpenAsync();
        var baseOrders = await Scalar(c, """SELECT COUNT(*) FROM "WorkOrders" WHERE "Id" < 1000""");
        var have = await Scalar(c, """SELECT COALESCE(MAX("Id"), 0) FROM "WorkOrders" """) / Stride;
        var want = (orders - baseOrders + baseOrders - 1) / baseOrders;
        var minutes = spanDays is { } days && want > 0 ? Math.Max(1, (long)(days * 1440 / want)) : 90L;
        var watch = Stopwatch.StartNew();
        for (var from = have + 1; from <= want; from += 2000) // in slices, so that no transaction grows without bound
        {
            var to = Math.Min(want, from + 1999);
            await using var tx = await c.BeginTransactionAsync();
            foreach (var sql in Statements(postgres, from, to, minutes))
            {
                await using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandTimeout = 0;
                cmd.CommandText = sql;
                await cmd.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
            Console.Error.WriteLine($"copies {from}..{to} of {want} ({watch.Elapsed.TotalSeconds:0} s)");
        }
        if (postgres)
            foreach (var table in new[] { "Customers", "WorkOrders", "TimelineEntries", "SlaClocks" })
            {
                await Execute(c, $"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), (SELECT MAX("Id") FROM "{table}"));""");
                // What autovacuum does to a table soon after a bulk insert: the statistics, and the visibility map that
                // lets the reports' covering indexes be read without the table (index-only scans).
                await Execute(c, $"""VACUUM (ANALYZE) "{table}";""");
            }
        Console.WriteLine($"orders\t{await Scalar(c, """SELECT COUNT(*) FROM "WorkOrders" """)}\ttimeline\t{await Scalar(c, """SELECT COUNT(*) FROM "TimelineEntries" """)}\tclocks\t{await Scalar(c, """SELECT COUNT(*) FROM "SlaClocks" """)}\tin {watch.Elapsed.TotalSeconds:0} s");
        return 0;
    }

    private static IEnumerable<string> Statements(bool postgres, long from, long to, long minutes)
    {
        var copies = postgres ? $"generate_series({from}, {to}) AS k(n)" : $"(WITH RECURSIVE s(n) AS (SELECT {from} UNION ALL SELECT n + 1 FROM s WHERE n < {to}) SELECT n FROM s) AS k";
        // 90 minutes (or the span's share) back per copy: SQLite keeps times as (ticks / 1000) << 11 (EF's DateTimeOffsetToBinaryConverter, UTC).
        string Back(string column) => postgres ? $"{column} - k.n * interval '{minutes} minutes'" : $"{column} - k.n * {minutes * 60 * 10_000_000 / 1000 * 2048}";
        string Phone(string id) => postgres ? $"'139' || lpad(CAST(k.n * 100 + {id} % 100 AS text), 8, '0')" : $"'139' || printf('%08d', k.n * 100 + {id} % 100)";
        var closed = postgres ? "'Closed'" : "'Closed'";
        yield return $"""
            INSERT INTO "Customers" ("Id", "BranchId", "Name", "Phone", "Address", "Lat", "Lng", "CreatedAt", "Version")
            SELECT c."Id" + k.n * {Stride}, c."BranchId", c."Name", {Phone("c.\"Id\"")}, c."Address", c."Lat", c."Lng", {Back("c.\"CreatedAt\"")}, 0
            FROM "Customers" c, {copies} WHERE c."Id" < {Stride}
            """;
        yield return $"""
            INSERT INTO "WorkOrders" ("Id", "Code", "BranchId", "Type", "Channel", "Status", "Priority", "AngryCustomer", "PolicyVersionId", "CustomerId",
                "ProductId", "ProductLine", "ProductModel", "SerialNumber", "PurchaseDate", "InWarranty", "ContactPerson", "ContactPhone", "Address", "Lat", "Lng",
                "FaultDescription", "RequestedStart", "RequestedEnd", "TechnicianId", "AppointmentStart", "AppointmentEnd", "CreatedAt", "DispatchedAt",
                "AcceptedAt", "ContactedAt", "CheckedInAt", "CompletedAt", "VisitedAt", "ClosedAt", "CancelledAt", "CheckInLat", "CheckInLng", "EmptyTrip",
                "Resolution", "FaultCategory", "Barcode", "TestRunMinutes", "ChecklistJson", "SignatureAttachmentId", "VisitReached", "Satisfaction",
                "CancelReason", "Version", "InvoiceNumber")
            SELECT w."Id" + k.n * {Stride}, w."Code" || '-' || k.n, w."BranchId", w."Type", w."Channel", {closed}, w."Priority", w."AngryCustomer", w."PolicyVersionId",
                w."CustomerId" + k.n * {Stride}, NULL, w."ProductLine", w."ProductModel", w."SerialNumber", w."PurchaseDate", w."InWarranty", w."ContactPerson",
                {Phone("w.\"CustomerId\"")}, w."Address", w."Lat", w."Lng", w."FaultDescription", {Back("w.\"RequestedStart\"")}, {Back("w.\"RequestedEnd\"")}, w."TechnicianId",
                {Back("w.\"AppointmentStart\"")}, {Back("w.\"AppointmentEnd\"")}, {Back("w.\"CreatedAt\"")}, {Back("w.\"DispatchedAt\"")}, {Back("w.\"AcceptedAt\"")},
                {Back("w.\"ContactedAt\"")}, {Back("w.\"CheckedInAt\"")}, {Back("COALESCE(w.\"CompletedAt\", w.\"CreatedAt\")")}, {Back("w.\"VisitedAt\"")},
                {Back("COALESCE(w.\"ClosedAt\", w.\"CreatedAt\")")}, {Back("w.\"CancelledAt\"")}, w."CheckInLat", w."CheckInLng", w."EmptyTrip", w."Resolution",
                w."FaultCategory", w."Barcode", w."TestRunMinutes", w."ChecklistJson", NULL, w."VisitReached", w."Satisfaction", w."CancelReason", 0, w."InvoiceNumber"
            FROM "WorkOrders" w, {copies} WHERE w."Id" < {Stride}
            """;
        yield return $"""
            INSERT INTO "TimelineEntries" ("Id", "WorkOrderId", "At", "DeviceAt", "ActorUserId", "Actor", "ActorRole", "Action", "FromStatus", "ToStatus", "DataJson")
            SELECT t."Id" + k.n * {Stride}, t."WorkOrderId" + k.n * {Stride}, {Back("t.\"At\"")}, {Back("t.\"DeviceAt\"")}, t."ActorUserId", t."Actor", t."ActorRole",
                t."Action", t."FromStatus", t."ToStatus", t."DataJson"
            FROM "TimelineEntries" t, {copies} WHERE t."Id" < {Stride}
            """;
        yield return $"""
            INSERT INTO "SlaClocks" ("Id", "BranchId", "ComplaintId", "CountIn", "DueAt", "ExemptReason", "IsTarget", "Name", "NextCheckAt", "OverdueAt", "PenaltyKey",
                "ResponsibleRole", "ResponsibleUserId", "RuleId", "SevereApplied", "SevereAt", "StartedAt", "State", "StoppedAt", "TargetMinutes", "Version", "WarnAt",
                "Warned", "WorkOrderId")
            SELECT s."Id" + k.n * {Stride}, s."BranchId", NULL, s."CountIn", {Back("s.\"DueAt\"")}, s."ExemptReason", s."IsTarget", s."Name", NULL, {Back("s.\"OverdueAt\"")},
                s."PenaltyKey", s."ResponsibleRole", s."ResponsibleUserId", s."RuleId", s."SevereApplied", {Back("s.\"SevereAt\"")}, {Back("s.\"StartedAt\"")},
                CASE WHEN s."State" = 'Running' THEN 'Met' ELSE s."State" END, {Back("COALESCE(s.\"StoppedAt\", s.\"StartedAt\")")}, s."TargetMinutes", 0,
                {Back("s.\"WarnAt\"")}, s."Warned", s."WorkOrderId" + k.n * {Stride}
            FROM "SlaClocks" s, {copies} WHERE s."Id" < {Stride} AND s."WorkOrderId" IS NOT NULL
            """;
    }

    private static async Task<long> Scalar(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task Execute(DbConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }
}
