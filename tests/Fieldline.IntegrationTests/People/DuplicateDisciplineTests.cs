using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.People;

[Collection(SqliteCollection.Name)] public sealed class DuplicateDisciplineTestsOnSqlite(SqliteFixture app) : DuplicateDisciplineTests(app);
[Collection(PostgresCollection.Name)] public sealed class DuplicateDisciplineTestsOnPostgres(PostgresFixture app) : DuplicateDisciplineTests(app);

/// <summary>
/// One spot check is one fine (TLS-04 / PEN-09) and a day is suspended once: the same check sent twice, or ten times at
/// once, is recorded once; an overlapping suspension is refused like overlapping leave.
/// </summary>
public abstract class DuplicateDisciplineTests(AppFixture app)
{
    private readonly Given _given = new(app);
    private Api Supervisor => app.Api("supervisor");

    private async Task<int> Fines(int userId) =>
        (await _given.Manager.Get($"/api/penalty-cases?personUserId={userId}&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
            .Count(c => c!["penaltyKey"]?.GetValue<string>() is { } k && k.Contains("ool", StringComparison.Ordinal) || c!["ruleId"]?.GetValue<string>() == "PEN-09");

    [Fact]
    public async Task The_same_tool_check_sent_ten_times_at_once_is_recorded_and_fined_once()
    {
        var tech = await _given.NewTechnician(["ac.repair"]);
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Supervisor.Post("/api/tool-checks", new { technicianId = tech.TechnicianId, missing = new[] { "multimeter" } })));

        Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        Assert.All(replies.Where(r => r.Status != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.Status));
        var checks = (await Supervisor.Get($"/api/tool-checks?technicianId={tech.TechnicianId}")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>();
        Assert.Equal(1, checks);
        Assert.Equal(1, await Fines(tech.UserId));
    }

    [Fact]
    public async Task A_recheck_that_finds_the_kit_complete_the_same_day_is_recorded()
    {
        var tech = await _given.NewTechnician(["ac.repair"]);
        (await Supervisor.Post("/api/tool-checks", new { technicianId = tech.TechnicianId, missing = new[] { "multimeter" } })).Expect(HttpStatusCode.Created);
        var again = (await Supervisor.Post("/api/tool-checks", new { technicianId = tech.TechnicianId, missing = new[] { "multimeter" } })).Expect(HttpStatusCode.Conflict);
        Assert.Contains("工具抽查", again.Str("detail"));
        (await Supervisor.Post("/api/tool-checks", new { technicianId = tech.TechnicianId, missing = Array.Empty<string>() })).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_overlapping_suspension_is_refused_and_the_days_are_suspended_once()
    {
        var tech = await _given.NewTechnician(["ac.repair"]);
        var day = DateOnly.FromDateTime(app.LocalNow.Date).AddDays(10);
        string D(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        (await _given.Manager.Post("/api/suspensions", new { technicianId = tech.TechnicianId, from = D(day), to = D(day.AddDays(1)), reason = "停职" }))
            .Expect(HttpStatusCode.Created);
        var overlap = (await _given.Manager.Post("/api/suspensions", new { technicianId = tech.TechnicianId, from = D(day.AddDays(1)), to = D(day.AddDays(3)), reason = "停职" }))
            .Expect(HttpStatusCode.Conflict);
        Assert.Contains("停工", overlap.Str("detail"));
        (await _given.Manager.Post("/api/suspensions", new { technicianId = tech.TechnicianId, from = D(day.AddDays(2)), to = D(day.AddDays(3)), reason = "停职" }))
            .Expect(HttpStatusCode.Created);
        var list = (await _given.Manager.Get($"/api/suspensions?technicianId={tech.TechnicianId}")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>();
        Assert.Equal(2, list);
    }
}
