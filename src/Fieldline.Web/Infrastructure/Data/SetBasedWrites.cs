using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Fieldline.Web.Infrastructure.Data;

/// <summary>
/// Writes many rows of one table in the caller's transaction without SaveChanges' command per row: the SLA timer writes
/// thousands of rows per batch, and building, tracking and executing those commands was most of its tick. Inserts go
/// by binary COPY on PostgreSQL; on SQLite, which runs in-process, one single-row statement prepared once and
/// re-executed is cheapest (binding a long VALUES list costs SQLite more than the statements it saves). Updates go by
/// UPDATE … FROM VALUES, on PostgreSQL as many rows per statement as the parameter limit allows. Values go through the
/// model's type mappings, so rows are stored exactly as SaveChanges stores them (enums by name, lists as JSON on SQLite
/// and arrays on PostgreSQL). Constraints, foreign keys and unique indexes apply as usual; a violation or a stale version
/// surfaces as a DbUpdateException, as from SaveChanges.
/// </summary>
public static class SetBasedWrites
{
    // PostgreSQL allows 65,535 parameters per statement.
    private const int MaxParameters = 30_000;

    /// <summary>Inserts the rows (their generated keys are not read back). Navigations are ignored: set the foreign keys.</summary>
    public static async Task InsertAllAsync<T>(this AppDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var type = db.Model.FindEntityType(typeof(T))!;
        var columns = type.GetProperties().Where(p => !(p.IsPrimaryKey() && p.ValueGenerated != ValueGenerated.Never)).ToList();
        var sql = db.GetService<ISqlGenerationHelper>();
        var table = $"{Table(type, sql)} ({string.Join(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName())))})";
        if (Transaction(db).Connection is NpgsqlConnection postgres)
            await Copy(postgres, table, rows, columns, ct);
        else
            await Execute(db, rows, columns, values => $"INSERT INTO {table} VALUES {values}", (_, _) => { }, ct);
    }

    /// <summary>
    /// Writes the named columns of existing rows, as SaveChanges writes a modified versioned entity: only where the row
    /// still has the version that was read, incrementing it. If any row changed meanwhile, DbUpdateConcurrencyException
    /// is thrown (and the caller's transaction, not committed, keeps nothing).
    /// </summary>
    public static async Task UpdateAllAsync<T>(this AppDbContext db, IReadOnlyCollection<T> rows, IReadOnlyList<string> properties, CancellationToken ct)
        where T : class, IVersioned
    {
        if (rows.Count == 0) return;
        var type = db.Model.FindEntityType(typeof(T))!;
        var key = type.FindPrimaryKey()!.Properties.Single();
        var version = type.FindProperty(nameof(IVersioned.Version))!;
        List<IProperty> columns = [key, version, .. properties.Select(p => type.FindProperty(p) ?? throw new ArgumentException($"{typeof(T).Name} has no property {p}."))];
        var sql = db.GetService<ISqlGenerationHelper>();
        string Name(IProperty p) => sql.DelimitIdentifier(p.GetColumnName());
        var set = string.Join(", ", columns.Skip(2).Select(p => $"{Name(p)} = v.{Name(p)}").Append($"{Name(version)} = v.{Name(version)} + 1"));
        await Execute(db, rows, columns,
            values => $"WITH v({string.Join(", ", columns.Select(Name))}) AS (VALUES {values}) " +
                      $"UPDATE {Table(type, sql)} AS t SET {set} FROM v WHERE t.{Name(key)} = v.{Name(key)} AND t.{Name(version)} = v.{Name(version)}",
            (expected, affected) =>
            {
                if (affected != expected)
                    throw new DbUpdateConcurrencyException($"{expected - affected} of {expected} {type.GetTableName()} rows were changed or deleted since they were read.");
            }, ct);
        foreach (var row in rows) row.Version++;
    }

    private static string Table(IEntityType type, ISqlGenerationHelper sql) => sql.DelimitIdentifier(type.GetTableName()!, type.GetSchema());

    private static DbTransaction Transaction(AppDbContext db) => db.Database.CurrentTransaction?.GetDbTransaction()
        ?? throw new InvalidOperationException("Set-based writes run in the caller's transaction; begin one first.");

    /// <summary>Runs the statement over the rows, a chunk at a time; the statement gets the chunk's "(@p0, @p1), (@p2, @p3)".</summary>
    private static async Task Execute<T>(AppDbContext db, IReadOnlyCollection<T> rows, IReadOnlyList<IProperty> columns, Func<string, string> statement,
        Action<int, int> checkAffected, CancellationToken ct) where T : class
    {
        var transaction = Transaction(db);
        var perStatement = db.Database.IsSqlite() ? 1 : MaxParameters / columns.Count;
        var mappings = columns.Select(c => c.GetRelationalTypeMapping()).ToList();
        DbCommand? command = null;
        try
        {
            foreach (var chunk in rows.Chunk(perStatement))
            {
                if (command is null || command.Parameters.Count != chunk.Length * columns.Count)
                {
                    if (command is not null) await command.DisposeAsync();
                    command = transaction.Connection!.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = statement(Placeholders(chunk.Length, columns.Count));
                }
                command.Parameters.Clear();
                foreach (var row in chunk)
                    for (var i = 0; i < columns.Count; i++)
                        command.Parameters.Add(mappings[i].CreateParameter(command, $"@p{command.Parameters.Count}", columns[i].GetGetter().GetClrValue(row), columns[i].IsNullable));
                checkAffected(chunk.Length, await command.ExecuteNonQueryAsync(ct));
            }
        }
        catch (DbException e) { throw new DbUpdateException($"Writing {typeof(T).Name} rows failed: {e.Message}", e); }
        finally { if (command is not null) await command.DisposeAsync(); }
    }

    private static string Placeholders(int rows, int columns)
    {
        var text = new StringBuilder();
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++) text.Append(c == 0 ? "@p" : ", @p").Append(r * columns + c);
            text.Append(')');
        }
        return text.ToString();
    }

    /// <summary>PostgreSQL's bulk path: the rows streamed in binary, in the connection's open transaction.</summary>
    private static async Task Copy<T>(NpgsqlConnection connection, string table, IReadOnlyCollection<T> rows, IReadOnlyList<IProperty> columns, CancellationToken ct)
        where T : class
    {
        var converters = columns.Select(c => c.GetRelationalTypeMapping().Converter).ToList();
        try
        {
            await using var writer = await connection.BeginBinaryImportAsync($"COPY {table} FROM STDIN (FORMAT BINARY)", ct);
            foreach (var row in rows)
            {
                await writer.StartRowAsync(ct);
                for (var i = 0; i < columns.Count; i++)
                {
                    var value = columns[i].GetGetter().GetClrValue(row);
                    if (value is not null && converters[i] is { } converter) value = converter.ConvertToProvider(value);
                    if (value is null) await writer.WriteNullAsync(ct);
                    else await writer.WriteAsync(value, ct);
                }
            }
            await writer.CompleteAsync(ct);
        }
        catch (DbException e) { throw new DbUpdateException($"Writing {typeof(T).Name} rows failed: {e.Message}", e); }
    }
}
