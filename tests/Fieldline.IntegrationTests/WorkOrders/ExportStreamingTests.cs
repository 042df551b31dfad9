using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class ExportStreamingTestsOnSqlite(SqliteFixture app) : ExportStreamingTests(app);
[Collection(PostgresCollection.Name)] public sealed class ExportStreamingTestsOnPostgres(PostgresFixture app) : ExportStreamingTests(app);

/// <summary>
/// The Excel export of a whole history must not hold the history in memory: rows go from the database reader to the
/// workbook as they come. Both providers use a retrying execution strategy, and for a strategy that retries EF Core reads
/// a query's whole result into memory before it hands over the first row ("buffering": a retry must be able to start
/// over) — unless the read runs as a <see cref="StreamingRead"/>. The test counts the rows the export's database reader
/// has given when the first order is made from it: one when streaming, all of them when buffered. The memory this saves
/// is measured by the growth benchmark (docs/benchmarks.md, "Scale").
/// </summary>
public abstract class ExportStreamingTests(AppFixture app)
{
    private const int Copies = 1000;
    private readonly Given _given = new(app);

    [Fact]
    public async Task The_export_makes_each_order_as_its_row_arrives_instead_of_reading_the_whole_history_into_memory_first()
    {
        var order = await _given.NewRepairOrder();
        await CopyOrder(order["id"]!.GetValue<long>(), Copies);
        try
        {
            var recorder = new Recorder();
            await using var watched = app.Create(b => b.ConfigureTestServices(s =>
            {
                if (app.Provider == "Sqlite") s.ConfigureDbContext<SqliteAppDbContext>(o => o.AddInterceptors(recorder));
                else s.ConfigureDbContext<PostgresAppDbContext>(o => o.AddInterceptors(recorder));
            }));
            var client = watched.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.Token(client, "dispatcher"));

            using var response = await client.GetAsync("/api/work-orders/export.xlsx");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 10_000);
            var rows = recorder.RowsWhenFirstMade;
            Assert.True(rows is not null, "the export's query was not seen");
            Assert.True(rows <= 2, $"the export's reader had given {rows} rows before the first order was made: they were buffered in memory");
            Assert.True(recorder.ExportRows > Copies, $"the export read {recorder.ExportRows} rows");
        }
        finally
        {
            await app.Db(db => db.WorkOrders.Where(o => o.Code.StartsWith("EXPORT-")).ExecuteDeleteAsync());
        }
    }

    /// <summary>Copies of one order (same branch and customer, codes EXPORT-n), written in one statement on either database.</summary>
    private Task CopyOrder(long id, int copies) => app.Db(async db =>
    {
        var table = db.Model.FindEntityType(typeof(WorkOrder))!;
        var columns = table.GetProperties().Select(p => p.GetColumnName()).Where(c => c is not ("Id" or "Code")).Select(c => $"\"{c}\"").ToList();
        var list = string.Join(", ", columns);
        var code = app.Provider == "Sqlite" ? "'EXPORT-' || n.i" : "'EXPORT-' || n.i::text";
        // Column names from the model and two integers: nothing here comes from outside the test.
        var sql = $"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {copies})
            INSERT INTO "WorkOrders" ("Code", {list}) SELECT {code}, {string.Join(", ", columns.Select(c => "w." + c))} FROM n, "WorkOrders" AS w WHERE w."Id" = {id}
            """;
        return await db.Database.ExecuteSqlRawAsync(sql);
    });

    #pragma warning disable CA1001 // the counting reader is EF Core's to dispose, like any reader an interceptor hands back
    /// <summary>Counts the rows the export's database reader gives, and how many it had given when the first order was made.</summary>
    private sealed class Recorder : DbCommandInterceptor, IMaterializationInterceptor
    {
        private Counting? _export; // owned by EF Core, which disposes the reader it was handed
        public int? RowsWhenFirstMade { get; private set; }
        public int ExportRows => _export?.Rows ?? 0;

        private static bool IsExport(DbCommand c) => c.CommandText.Contains("FROM \"WorkOrders\"", StringComparison.Ordinal)
            && c.CommandText.Contains("\"Customers\"", StringComparison.Ordinal) && c.CommandText.Contains("ORDER BY", StringComparison.Ordinal)
            && !c.CommandText.Contains("LIMIT", StringComparison.Ordinal);

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken ct = default) =>
            ValueTask.FromResult<DbDataReader>(IsExport(command) ? _export = new Counting(result) : result);

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) =>
            IsExport(command) ? _export = new Counting(result) : result;

        public object InitializedInstance(MaterializationInterceptionData data, object entity)
        {
            if (entity is WorkOrder && _export is { } export) RowsWhenFirstMade ??= export.Rows;
            return entity;
        }
    }

#pragma warning restore CA1001

    /// <summary>A database reader that counts the rows it gives.</summary>
    private sealed class Counting(DbDataReader inner) : DbDataReader
    {
        public int Rows;
        public override bool Read() { var more = inner.Read(); if (more) Rows++; return more; }
        public override async Task<bool> ReadAsync(CancellationToken ct) { var more = await inner.ReadAsync(ct); if (more) Rows++; return more; }
        public override object this[int ordinal] => inner[ordinal];
        public override object this[string name] => inner[name];
        public override int Depth => inner.Depth;
        public override int FieldCount => inner.FieldCount;
        public override bool HasRows => inner.HasRows;
        public override bool IsClosed => inner.IsClosed;
        public override int RecordsAffected => inner.RecordsAffected;
        public override bool GetBoolean(int ordinal) => inner.GetBoolean(ordinal);
        public override byte GetByte(int ordinal) => inner.GetByte(ordinal);
        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);
        public override char GetChar(int ordinal) => inner.GetChar(ordinal);
        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);
        public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);
        public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);
        public override decimal GetDecimal(int ordinal) => inner.GetDecimal(ordinal);
        public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);
        public override System.Collections.IEnumerator GetEnumerator() => ((System.Collections.IEnumerable)inner).GetEnumerator();
        public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal);
        public override T GetFieldValue<T>(int ordinal) => inner.GetFieldValue<T>(ordinal);
        public override Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken ct) => inner.GetFieldValueAsync<T>(ordinal, ct);
        public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);
        public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);
        public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);
        public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);
        public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);
        public override string GetName(int ordinal) => inner.GetName(ordinal);
        public override int GetOrdinal(string name) => inner.GetOrdinal(name);
        public override string GetString(int ordinal) => inner.GetString(ordinal);
        public override object GetValue(int ordinal) => inner.GetValue(ordinal);
        public override int GetValues(object[] values) => inner.GetValues(values);
        public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);
        public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken ct) => inner.IsDBNullAsync(ordinal, ct);
        public override bool NextResult() => inner.NextResult();
        public override Task<bool> NextResultAsync(CancellationToken ct) => inner.NextResultAsync(ct);
        public override void Close() => inner.Close();
        public override Task CloseAsync() => inner.CloseAsync();
        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
