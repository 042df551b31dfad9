using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Evaluation;

[Collection(SqliteCollection.Name)] public sealed class AssessmentTestsOnSqlite(SqliteFixture app) : AssessmentTests(app);
[Collection(PostgresCollection.Name)] public sealed class AssessmentTestsOnPostgres(PostgresFixture app) : AssessmentTests(app);

/// <summary>
/// The monthly assessment on the company's form (assessment.items, ASM): the measured items filled in from the month's
/// records, the supervisor's items scored by hand, the weighted total against the pass mark.
/// </summary>
public abstract class AssessmentTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static JsonNode Person(JsonNode page, int userId) =>
        page["people"]!.AsArray().Single(p => p!["personUserId"]!.GetValue<int>() == userId)!;

    private static decimal? Score(JsonNode person, string key) =>
        person["scores"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == key)!["score"]?.GetValue<decimal>();

    [Fact]
    public async Task Four_first_scorings_of_a_technicians_month_at_once_save_one_and_answer_the_others_409_never_500()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
        var (_, _, userId) = await _given.NewTechnician();
        var month = (await app.Api("supervisor").Get("/api/assessments")).Expect(HttpStatusCode.OK).Body["month"]!.GetValue<string>();
        // Every writer read version 0 (no assessment yet); the unique (person, month) index lets exactly one insert through.
        var replies = await Task.WhenAll(new[] { 90, 80, 70, 60 }.Select((score, i) => (i % 2 == 0 ? app.Api("supervisor") : _given.Manager)
            .Put($"/api/assessments/{userId}/{month}", new { scores = new { appearance = score }, version = 0 })));
        var saved = Assert.Single(replies, r => r.Status == HttpStatusCode.OK);
        Assert.All(replies.Where(r => !ReferenceEquals(r, saved)), r => r.Expect(HttpStatusCode.Conflict));
        var stored = Person((await app.Api("supervisor").Get($"/api/assessments?month={month}")).Body, userId);
        Assert.Equal(Score(saved.Body, "appearance"), Score(stored, "appearance"));
    }

    [Theory]
    [InlineData("50.555")]
    [InlineData("\"x\"")]
    [InlineData("101")]
    public async Task A_score_that_is_no_score_is_refused_by_its_items_chinese_name_and_the_one_decimal_rule(string sent)
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
        var (_, _, userId) = await _given.NewTechnician();
        var month = (await app.Api("supervisor").Get("/api/assessments")).Expect(HttpStatusCode.OK).Body["month"]!.GetValue<string>();
        var body = JsonNode.Parse($"{{\"scores\":{{\"appearance\":{sent}}},\"version\":0}}")!;
        var reply = (await app.Api("supervisor").Put($"/api/assessments/{userId}/{month}", body)).Expect(HttpStatusCode.BadRequest);
        var message = Assert.Single(reply.Body["errors"]!["scores"]!.AsArray())!.GetValue<string>();
        Assert.Contains("仪容仪表", message);
        Assert.Contains("一位小数", message);
        Assert.DoesNotContain("appearance", message);
        Assert.DoesNotContain("金额", message);
        Assert.Null(Score(Person((await app.Api("supervisor").Get($"/api/assessments?month={month}")).Body, userId), "appearance"));
    }

    [Fact]
    public async Task A_technicians_month_is_complete_only_when_the_supervisor_has_scored_the_items_the_system_cannot_measure_and_the_total_is_the_weighted_mean()
    {
        var (user, _, userId) = await _given.NewTechnician();
        var page = (await app.Api("supervisor").Get("/api/assessments")).Expect(HttpStatusCode.OK).Body;
        var month = page["month"]!.GetValue<string>();
        // The generic form: six items, weights 30/20/20/10/10/10, pass mark 60; appearance and conduct scored by hand.
        var items = page["items"]!.AsArray();
        Assert.Equal(["onTime", "complaints", "satisfaction", "attendance", "appearance", "conduct"], items.Select(i => i!["key"]!.GetValue<string>()));
        Assert.Equal(60m, page["passScorePercent"]!.GetValue<decimal>());
        Assert.Equal(["appearance", "conduct"], items.Where(i => i!["manual"]!.GetValue<bool>()).Select(i => i!["key"]!.GetValue<string>()));

        var before = Person(page, userId);
        Assert.False(before["complete"]!.GetValue<bool>());
        Assert.Null(before["passed"]);
        Assert.Equal(100m, Score(before, "complaints")); // no complaint this month
        Assert.Null(Score(before, "satisfaction")); // no return visit: left out of the total, not scored 0
        Assert.Null(Score(before, "appearance"));

        var scored = (await app.Api("supervisor").Put($"/api/assessments/{userId}/{month}", new { scores = new { appearance = 90, conduct = 70.5m }, note = "月度抽查", version = 0 }))
            .Expect(HttpStatusCode.OK).Body;
        Assert.True(scored["complete"]!.GetValue<bool>());
        Assert.Equal((90m, 70.5m), (Score(scored, "appearance"), Score(scored, "conduct")));
        // The total is the weighted mean of the items that have a score.
        var weights = items.ToDictionary(i => i!["key"]!.GetValue<string>(), i => i!["weight"]!.GetValue<decimal>());
        var scoredItems = scored["scores"]!.AsArray().Where(s => s!["score"] is not null).ToList();
        var expected = Math.Round(scoredItems.Sum(s => weights[s!["key"]!.GetValue<string>()] * s!["score"]!.GetValue<decimal>())
            / scoredItems.Sum(s => weights[s!["key"]!.GetValue<string>()]), 1, MidpointRounding.AwayFromZero);
        Assert.Equal(expected, scored["total"]!.GetValue<decimal>());
        Assert.Equal(expected >= 60m, scored["passed"]!.GetValue<bool>());
        Assert.Equal("月度抽查", scored["note"]!.GetValue<string>());

        // A second scoring from the same old copy is refused: nothing is silently overwritten.
        (await app.Api("supervisor").Put($"/api/assessments/{userId}/{month}", new { scores = new { appearance = 10 }, version = 0 })).Expect(HttpStatusCode.Conflict);
        var again = Person((await app.Api("supervisor").Get($"/api/assessments?month={month}")).Body, userId);
        Assert.Equal(90m, Score(again, "appearance"));

        // The technician reads their own assessment, and only their own; they cannot score it.
        var mine = (await app.Api(user).Get("/api/assessments")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(userId, Assert.Single(mine["people"]!.AsArray())!["personUserId"]!.GetValue<int>());
        (await app.Api(user).Put($"/api/assessments/{userId}/{month}", new { scores = new { appearance = 100 }, version = 1 })).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_measured_item_an_unknown_item_or_a_score_over_100_is_refused_naming_scores_and_changes_nothing()
    {
        var (_, _, userId) = await _given.NewTechnician();
        var month = (await app.Api("supervisor").Get("/api/assessments")).Body["month"]!.GetValue<string>();
        foreach (var body in new object[] { new { scores = new { onTime = 100 } }, new { scores = new { uniform = 80 } }, new { scores = new { appearance = 101 } } })
        {
            var problem = (await app.Api("supervisor").Put($"/api/assessments/{userId}/{month}", body)).Expect(HttpStatusCode.BadRequest).Body;
            Assert.NotNull(problem["errors"]!["scores"]);
        }
        (await app.Api("supervisor").Put($"/api/assessments/{userId}/2020-13", new { scores = new { appearance = 80 } })).Expect(HttpStatusCode.BadRequest);
        var person = Person((await app.Api("supervisor").Get("/api/assessments")).Body, userId);
        Assert.Equal(0, person["version"]!.GetValue<int>());
        Assert.Null(Score(person, "appearance"));
    }
}
