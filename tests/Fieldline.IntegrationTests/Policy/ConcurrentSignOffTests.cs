using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Policy;

[Collection(SqliteCollection.Name)] public sealed class ConcurrentSignOffTestsOnSqlite(SqliteFixture app) : ConcurrentSignOffTests(app);
[Collection(PostgresCollection.Name)] public sealed class ConcurrentSignOffTestsOnPostgres(PostgresFixture app) : ConcurrentSignOffTests(app);

/// <summary>
/// The general manager's approval sent many times at once (h5 F3): the change is put in force once, as version n + 1, and
/// every other sign is the 409 of a draft already approved — not a 500 from the next version's number taken meanwhile.
/// </summary>
public abstract class ConcurrentSignOffTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task Ten_approvals_of_one_draft_at_once_publish_one_version_and_the_others_are_409_already_approved()
    {
        var before = (await _given.Manager.Get("/api/policy")).Expect(HttpStatusCode.OK).Body["version"]!.GetValue<int>();
        try
        {
            var draft = (await app.Api("dispatcher").Post("/api/policy/drafts", new
            {
                basedOn = "generic", parameters = new { dispatch = new { repairContactTargetMinutes = 27 } }, note = "维修联系时限改为27分钟",
            })).Expect(HttpStatusCode.Created).Id;
            (await app.Api("supervisor").Post($"/api/policy/drafts/{draft}/sign")).Expect(HttpStatusCode.OK);
            (await app.Api("finance").Post($"/api/policy/drafts/{draft}/sign")).Expect(HttpStatusCode.OK);

            var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _given.Manager.Post($"/api/policy/drafts/{draft}/sign")));

            var statuses = string.Join(", ", replies.Select(r => $"{(int)r.Status} {r.Body.ToJsonString()}"));
            Assert.True(replies.Count(r => r.Status == HttpStatusCode.OK) == 1, statuses);
            Assert.True(replies.Count(r => r.Status == HttpStatusCode.Conflict) == 9, statuses);
            Assert.All(replies.Where(r => r.Status == HttpStatusCode.Conflict), r => Assert.Contains("已批准", r.Str("detail"), StringComparison.Ordinal));
            Assert.Equal(before + 1, replies.Single(r => r.Status == HttpStatusCode.OK).Body["publishedVersion"]!.GetValue<int>());
            Assert.Equal(before + 1, await app.Db(db => db.PolicyVersions.MaxAsync(v => v.Number)));
        }
        finally { (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); }
    }
}
