using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.People;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Operations;

[Collection(SqliteCollection.Name)] public sealed class DbErrorsTestsOnSqlite(SqliteFixture app) : DbErrorsTests(app);
[Collection(PostgresCollection.Name)] public sealed class DbErrorsTestsOnPostgres(PostgresFixture app) : DbErrorsTests(app);

/// <summary>
/// Scheduled work runs on every node and takes a refused save for "another node did it" only when a unique index refused
/// it; any other refusal must surface (a lost kit reminder hid behind that catch once).
/// </summary>
public abstract class DbErrorsTests(AppFixture app)
{
    private static string NewMonth() => $"{Random.Shared.Next(3000, 9999)}-{Random.Shared.Next(10, 99)}";

    private async Task<DbUpdateException> Refusal(Func<int, string, KitRoundReminder> second, string month) => await app.Db(async db =>
    {
        var branch = await db.Branches.Select(b => b.Id).FirstAsync();
        db.Add(new KitRoundReminder { BranchId = branch, Month = month });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        db.Add(second(branch, month));
        return await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    });

    [Fact]
    public async Task A_second_row_with_the_same_unique_key_is_recognised_as_done_elsewhere()
    {
        var refused = await Refusal((branch, month) => new KitRoundReminder { BranchId = branch, Month = month }, NewMonth());
        Assert.True(DbErrors.IsUniqueViolation(refused));
    }

    [Fact]
    public async Task A_save_refused_for_any_other_reason_is_not_taken_for_done_elsewhere()
    {
        var refused = await Refusal((_, _) => new KitRoundReminder { BranchId = int.MaxValue, Month = NewMonth() }, NewMonth());
        Assert.False(DbErrors.IsUniqueViolation(refused));
    }
}
