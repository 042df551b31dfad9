using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Fieldline.Web.Infrastructure.Data;

/// <summary>
/// A save inside a context's write (<see cref="AppDbContext.BeginWriteAsync"/>) writes its added and modified entities by
/// statements of its own — one <c>INSERT … RETURNING</c> per table, one <c>UPDATE</c> per table and set of changed
/// columns, guarded by the row's concurrency tokens — kept on the connection and re-executed by every save (on SQLite
/// prepared once, on the group commit's long-lived connection), instead of EF Core's update pipeline. On SQLite every
/// other write waits for the turn, and EF's SaveChanges was most of it (sorting the commands, generating their SQL anew,
/// preparing them, consuming their results) where SQLite's own work was ~1 %; on PostgreSQL it was a third of a create's
/// CPU, the limit there (issue 14, docs/benchmarks.md, sessions 18 and 19).
/// <para>
/// It does what SaveChanges does, for the entities it can: values go through the model's type mappings (value converters
/// included), as SaveChanges and <see cref="SetBasedWrites"/> store them; principals are inserted before their dependents,
/// and each generated key is set through the tracker, which carries it to the dependents' foreign keys; an update that
/// finds no row with the versions that were read throws <see cref="DbUpdateConcurrencyException"/> (a race lost: the request is run again), a refused
/// statement <see cref="DbUpdateException"/> around the provider's error; the changes are then accepted. Anything else — a
/// deletion, a type with owned or complex parts, inheritance, a table shared by types, other generated values, a nullable
/// concurrency token, a key changed or given explicitly — leaves the whole save to EF Core, as does a save outside a
/// write (a tool's own transaction).
/// </para>
/// </summary>
internal static class DirectSave
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<(IEntityType, string), Statement>> Kept = new();
    private static readonly ConcurrentDictionary<IEntityType, Shape?> Shapes = new();

    /// <summary>A table this path writes: its key, the one generated key (if any), and every column.</summary>
    private sealed record Shape(string Table, IProperty[] Key, IProperty? GeneratedKey, IProperty[] Columns, IProperty[] Tokens);

    private sealed record Statement(DbCommand Command, IProperty[] Parameters, RelationalTypeMapping[] Mappings, bool[] Original);

    /// <summary>
    /// Saves the tracked changes in the context's open write and returns the rows written; null, having done nothing, where
    /// this path does not apply (no write open, or a change it does not write), so that the caller's SaveChanges saves them
    /// as usual. The caller has detected the changes already.
    /// </summary>
    public static async Task<int?> TrySaveAsync(AppDbContext db, bool acceptAllChangesOnSuccess, CancellationToken ct)
    {
        if (!db.InWrite || db.Database.CurrentTransaction?.GetDbTransaction() is not { Connection: { } connection } transaction) return null;
        var added = new List<EntityEntry>();
        var modified = new List<EntityEntry>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Unchanged or EntityState.Detached:
                    continue;
                case EntityState.Added when ShapeOf(entry.Metadata) is { } shape && (shape.GeneratedKey is null || entry.Property(shape.GeneratedKey).IsTemporary):
                    added.Add(entry);
                    break;
                case EntityState.Modified when ShapeOf(entry.Metadata) is { } shape && !shape.Key.Any(k => entry.Property(k).IsModified):
                    modified.Add(entry);
                    break;
                default:
                    return null;
            }
        }
        if (Ordered(added) is not { } inserts) return null;

        var statements = Kept.GetOrCreateValue(connection);
        var rows = 0;
        var keyed = new List<(PropertyEntry Key, object? Temporary)>();
        try
        {
            foreach (var entry in inserts)
            {
                var shape = ShapeOf(entry.Metadata)!;
                var key = await Execute(StatementFor(db, connection, statements, entry.Metadata, shape, null), transaction, entry, shape.GeneratedKey is not null, ct);
                if (shape.GeneratedKey is { } generated)
                {
                    var property = entry.Property(generated);
                    keyed.Add((property, property.CurrentValue));
                    property.CurrentValue = Convert.ChangeType(key, generated.ClrType, System.Globalization.CultureInfo.InvariantCulture);
                }
                rows++;
            }
            foreach (var entry in modified)
            {
                var shape = ShapeOf(entry.Metadata)!;
                var changed = shape.Columns.Where(p => entry.Property(p).IsModified).ToArray();
                if (changed.Length == 0) continue;
                if ((int)(await Execute(StatementFor(db, connection, statements, entry.Metadata, shape, changed), transaction, entry, false, ct))! != 1)
                    throw new DbUpdateConcurrencyException($"The {shape.Table} row was changed or deleted since it was read.");
                rows++;
            }
        }
        catch
        {
            // As after a failed SaveChanges, the added entities keep their temporary keys (and their dependents the
            // matching foreign keys): the write is rolled back, and a caller that saves again inserts them anew.
            for (var i = keyed.Count - 1; i >= 0; i--)
            {
                keyed[i].Key.CurrentValue = keyed[i].Temporary;
                keyed[i].Key.IsTemporary = true;
            }
            throw;
        }
        if (acceptAllChangesOnSuccess) db.ChangeTracker.AcceptAllChanges();
        return rows;
    }

    // A statement's parameter names, made once: every row of every save names its values again (a work order has 50).
    private static readonly string[] ParameterNames = Enumerable.Range(0, 128).Select(i => "@p" + i).ToArray();

    private static string ParameterName(int i) => i < ParameterNames.Length ? ParameterNames[i] : "@p" + i;

    /// <summary>Runs a kept statement with the entry's values: the generated key an insert returns, else the rows changed.</summary>
    private static async Task<object?> Execute(Statement statement, DbTransaction transaction, EntityEntry entry, bool returnsKey, CancellationToken ct)
    {
        var command = statement.Command;
        command.Transaction = transaction;
        var current = entry.CurrentValues;
        var original = entry.OriginalValues;
        // Npgsql binds a statement it has prepared (automatic preparation, on by default: DatabaseSetup) to the parameter
        // objects it was prepared with, so there the command keeps its first parameters and takes each row's values into
        // them; new objects in their place were not read, and every row after the one that prepared it went in with that
        // row's values. Microsoft.Data.Sqlite binds by name on every run, and a parameter made for the value (as the
        // mapping makes it for SaveChanges: converter, type, size) is what it stores faithfully.
        var keep = command is Npgsql.NpgsqlCommand && command.Parameters.Count == statement.Parameters.Length;
        if (!keep) command.Parameters.Clear();
        for (var i = 0; i < statement.Parameters.Length; i++)
        {
            var p = statement.Parameters[i];
            var parameter = statement.Mappings[i].CreateParameter(command, ParameterName(i), statement.Original[i] ? original[p] : current[p], p.IsNullable);
            if (!keep) command.Parameters.Add(parameter);
            else command.Parameters[i].Value = parameter.Value;
        }
        try
        {
            return returnsKey ? await command.ExecuteScalarAsync(ct) : await command.ExecuteNonQueryAsync(ct);
        }
        catch (DbException e)
        {
            throw new DbUpdateException($"Saving a {entry.Metadata.ClrType.Name} failed: {e.Message}", e, [entry]);
        }
    }

    /// <summary>
    /// The added entities with every principal added in the same save before its dependents, as EF Core orders them; null
    /// where that cannot be told by a single-column key (a composite or alternate key, a cycle).
    /// </summary>
    private static List<EntityEntry>? Ordered(List<EntityEntry> added)
    {
        if (added.Count <= 1) return added;
        var byKey = new Dictionary<(IEntityType, object), EntityEntry>();
        foreach (var entry in added)
        {
            var shape = ShapeOf(entry.Metadata)!;
            if (shape.Key is [var key] && entry.Property(key).CurrentValue is { } value) byKey.TryAdd((entry.Metadata, value), entry);
        }
        var addedTypes = added.Select(e => e.Metadata).ToHashSet();
        var ordered = new List<EntityEntry>(added.Count);
        var state = new Dictionary<EntityEntry, bool>(ReferenceEqualityComparer.Instance); // false: being visited; true: placed
        bool Visit(EntityEntry entry)
        {
            if (state.TryGetValue(entry, out var placed)) return placed;
            state[entry] = false;
            foreach (var fk in entry.Metadata.GetForeignKeys())
            {
                if (!addedTypes.Contains(fk.PrincipalEntityType)) continue;
                if (fk.Properties is not [var property] || !fk.PrincipalKey.IsPrimaryKey()) return false;
                if (entry.Property(property).CurrentValue is not { } value) continue;
                if (byKey.TryGetValue((fk.PrincipalEntityType, value), out var principal) && principal != entry && !Visit(principal)) return false;
            }
            state[entry] = true;
            ordered.Add(entry);
            return true;
        }
        return added.All(Visit) ? ordered : null;
    }

    /// <summary>How this path writes the type's table, or null where it leaves the type to EF Core.</summary>
    private static Shape? ShapeOf(IEntityType type) => Shapes.GetOrAdd(type, static type =>
    {
        if (type.FindPrimaryKey() is not { } primary || type.IsOwned() || type.HasSharedClrType || type.BaseType is not null || type.GetDirectlyDerivedTypes().Any()) return null;
        if (type.GetComplexProperties().Any() || type.GetNavigations().Any(n => n.TargetEntityType.IsOwned())) return null;
        if (type.GetTableName() is not { } table || type.GetViewName() is not null || type.GetSqlQuery() is not null || type.GetFunctionName() is not null) return null;
        if (type.Model.GetEntityTypes().Count(t => t.GetTableName() == table && t.GetSchema() == type.GetSchema()) != 1) return null;
        var generated = type.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.Never).ToArray();
        IProperty? generatedKey = null;
        if (generated is [{ ValueGenerated: ValueGenerated.OnAdd } only] && primary.Properties is [var key] && only == key
            && (key.ClrType == typeof(long) || key.ClrType == typeof(int)))
            generatedKey = key;
        else if (generated.Length > 0) return null;
        if (type.GetProperties().Any(p => p.IsConcurrencyToken && p.IsNullable)) return null;
        return new Shape(table, primary.Properties.ToArray(), generatedKey, type.GetProperties().Where(p => p != generatedKey).ToArray(),
            type.GetProperties().Where(p => p.IsConcurrencyToken).ToArray());
    });

    /// <summary>The insert (<paramref name="changed"/> null) or the update of those columns, made once per connection.</summary>
    private static Statement StatementFor(AppDbContext db, DbConnection connection, Dictionary<(IEntityType, string), Statement> statements,
        IEntityType type, Shape shape, IProperty[]? changed)
    {
        var id = changed is null ? "insert" : string.Join(",", changed.Select(p => Array.IndexOf(shape.Columns, p)));
        if (statements.TryGetValue((type, id), out var statement)) return statement;
        var sql = db.GetService<ISqlGenerationHelper>();
        string Column(IProperty p) => sql.DelimitIdentifier(p.GetColumnName());
        var command = connection.CreateCommand();
        IProperty[] parameters;
        bool[] original;
        if (changed is null)
        {
            parameters = shape.Columns;
            original = new bool[parameters.Length];
            command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(shape.Table)} ({string.Join(", ", parameters.Select(Column))}) " +
                                  $"VALUES ({string.Join(", ", parameters.Select((_, i) => ParameterName(i)))})" +
                                  (shape.GeneratedKey is { } key ? $" RETURNING {Column(key)}" : "");
        }
        else
        {
            // The key and the concurrency tokens as they were read: a row changed since (its version moved) is not found.
            var where = shape.Key.Concat(shape.Tokens.Except(shape.Key)).ToArray();
            parameters = [.. changed, .. where];
            original = [.. changed.Select(_ => false), .. where.Select(_ => true)];
            command.CommandText = $"UPDATE {sql.DelimitIdentifier(shape.Table)} SET {string.Join(", ", changed.Select((p, i) => $"{Column(p)} = @p{i}"))} " +
                                  $"WHERE {string.Join(" AND ", where.Select((p, i) => $"{Column(p)} = @p{changed.Length + i}"))}";
        }
        return statements[(type, id)] = new Statement(command, parameters, parameters.Select(p => p.GetRelationalTypeMapping()).ToArray(), original);
    }
}
