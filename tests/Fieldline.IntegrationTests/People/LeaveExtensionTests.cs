using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.People;

[Collection(SqliteCollection.Name)] public sealed class LeaveExtensionTestsOnSqlite(SqliteFixture app) : LeaveExtensionTests(app);
[Collection(PostgresCollection.Name)] public sealed class LeaveExtensionTestsOnPostgres(PostgresFixture app) : LeaveExtensionTests(app);

/// <summary>ATT-08: not back when leave ends, the person files an extension; the people desk shows past leave and records extensions phoned in.</summary>
public abstract class LeaveExtensionTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private DateOnly Today => DateOnly.FromDateTime(app.LocalNow.Date);
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static IEnumerable<string> Codes(JsonNode reasons) => reasons.AsArray().Select(r => r!["code"]!.GetValue<string>());

    private async Task<JsonNode> Eligibility(int technicianId, DateOnly day) =>
        (await _given.Dispatcher.Get($"/api/technicians/{technicianId}/eligibility?date={D(day)}")).Expect(HttpStatusCode.OK).Body;

    [Fact]
    public async Task ATT08_a_technician_extends_approved_leave_the_supervisor_approves_the_extension_and_only_then_it_keeps_them_from_work()
    {
        var (user, tech, _) = await _given.NewTechnician();
        var id = (await app.Api(user).Post("/api/leave-requests", new { from = D(Today.AddDays(40)), to = D(Today.AddDays(41)), reason = "回老家" })).Expect(HttpStatusCode.Created).Id;
        // Only approved leave is extended.
        (await app.Api(user).Post($"/api/leave-requests/{id}/extend", new { to = D(Today.AddDays(43)), reason = "车票没买到" })).Expect(HttpStatusCode.Conflict);
        (await app.Api("supervisor").Post($"/api/leave-requests/{id}/approve")).Expect(HttpStatusCode.OK);
        var bad = (await app.Api(user).Post($"/api/leave-requests/{id}/extend", new { to = D(Today.AddDays(41)), reason = "" })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["reason", "to"], bad.ErrorFields.Order());
        (await app.Api("tech02").Post($"/api/leave-requests/{id}/extend", new { to = D(Today.AddDays(43)), reason = "代办" })).Expect(HttpStatusCode.NotFound);

        var extension = (await app.Api(user).Post($"/api/leave-requests/{id}/extend", new { to = D(Today.AddDays(43)), reason = "车票没买到" })).Expect(HttpStatusCode.Created).Body;
        Assert.Equal((D(Today.AddDays(42)), D(Today.AddDays(43)), "requested", id),
            (extension["from"]!.GetValue<string>(), extension["to"]!.GetValue<string>(), extension["status"]!.GetValue<string>(), extension["extensionOf"]!.GetValue<long>()));
        Assert.True((await Eligibility(tech, Today.AddDays(42)))["eligible"]!.GetValue<bool>());
        (await app.Api("supervisor").Post($"/api/leave-requests/{extension["id"]}/approve")).Expect(HttpStatusCode.OK);
        Assert.Equal(["onLeave"], Codes((await Eligibility(tech, Today.AddDays(43)))["reasons"]!));
        // The days are taken now: a second extension over them is a conflict only if it overlaps; the next one continues.
        (await app.Api(user).Post($"/api/leave-requests/{id}/extend", new { to = D(Today.AddDays(44)), reason = "再续" })).Expect(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_people_desk_shows_past_leave_and_records_an_extension_phoned_in_by_a_person_late_back()
    {
        var (_, tech, _) = await _given.NewTechnician();
        var day = Today;
        var id = (await app.Api("supervisor").Post("/api/leave-requests", new { technicianId = tech, from = D(day), to = D(day), reason = "发烧" })).Expect(HttpStatusCode.Created).Id;
        await app.At(app.LocalNow.AddDays(1).AddHours(1)); // the next morning: not back
        var console = await ConsoleSession.SignIn(app, "supervisor");
        var desk = await console.Get("/people");
        Assert.Contains("已结束的假期", desk);
        Assert.Contains($"id=\"extend-{id}\"", desk);
        var after = await console.Post("/people?handler=Extend", [new("id", id.ToString(CultureInfo.InvariantCulture)), new("to", D(day.AddDays(2))), new("reason", "家属来电:仍在住院")]);
        Assert.Contains("续假", after);
        var leave = (await _given.Manager.Get($"/api/leave-requests?technicianId={tech}&status=approved")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        var extension = leave.Single(l => l!["extensionOf"]?.GetValue<long>() == id)!;
        Assert.True(extension["emergency"]!.GetValue<bool>());
        Assert.Equal(["onLeave"], Codes((await Eligibility(tech, day.AddDays(2)))["reasons"]!));
    }
}
