using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.Policy;

[Collection(SqliteCollection.Name)] public sealed class PolicySignOffTestsOnSqlite(SqliteFixture app) : PolicySignOffTests(app);
[Collection(PostgresCollection.Name)] public sealed class PolicySignOffTestsOnPostgres(PostgresFixture app) : PolicySignOffTests(app);

/// <summary>
/// GOV-03/04: a change of the regulation is drafted by the responsible unit, reviewed, countersigned and approved by the
/// general manager (head office's manager), each step by a different person, before it is in force.
/// </summary>
public abstract class PolicySignOffTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<int> InForce() => (await _given.Manager.Get("/api/policy")).Expect(HttpStatusCode.OK).Body["version"]!.GetValue<int>();

    private static object Change(int minutes) => new
    {
        basedOn = "generic", parameters = new { dispatch = new { repairContactTargetMinutes = minutes } }, note = $"维修联系时限改为{minutes}分钟",
    };

    [Fact]
    public async Task GOV03_a_change_drafted_by_the_dispatcher_is_in_force_only_after_review_countersignature_and_the_general_managers_approval()
    {
        var before = await InForce();
        try
        {
            var draft = (await app.Api("dispatcher").Post("/api/policy/drafts", Change(25))).Expect(HttpStatusCode.Created).Body;
            var id = draft["id"]!.GetValue<long>();
            Assert.Equal(("open", "review"), (draft["status"]!.GetValue<string>(), draft["nextStep"]!.GetValue<string>()));
            Assert.Equal(["prepare", "review", "countersign", "approve"], draft["signatures"]!.AsArray().Select(s => s!["step"]!.GetValue<string>()));
            await app.Tick();
            Assert.Contains((await app.Api("supervisor").Get("/api/notifications?kind=policyDraftToSign&pageSize=100")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
                n => n!["kind"]!.GetValue<string>() == "policyDraftToSign" && n["body"]!.GetValue<string>().Contains("维修联系时限改为25分钟", StringComparison.Ordinal));

            (await app.Api("dispatcher").Post($"/api/policy/drafts/{id}/sign")).Expect(HttpStatusCode.Forbidden); // the drafter's role does not review
            Assert.Equal("countersign", (await app.Api("supervisor").Post($"/api/policy/drafts/{id}/sign")).Expect(HttpStatusCode.OK).Body["nextStep"]!.GetValue<string>());
            // One person signs one step.
            var twice = (await app.Api("supervisor").Post($"/api/policy/drafts/{id}/sign")).Expect(HttpStatusCode.Conflict).Body;
            Assert.Contains("不同的人", twice["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("approve", (await app.Api("finance").Post($"/api/policy/drafts/{id}/sign")).Expect(HttpStatusCode.OK).Body["nextStep"]!.GetValue<string>());
            Assert.Equal(before, await InForce()); // nothing in force before the approval
            (await app.Api("complaints").Post($"/api/policy/drafts/{id}/sign")).Expect(HttpStatusCode.Forbidden); // GOV-04: the general manager approves

            var approved = (await _given.Manager.Post($"/api/policy/drafts/{id}/sign")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal("approved", approved["status"]!.GetValue<string>());
            Assert.Equal(before + 1, approved["publishedVersion"]!.GetValue<int>());
            var policy = (await _given.Manager.Get("/api/policy")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal((before + 1, 25), (policy["version"]!.GetValue<int>(), policy["parameters"]!["dispatch"]!["repairContactTargetMinutes"]!.GetValue<int>()));
            Assert.Equal(["dispatcher", "supervisor", "finance", "manager"], approved["signatures"]!.AsArray().Select(s => s!["by"]!.GetValue<string>()));
            (await _given.Manager.Post($"/api/policy/drafts/{id}/sign")).Expect(HttpStatusCode.Conflict);
        }
        finally { (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); }
    }

    [Fact]
    public async Task A_bad_change_is_refused_when_drafted_and_a_rejected_draft_changes_nothing()
    {
        var before = await InForce();
        var bad = (await app.Api("supervisor").Post("/api/policy/drafts", new { basedOn = "generic", parameters = new { dispatch = new { noSuchRule = 1 } } }))
            .Expect(HttpStatusCode.BadRequest).Body["errors"]!.AsObject();
        Assert.True(bad.ContainsKey("note"));
        Assert.True((await app.Api("supervisor").Post("/api/policy/drafts", new { basedOn = "generic", parameters = new { dispatch = new { noSuchRule = 1 } }, note = "x" }))
            .Expect(HttpStatusCode.BadRequest).Body["errors"]!.AsObject().ContainsKey("parameters.dispatch.noSuchRule"));
        (await app.Api("tech01").Post("/api/policy/drafts", Change(40))).Expect(HttpStatusCode.Forbidden);

        var id = (await app.Api("supervisor").Post("/api/policy/drafts", Change(40))).Expect(HttpStatusCode.Created).Id;
        Assert.NotNull((await _given.Manager.Post($"/api/policy/drafts/{id}/reject", new { reason = " " })).Expect(HttpStatusCode.BadRequest).Body["errors"]!["reason"]);
        var rejected = (await _given.Manager.Post($"/api/policy/drafts/{id}/reject", new { reason = "40 分钟太宽松" })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(("rejected", "40 分钟太宽松"), (rejected["status"]!.GetValue<string>(), rejected["rejectionReason"]!.GetValue<string>()));
        (await _given.Manager.Post($"/api/policy/drafts/{id}/sign")).Expect(HttpStatusCode.Conflict);
        Assert.Equal(before, await InForce());
        Assert.Contains((await app.Api("finance").Get("/api/policy/drafts?status=rejected&pageSize=100")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray(),
            d => d!["id"]!.GetValue<long>() == id);
        (await app.Api("tech01").Get("/api/policy/drafts")).Expect(HttpStatusCode.Forbidden);
        (await _given.Manager.Post("/api/policy/drafts/999999/sign")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_policy_page_shows_the_changes_in_sign_off_with_the_next_signers_button_in_Chinese()
    {
        var id = (await app.Api("dispatcher").Post("/api/policy/drafts", Change(35))).Expect(HttpStatusCode.Created).Id;
        try
        {
            var supervisor = await ConsoleSession.SignIn(app, "supervisor");
            var page = await supervisor.Get("/manage/policy");
            Assert.Contains($"id=\"sign-{id}\"", page, StringComparison.Ordinal);
            Assert.Contains("id=\"submit-draft\"", page, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"publish\"", page, StringComparison.Ordinal); // only the general manager publishes at once
            var english = LanguageCrawl.EnglishIn(page).Select(f => $"{f.Where}: {f.Text}").Distinct().ToList();
            Assert.True(english.Count == 0, "English on the Chinese policy page:\n" + string.Join("\n", english.Take(40)));
            // The drafter does not sign their own draft's next step.
            Assert.DoesNotContain($"id=\"sign-{id}\"", await (await ConsoleSession.SignIn(app, "dispatcher")).Get("/manage/policy"), StringComparison.Ordinal);
        }
        finally { (await _given.Manager.Post($"/api/policy/drafts/{id}/reject", new { reason = "测试结束" })).Expect(HttpStatusCode.OK); }
    }
}
