using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Infrastructure.Data;

/// <summary>
/// A read whose rows are written out as they come (an export of a whole history). With a retrying execution strategy —
/// which both providers use — EF Core reads every query's whole result into memory before handing over the first row, so
/// that a retry could start over; for an export that is the whole history in memory. Inside <see cref="Run"/> the
/// strategies report that they do not retry, so EF streams; a failure after the first row fails the read instead of
/// starting it again (which would write a second copy into a response already under way).
/// </summary>
public static class StreamingRead
{
    private static readonly AsyncLocal<bool> Active = new();

    /// <summary>True while a streaming read runs in this flow: the execution strategies then do not retry.</summary>
    internal static bool IsActive => Active.Value;

    public static Task Run(AppDbContext db, Func<Task> read)
    {
        Active.Value = true; // for this call's flow only: an async method's AsyncLocal change does not leak to its caller
        var started = false;
        return db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            if (started) throw new InvalidOperationException("A streaming read failed after it had started; it is not retried.");
            started = true;
            await read();
        });
    }
}
