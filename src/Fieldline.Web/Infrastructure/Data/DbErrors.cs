using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fieldline.Web.Infrastructure.Data;

/// <summary>
/// What a refused save means, on both providers. Work that relies on a unique index to happen exactly once across
/// nodes ("another node did it first") must tell that refusal apart from every other failure — a foreign key, a value
/// too long for its column, a check trigger, a lost connection — which is a fault to log as an error, never to swallow.
/// </summary>
public static class DbErrors
{
    /// <summary>
    /// True when a unique index or primary key refused the save: SQLite's SQLITE_CONSTRAINT (19) with the extended code
    /// SQLITE_CONSTRAINT_UNIQUE (2067) or SQLITE_CONSTRAINT_PRIMARYKEY (1555); PostgreSQL's unique_violation (23505).
    /// Looks through the chain of inner exceptions (<see cref="SetBasedWrites"/> wraps the provider's exception once more).
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException e) => UniqueViolation(e) is not null;

    /// <summary>
    /// As <see cref="IsUniqueViolation(DbUpdateException)"/>, and only when the refusing index belongs to table
    /// <paramref name="table"/> (its name in the database, e.g. <c>AttendanceJudgements</c>): "another node saved this
    /// day first" is then told apart from a unique index of some other row saved in the same write.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException e, string table) => UniqueViolation(e) switch
    {
        PostgresException pg => string.Equals(pg.TableName, table, StringComparison.Ordinal),
        // SQLite names the columns: "UNIQUE constraint failed: AttendanceJudgements.TechnicianId, AttendanceJudgements.Day".
        SqliteException lite => lite.Message.Contains($"constraint failed: {table}.", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>
    /// True when the save lost a race to a write that committed meanwhile, so that the same request run again against the
    /// state that write left is answered as if it had run alone: an optimistic-concurrency loss (a row's version moved since
    /// it was read), a unique index taken by a row inserted at the same moment (the stock level of a part new to a place,
    /// the next policy version's number), or PostgreSQL's own refusals of a transaction that collided with another — a
    /// deadlock (40P01) or a serialization failure (40001). IdempotencyMiddleware re-runs such a request.
    /// </summary>
    public static bool IsRace(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is DbUpdateConcurrencyException
                or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected }
                or SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 })
                return true;
        return false;
    }

    private static Exception? UniqueViolation(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                or SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 })
                return x;
        return null;
    }
}
