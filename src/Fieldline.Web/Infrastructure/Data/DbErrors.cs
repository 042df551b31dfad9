using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fieldline.Web.Infrastructure.Data;

/// <summary>
/// What a refused save means. Scheduled work that runs on every node (reminders, judgements, reports) writes a row with a
/// unique key first: a unique violation then says "another node did it", and nothing else does — a value too long, a
/// missing foreign key or a lost connection is a fault to log as an error, never to take for "done elsewhere".
/// </summary>
public static class DbErrors
{
    /// <summary>The save was refused by a unique index or primary key (SQLite 2067/1555, PostgreSQL 23505).</summary>
    public static bool IsUniqueViolation(DbUpdateException e) => e is not DbUpdateConcurrencyException && e.InnerException switch
    {
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } => true, // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        _ => false,
    };
}
