using System.Globalization;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.People;

[Collection(SqliteCollection.Name)] public sealed class ConcurrentLeaveTestsOnSqlite(SqliteFixture app) : ConcurrentLeaveTests(app);
[Collection(PostgresCollection.Name)] public sealed class ConcurrentLeaveTestsOnPostgres(PostgresFixture app) : ConcurrentLeaveTests(app);

/// <summary>
/// One leave asked for or approved per person and day holds when the requests come at once (h5 F1): a phone that sends
/// twice, or its outbox retrying without a key, makes one leave and a 409 — the overlap check and the insert it guards
/// run one request at a time per person.
/// </summary>
public abstract class ConcurrentLeaveTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private DateOnly Today => DateOnly.FromDateTime(app.LocalNow.Date);
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Task<int> LeaveOf(int technicianId) => app.Db(db => db.LeaveRequests.CountAsync(l => l.TechnicianId == technicianId));

    private static string Statuses(IEnumerable<Reply> replies) =>
        string.Join(", ", replies.GroupBy(r => (int)r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}×{g.Key} {g.First().Body.ToJsonString()}"));

    [Fact]
    public async Task Twenty_identical_leave_requests_sent_at_once_make_one_leave_and_nineteen_409s()
    {
        var (user, tech, _) = await _given.NewTechnician();
        var day = D(Today.AddDays(20));
        var phone = app.Api(user);

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => phone.Post("/api/leave-requests", new { from = day, to = day, reason = "连点两下" })));

        Assert.True(replies.Count(r => r.Status == HttpStatusCode.Created) == 1, Statuses(replies));
        Assert.True(replies.Count(r => r.Status == HttpStatusCode.Conflict) == 19, Statuses(replies));
        Assert.All(replies.Where(r => r.Status == HttpStatusCode.Conflict), r => Assert.Contains("已有待批或已批准的请假", r.Str("detail"), StringComparison.Ordinal));
        Assert.Equal(1, await LeaveOf(tech));
    }

    [Fact]
    public async Task Overlapping_leave_requests_for_different_days_sent_at_once_make_one_leave()
    {
        var (user, tech, _) = await _given.NewTechnician();
        var start = Today.AddDays(30);
        var phone = app.Api(user);

        // Each overlaps the next by a day: whichever is checked first stands, and every other overlaps something saved.
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            phone.Post("/api/leave-requests", new { from = D(start.AddDays(i)), to = D(start.AddDays(i + 1)), reason = $"第{i}次" })));

        Assert.True(replies.All(r => r.Status is HttpStatusCode.Created or HttpStatusCode.Conflict), Statuses(replies));
        var created = await app.Db(db => db.LeaveRequests.Where(l => l.TechnicianId == tech).OrderBy(l => l.From).ToListAsync());
        Assert.Equal(replies.Count(r => r.Status == HttpStatusCode.Created), created.Count);
        Assert.True(created.Zip(created.Skip(1)).All(p => p.First.To < p.Second.From), string.Join(", ", created.Select(l => $"{l.From}–{l.To}")));
    }

    [Fact]
    public async Task Ten_identical_extensions_sent_at_once_make_one_extension()
    {
        var (user, tech, _) = await _given.NewTechnician();
        var id = (await app.Api(user).Post("/api/leave-requests", new { from = D(Today.AddDays(50)), to = D(Today.AddDays(51)), reason = "病假" })).Expect(HttpStatusCode.Created).Id;
        (await app.Api("supervisor").Post($"/api/leave-requests/{id}/approve")).Expect(HttpStatusCode.OK);
        var phone = app.Api(user);

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            phone.Post($"/api/leave-requests/{id}/extend", new { to = D(Today.AddDays(53)), reason = "病情加重" })));

        Assert.True(replies.Count(r => r.Status == HttpStatusCode.Created) == 1, Statuses(replies));
        Assert.True(replies.Count(r => r.Status == HttpStatusCode.Conflict) == 9, Statuses(replies));
        Assert.Equal(2, await LeaveOf(tech));
    }
}
