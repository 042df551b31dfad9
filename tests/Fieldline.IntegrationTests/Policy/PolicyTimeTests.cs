using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Policy;

[Collection(SqliteCollection.Name)] public sealed class PolicyTimeTestsOnSqlite(SqliteFixture app) : PolicyTimeTests(app);
[Collection(PostgresCollection.Name)] public sealed class PolicyTimeTestsOnPostgres(PostgresFixture app) : PolicyTimeTests(app);

/// <summary>
/// The regulation's versions and their sign-off are read in the branch's time, as every other resource: a change approved
/// at 03:00 in Changsha (19:00 UTC the day before) says 03:00 with +08:00 in the API and on /manage/policy; the first
/// version, in force from the start, says so instead of 1970-01-01.
/// </summary>
public abstract class PolicyTimeTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static string Offset(JsonNode? time) => time!.GetValue<string>()[^6..];

    private static DateTimeOffset At(JsonNode? time) => DateTimeOffset.Parse(time!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_change_approved_at_three_in_the_night_reads_three_in_the_night_with_the_branchs_offset_in_the_API_and_on_the_page()
    {
        var night = app.Next(DayOfWeek.Thursday, 3);
        await app.At(night);
        try
        {
            var id = (await app.Api("dispatcher").Post("/api/policy/drafts", new
            {
                basedOn = "generic", parameters = new { dispatch = new { repairContactTargetMinutes = 25 } }, note = "夜间修订",
            })).Expect(HttpStatusCode.Created).Id;
            (await app.Api("supervisor").Post($"/api/policy/drafts/{id}/sign")).Expect(HttpStatusCode.OK);
            (await app.Api("finance").Post($"/api/policy/drafts/{id}/sign")).Expect(HttpStatusCode.OK);
            var approved = (await _given.Manager.Post($"/api/policy/drafts/{id}/sign")).Expect(HttpStatusCode.OK).Body;

            foreach (var signature in approved["signatures"]!.AsArray())
            {
                Assert.Equal("+08:00", Offset(signature!["at"]));
                Assert.Equal(night, At(signature["at"]));
                Assert.Equal(3, At(signature["at"]).Hour);
            }
            var listed = (await _given.Manager.Get("/api/policy/drafts")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray().Single(d => d!["id"]!.GetValue<long>() == id)!;
            Assert.Equal("+08:00", Offset(listed["signatures"]![0]!["at"]));

            var policy = (await _given.Manager.Get("/api/policy")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(("+08:00", "+08:00"), (Offset(policy["createdAt"]), Offset(policy["effectiveFrom"])));
            Assert.Equal((3, 3), (At(policy["createdAt"]).Hour, At(policy["effectiveFrom"]).Hour));
            var versions = (await _given.Manager.Get("/api/policy/versions")).Expect(HttpStatusCode.OK).Body.AsArray();
            Assert.All(versions, v => Assert.Equal(("+08:00", "+08:00"), (Offset(v!["createdAt"]), Offset(v["effectiveFrom"]))));
            var first = versions.Single(v => v!["version"]!.GetValue<int>() == 1)!;
            Assert.Equal(DateTimeOffset.UnixEpoch, At(first["effectiveFrom"])); // the same instant, in the branch's offset

            var page = await (await ConsoleSession.SignIn(app, "manager")).Get("/manage/policy");
            var local = night.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            var utc = night.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            Assert.Contains(local, page, StringComparison.Ordinal);
            Assert.DoesNotContain(utc, page, StringComparison.Ordinal);
            Assert.Contains("初始版本，自始生效", page, StringComparison.Ordinal);
            Assert.DoesNotContain("1970-01-01", page, StringComparison.Ordinal);
        }
        finally { (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); }
    }
}
