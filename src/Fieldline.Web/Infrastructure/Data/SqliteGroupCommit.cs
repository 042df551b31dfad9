using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Infrastructure.Data;

/// <summary>
/// SQLite's group commit (see README.md here). SQLite has one writer at a time and every commit waits for the disk
/// (synchronous=FULL), so writers that queue behind each other share one commit instead of paying one each: there is one
/// write connection with one open transaction; a context takes its turn on it, runs its statements under a savepoint of
/// its own (released on success; rolled back on failure, so one failed request undoes only itself), hands the turn on,
/// and waits until the transaction commits. The transaction commits as soon as nobody is waiting for a turn (a lone
/// writer commits at once, with no added delay) or <see cref="MaxBatch"/> writes are in it.
/// </summary>
public sealed class SqliteGroupCommit(ILogger<SqliteGroupCommit> log) : IDisposable
{
    public const int MaxBatch = 128;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private SqliteConnection? _connection;
    private SqliteTransaction? _batch;
    private List<TaskCompletionSource> _members = [];
    private int _waiting;
    private long _savepoints, _commits, _writes, _largest;

    /// <summary>Durable commits so far, writes they carried, and the most writes one commit carried (for benchmarks and tests).</summary>
    public (long Commits, long Writes, long LargestBatch) Stats => (Interlocked.Read(ref _commits), Interlocked.Read(ref _writes), Interlocked.Read(ref _largest));

    internal async Task<WriteLease> Enter(AppDbContext db, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // Not cancellable once queued: the holder before us leaves the batch open for us when it sees us waiting.
        Interlocked.Increment(ref _waiting);
        try { await _turn.WaitAsync(CancellationToken.None); }
        finally { Interlocked.Decrement(ref _waiting); }
        try
        {
            var connectionString = db.Database.GetConnectionString()!;
            _connection ??= Open(connectionString);
            _batch ??= _connection.BeginTransaction(deferred: false);
            var savepoint = $"w{++_savepoints}";
            _batch.Save(savepoint);
            db.Database.SetDbConnection(_connection, contextOwnsConnection: false);
            await db.Database.UseTransactionAsync(_batch, ct);
            return new Lease(this, db, savepoint, connectionString);
        }
        catch
        {
            Finish(null, null, null, committed: null);
            throw;
        }
    }

    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = SqlitePragmas.Pragmas;
        pragmas.ExecuteNonQuery();
        AddEfFunctions(connection);
        return connection;
    }

    /// <summary>
    /// The functions EF Core's SQLite provider registers on the connections it opens itself, which decimal arithmetic,
    /// comparisons and aggregates in its SQL call (<c>ef_sum</c> for a money total, <c>ef_compare</c> for a money filter).
    /// A connection opened here and handed to the context is never initialised by EF, so they are registered the same way.
    /// </summary>
    private static void AddEfFunctions(SqliteConnection c)
    {
        c.CreateFunction("regexp", (string? pattern, string? input) => pattern is null || input is null ? (bool?)null
            : System.Text.RegularExpressions.Regex.IsMatch(input, pattern), isDeterministic: true);
        c.CreateFunction("ef_add", (decimal? a, decimal? b) => a + b, isDeterministic: true);
        c.CreateFunction("ef_divide", (decimal? a, decimal? b) => a / b, isDeterministic: true);
        c.CreateFunction("ef_multiply", (decimal? a, decimal? b) => a * b, isDeterministic: true);
        c.CreateFunction("ef_mod", (decimal? a, decimal? b) => a % b, isDeterministic: true);
        c.CreateFunction("ef_negate", (decimal? a) => -a, isDeterministic: true);
        c.CreateFunction("ef_compare", (decimal? a, decimal? b) => a is { } x && b is { } y ? decimal.Compare(x, y) : (int?)null, isDeterministic: true);
        c.CreateAggregate("ef_sum", (decimal?)null, (decimal? sum, decimal? v) => v is null ? sum : (sum ?? 0m) + v, isDeterministic: true);
        c.CreateAggregate("ef_max", (decimal?)null, (decimal? max, decimal? v) => v is null ? max : max is null || v > max ? v : max, isDeterministic: true);
        c.CreateAggregate("ef_min", (decimal?)null, (decimal? min, decimal? v) => v is null ? min : min is null || v < min ? v : min, isDeterministic: true);
        c.CreateAggregate("ef_avg", (Sum: 0m, Count: 0), ((decimal Sum, int Count) acc, decimal? v) => v is null ? acc : (acc.Sum + v.Value, acc.Count + 1),
            acc => acc.Count == 0 ? (decimal?)null : acc.Sum / acc.Count, isDeterministic: true);
    }

    /// <summary>Ends a turn: the context's savepoint released (<paramref name="committed"/> set) or rolled back, the batch committed if nobody waits.</summary>
    private void Finish(AppDbContext? db, string? savepoint, string? connectionString, TaskCompletionSource? committed)
    {
        try
        {
            if (db is not null)
            {
                db.Database.UseTransaction(null);
                db.Database.SetDbConnection(null, contextOwnsConnection: false);
                db.Database.SetConnectionString(connectionString);
            }
            if (_batch is not null && savepoint is not null)
            {
                if (committed is null) _batch.Rollback(savepoint);
                _batch.Release(savepoint);
                if (committed is not null) _members.Add(committed);
            }
            if (_batch is not null && (Volatile.Read(ref _waiting) == 0 || _members.Count >= MaxBatch)) Commit();
        }
        catch (Exception e)
        {
            // The shared transaction itself failed: every write in it is lost, so every one of them fails.
            log.LogError(e, "SQLite group commit failed; {Count} writes are rolled back", _members.Count);
            var members = _members;
            _members = [];
            try { _batch?.Dispose(); } catch (SqliteException) { /* already rolled back */ }
            _batch = null;
            foreach (var m in members) m.TrySetException(e);
            if (committed is not null && !members.Contains(committed)) committed.TrySetException(e);
        }
        finally
        {
            _turn.Release();
        }
    }

    private void Commit()
    {
        var members = _members;
        _members = [];
        using (var batch = _batch!)
        {
            _batch = null;
            batch.Commit();
        }
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _writes, members.Count);
        if (members.Count > Interlocked.Read(ref _largest)) Interlocked.Exchange(ref _largest, members.Count);
        foreach (var m in members) m.TrySetResult();
    }

    public void Dispose()
    {
        _batch?.Dispose();
        _connection?.Dispose();
        _turn.Dispose();
    }

    private sealed class Lease(SqliteGroupCommit owner, AppDbContext db, string savepoint, string connectionString) : WriteLease
    {
        public override Task CommitAsync(CancellationToken ct)
        {
            var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            owner.Finish(db, savepoint, connectionString, committed);
            return committed.Task;
        }

        public override Task RollbackAsync()
        {
            Rollback();
            return Task.CompletedTask;
        }

        public override void Rollback() => owner.Finish(db, savepoint, connectionString, null);
    }
}
