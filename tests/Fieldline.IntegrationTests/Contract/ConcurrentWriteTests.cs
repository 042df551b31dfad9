using System.Net;
using Microsoft.EntityFrameworkCore;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Contract;

[Collection(SqliteCollection.Name)] public sealed class ConcurrentWriteTestsOnSqlite(SqliteFixture app) : ConcurrentWriteTests(app);
[Collection(PostgresCollection.Name)] public sealed class ConcurrentWriteTestsOnPostgres(PostgresFixture app) : ConcurrentWriteTests(app);

/// <summary>
/// api.md Concurrency, under load (h5 F10, issue 14 "no action answers 500 or a spurious 409 under load"): an update that
/// sends no version sent nothing stale, so a race it loses to another write of the same row is run again on the server
/// and answered as if it had run alone; only a version (or If-Match) the caller sent that is stale is refused, 409 (412).
/// </summary>
public abstract class ConcurrentWriteTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<int> Version(int technicianId) =>
        (await _given.Manager.Get($"/api/technicians/{technicianId}")).Expect(HttpStatusCode.OK).Body["version"]!.GetValue<int>();

    private static string Statuses(IEnumerable<Reply> replies) =>
        string.Join(", ", replies.GroupBy(r => (int)r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}×{g.Key} {g.First().Body.ToJsonString()}"));

    [Fact]
    public async Task Ten_changes_of_one_profile_sent_at_once_without_a_version_are_all_applied_one_after_another()
    {
        var (_, tech, _) = await _given.NewTechnician();
        var before = await Version(tech);

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => _given.Manager.Patch($"/api/technicians/{tech}", new { regions = new[] { $"片区{i}" } })));

        Assert.True(replies.All(r => r.Status == HttpStatusCode.OK), Statuses(replies));
        Assert.Equal(before + 10, await Version(tech));
        // Each answer is the profile as that change left it: ten different versions, one after another.
        Assert.Equal(Enumerable.Range(before + 1, 10), replies.Select(r => r.Body["version"]!.GetValue<int>()).Order());
    }

    [Fact]
    public async Task Of_changes_sent_at_once_with_the_same_current_version_one_is_applied_and_the_others_are_409_naming_both_versions()
    {
        var (_, tech, _) = await _given.NewTechnician();
        var version = await Version(tech);

        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => _given.Manager.Patch($"/api/technicians/{tech}", new { version, regions = new[] { $"片区{i}" } })));

        Assert.True(replies.Count(r => r.Status == HttpStatusCode.OK) == 1, Statuses(replies));
        var stale = replies.Where(r => r.Status != HttpStatusCode.OK).ToList();
        Assert.True(stale.All(r => r.Status == HttpStatusCode.Conflict), Statuses(replies));
        Assert.All(stale, r => Assert.Equal("版本已过期", r.Str("title")));
        Assert.All(stale, r => Assert.Contains($"{version + 1}", r.Str("detail"), StringComparison.Ordinal));
        Assert.Equal(version + 1, await Version(tech));

        // The same with If-Match: 412.
        var current = version + 1;
        var conditional = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            _given.Manager.Patch($"/api/technicians/{tech}", new { regions = new[] { $"新片区{i}" } }, ifMatch: $"\"{current}\"")));
        Assert.True(conditional.Count(r => r.Status == HttpStatusCode.OK) == 1, Statuses(conditional));
        Assert.True(conditional.Count(r => r.Status == HttpStatusCode.PreconditionFailed) == 5, Statuses(conditional));
    }
    /// <summary>
    /// Every update of the order's row finds it changed — a trigger skips the row, so no row is updated, as when another
    /// write wins each time: every run of a change of it loses. Disposing it drops the trigger.
    /// </summary>
    private async Task<IAsyncDisposable> AlwaysLosing(long orderId)
    {
        await app.Db(db => db.Database.ExecuteSqlRawAsync(app.Provider == "Sqlite"
            ? $$"""CREATE TRIGGER "AlwaysLosing" BEFORE UPDATE ON "WorkOrders" WHEN OLD."Id" = {{orderId}} BEGIN SELECT RAISE(IGNORE); END"""
            : $$"""
              CREATE FUNCTION always_losing() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
              CREATE TRIGGER "AlwaysLosing" BEFORE UPDATE ON "WorkOrders" FOR EACH ROW WHEN (OLD."Id" = {{orderId}}) EXECUTE FUNCTION always_losing();
              """));
        return new Dropping(() => app.Db(db => db.Database.ExecuteSqlRawAsync(app.Provider == "Sqlite"
            ? """DROP TRIGGER "AlwaysLosing" """
            : """DROP TRIGGER "AlwaysLosing" ON "WorkOrders"; DROP FUNCTION always_losing();""")));
    }

    private sealed class Dropping(Func<Task<int>> drop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await drop();
    }

    [Fact]
    public async Task A_change_that_loses_every_run_is_a_503_to_send_again_never_kept_under_its_key_and_stale_only_for_a_caller_who_sent_a_version()
    {
        var id = await _given.OrderIn("dispatched");
        var version = (await _given.Manager.Get($"/api/work-orders/{id}")).Expect(HttpStatusCode.OK).Body["version"]!.GetValue<int>();
        var tech = app.Api("tech01");
        var key = Guid.NewGuid().ToString();
        await using (await AlwaysLosing(id))
        {
            var lost = (await tech.Post($"/api/work-orders/{id}/accept", new { }, key)).Expect(HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(lost.Raw.Headers.RetryAfter);
            Assert.Equal("dispatched", (await _given.Manager.Get($"/api/work-orders/{id}")).Str("status"));
            Assert.Equal("版本已过期", (await tech.Post($"/api/work-orders/{id}/accept", new { version })).Expect(HttpStatusCode.Conflict).Str("title"));
            (await tech.Post($"/api/work-orders/{id}/accept", new { }, ifMatch: $"\"{version}\"")).Expect(HttpStatusCode.PreconditionFailed);
        }
        // The 503 was not kept: the same key and body, sent again, runs afresh.
        var accepted = (await tech.Post($"/api/work-orders/{id}/accept", new { }, key)).Expect(HttpStatusCode.OK);
        Assert.False(accepted.Raw.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(("accepted", version + 1), (accepted.Str("status"), accepted.Body["version"]!.GetValue<int>()));
        Assert.True((await tech.Post($"/api/work-orders/{id}/accept", new { }, key)).Expect(HttpStatusCode.OK).Raw.Headers.Contains("Idempotent-Replayed"));
    }
}
