using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fieldline.Web.Infrastructure.Data;

/// <summary>
/// SQLite: inserts tracked, added entities with one statement per table, prepared once on the group commit's connection
/// and re-executed by every write, instead of EF Core's update pipeline. On SQLite a write runs in the one writer's turn,
/// which every other write waits for, and EF's SaveChanges was two thirds of a create's turn (sorting the commands,
/// generating their SQL anew, preparing them, consuming their results) where SQLite's own work was ~1 % (issue 14,
/// docs/benchmarks.md, session 18). Values go through the model's type mappings, as SaveChanges and
/// <see cref="SetBasedWrites"/> store them; each entity's generated key is read back and set through the tracker,
/// which carries it to the dependents' foreign keys, and the entities are then unchanged, as after a save.
/// </summary>
internal static class SqliteInserts
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<IEntityType, Statement>> Prepared = new();

    private sealed record Statement(SqliteCommand Command, IProperty Key, IProperty[] Columns, RelationalTypeMapping[] Mappings);

    /// <summary>
    /// Inserts the entities in order (principals before their dependents) in the open SQLite write; false, having done
    /// nothing, where this path does not apply (PostgreSQL, not in a turn of the group commit, an entity not added, or of a
    /// type with more than one generated value), so that the caller's SaveChanges inserts them as usual.
    /// </summary>
    public static async Task<bool> TryInsertAsync(AppDbContext db, IReadOnlyList<object> entities, CancellationToken ct)
    {
        if (!db.InGroupCommit || db.Database.CurrentTransaction?.GetDbTransaction() is not SqliteTransaction { Connection: { } connection } transaction) return false;
        var entries = db.WithoutDetect(entities, static (d, all) => all.Select(e => d.Entry(e)).ToList());
        if (entries.Any(e => e.State != EntityState.Added || Key(e.Metadata) is null)) return false;
        var statements = Prepared.GetOrCreateValue(connection);
        foreach (var entry in entries)
        {
            if (!statements.TryGetValue(entry.Metadata, out var statement))
                statements[entry.Metadata] = statement = Prepare(db, connection, entry.Metadata);
            var command = statement.Command;
            command.Transaction = transaction;
            command.Parameters.Clear();
            var values = entry.CurrentValues;
            for (var i = 0; i < statement.Columns.Length; i++)
                command.Parameters.Add(statement.Mappings[i].CreateParameter(command, "@p" + i, values[statement.Columns[i]], statement.Columns[i].IsNullable));
            object? key;
            try { key = await command.ExecuteScalarAsync(ct); }
            catch (SqliteException e) { throw new DbUpdateException($"Inserting {entry.Metadata.ClrType.Name} failed: {e.Message}", e); }
            entry.Property(statement.Key).CurrentValue = Convert.ChangeType(key, statement.Key.ClrType, System.Globalization.CultureInfo.InvariantCulture);
        }
        foreach (var entry in entries) entry.State = EntityState.Unchanged;
        return true;
    }

    /// <summary>The one generated key, where it is the type's only generated value and nothing is owned or complex.</summary>
    private static IProperty? Key(IEntityType type)
    {
        if (type.FindPrimaryKey()?.Properties is not [{ ValueGenerated: ValueGenerated.OnAdd } key]) return null;
        if (type.GetProperties().Any(p => p != key && p.ValueGenerated != ValueGenerated.Never)) return null;
        if (type.GetComplexProperties().Any() || type.GetNavigations().Any(n => n.TargetEntityType.IsOwned()) || type.IsOwned()) return null;
        return key;
    }

    private static Statement Prepare(AppDbContext db, SqliteConnection connection, IEntityType type)
    {
        var key = Key(type)!;
        var columns = type.GetProperties().Where(p => p != key).ToArray();
        var sql = db.GetService<ISqlGenerationHelper>();
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(type.GetTableName()!)} ({string.Join(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName())))}) " +
                              $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))}) RETURNING {sql.DelimitIdentifier(key.GetColumnName())}";
        return new Statement(command, key, columns, columns.Select(p => p.GetRelationalTypeMapping()).ToArray());
    }
}
