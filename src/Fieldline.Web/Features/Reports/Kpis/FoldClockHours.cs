using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Kpis;

/// <summary>
/// Folds the appended <see cref="ClockHourChange"/> rows into the <see cref="ClockHour"/> counts, every few seconds on
/// every node (<see cref="IDueWork"/>), in one transaction: the changes folded are exactly the ones deleted. On
/// PostgreSQL one statement deletes and folds (a change committed meanwhile is neither deleted nor folded: the next fold
/// takes it); two nodes folding at once wait on each other's deleted rows and never count a change twice. SQLite writes
/// one transaction at a time.
/// </summary>
public sealed class FoldClockHours(IServiceScopeFactory scopes) : IDueWork
{
    public async Task RunDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await Fold(db, ct);
    }

    public static async Task<int> Fold(AppDbContext db, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            if (db.Database.IsNpgsql())
                return await db.Database.ExecuteSqlRawAsync("""
                    WITH moved AS (DELETE FROM "SlaClockHourChanges" RETURNING "BranchId", "Hour", "Name", "Decided", "Met")
                    INSERT INTO "SlaClockHours" ("BranchId", "Hour", "Name", "Decided", "Met")
                    SELECT "BranchId", "Hour", "Name", SUM("Decided"), SUM("Met") FROM moved GROUP BY "BranchId", "Hour", "Name"
                    ON CONFLICT ("BranchId", "Hour", "Name") DO UPDATE
                        SET "Decided" = "SlaClockHours"."Decided" + EXCLUDED."Decided", "Met" = "SlaClockHours"."Met" + EXCLUDED."Met"
                    """, ct);
            // Nothing to fold, nothing written: most ticks end here without taking SQLite's one writer.
            if (await db.Set<ClockHourChange>().MaxAsync(c => (long?)c.Id, ct) is null) return 0;
            return await db.WriteAsync(async () =>
            {
                var last = await db.Set<ClockHourChange>().MaxAsync(c => (long?)c.Id, ct);
                if (last is null) return 0;
                var folded = await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "SlaClockHours" ("BranchId", "Hour", "Name", "Decided", "Met")
                    SELECT "BranchId", "Hour", "Name", SUM("Decided"), SUM("Met") FROM "SlaClockHourChanges" WHERE "Id" <= {last}
                    GROUP BY "BranchId", "Hour", "Name"
                    ON CONFLICT ("BranchId", "Hour", "Name") DO UPDATE SET "Decided" = "Decided" + excluded."Decided", "Met" = "Met" + excluded."Met"
                    """, ct);
                await db.Database.ExecuteSqlAsync($"""DELETE FROM "SlaClockHourChanges" WHERE "Id" <= {last}""", ct);
                return folded;
            }, ct);
        });
    }
}
