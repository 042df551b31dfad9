using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class CompletionAcknowledgementTestsOnSqlite(SqliteFixture app) : CompletionAcknowledgementTests(app);
[Collection(PostgresCollection.Name)] public sealed class CompletionAcknowledgementTestsOnPostgres(PostgresFixture app) : CompletionAcknowledgementTests(app);

/// <summary>
/// ONS-31 (第19篇 §8): where the policy asks for it, a finished installation signed by the customer is reported to the
/// company, and the crew leaves the site only after the office has acknowledged it (备案) — once, by the office roles,
/// the technician told; elsewhere (and for repairs) no acknowledgement is asked or accepted.
/// </summary>
public abstract partial class CompletionAcknowledgementTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task Policy(bool acknowledge) =>
        (await _given.Manager.Put("/api/policy", acknowledge
            ? new { basedOn = "generic", parameters = new { completion = new { companyAcknowledgementBeforeLeavingSite = true } } }
            : (object)new { basedOn = "generic" })).Expect(HttpStatusCode.OK);

    private static object Completion() => new
    {
        resolution = "安装完成,试机正常", faultCategory = "component", barcode = $"GR{Guid.NewGuid():N}"[..14], testRunMinutes = 30,
        checklist = new { powerOff = true, testRun = true, serviceSticker = true },
        signature = "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng), photos = new[] { "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng) },
    };

    private async Task<IEnumerable<JsonNode>> Notices(Api who, string kind)
    {
        await app.Tick(); // the outbox delivers
        return (await who.Get($"/api/notifications?kind={kind}&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray()
            .Where(n => n!["kind"]!.GetValue<string>() == kind).Select(n => n!);
    }

    [Fact]
    public async Task ONS31_a_finished_installation_waits_for_the_offices_acknowledgement_which_is_given_once_and_tells_the_technician()
    {
        await Policy(acknowledge: true);
        try
        {
            var (id, tech) = await _given.OnSite();
            (await _given.Dispatcher.Post($"/api/work-orders/{id}/acknowledge-completion", new { })).Expect(HttpStatusCode.Conflict); // not finished yet
            (await tech.Post($"/api/work-orders/{id}/complete", Completion())).Expect(HttpStatusCode.OK);
            var code = (await tech.Get($"/api/work-orders/{id}")).Body["code"]!.GetValue<string>();
            Assert.Contains(await Notices(_given.Dispatcher, "completionToAcknowledge"), n => n["title"]!.GetValue<string>().Contains(code, StringComparison.Ordinal));

            // Not the technician's own to acknowledge, nor the finance clerk's.
            (await tech.Post($"/api/work-orders/{id}/acknowledge-completion", new { })).Expect(HttpStatusCode.Forbidden);
            (await app.Api("finance").Post($"/api/work-orders/{id}/acknowledge-completion", new { })).Expect(HttpStatusCode.Forbidden);

            var done = (await _given.Dispatcher.Post($"/api/work-orders/{id}/acknowledge-completion", new { })).Expect(HttpStatusCode.OK).Body;
            var last = done["timeline"]!.AsArray().Last()!;
            Assert.Equal(("completionAcknowledged", "dispatcher", "completed"), (last["action"]!.GetValue<string>(), last["actor"]!.GetValue<string>(), done["status"]!.GetValue<string>()));
            Assert.Contains(await Notices(tech, "completionAcknowledged"), n => n["body"]!.GetValue<string>().Contains("可以离开现场", StringComparison.Ordinal));

            var again = (await _given.Dispatcher.Post($"/api/work-orders/{id}/acknowledge-completion", new { })).Expect(HttpStatusCode.Conflict).Body;
            Assert.Contains("备案", again["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally { await Policy(acknowledge: false); }
    }

    [Fact]
    public async Task ONS31_no_acknowledgement_is_asked_for_a_repair_or_under_a_policy_without_the_rule()
    {
        await Policy(acknowledge: true);
        long repair;
        Api repairer;
        try
        {
            (repair, repairer) = await _given.OnSite("repair");
        }
        finally { await Policy(acknowledge: false); }
        (await repairer.Post($"/api/work-orders/{repair}/complete", Completion())).Expect(HttpStatusCode.OK);
        (await _given.Dispatcher.Post($"/api/work-orders/{repair}/acknowledge-completion", new { })).Expect(HttpStatusCode.Conflict);

        var (install, installer) = await _given.OnSite(); // the generic policy: no acknowledgement
        (await installer.Post($"/api/work-orders/{install}/complete", Completion())).Expect(HttpStatusCode.OK);
        var refused = (await _given.Dispatcher.Post($"/api/work-orders/{install}/acknowledge-completion", new { })).Expect(HttpStatusCode.Conflict).Body;
        Assert.Contains("无需备案", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        Assert.DoesNotContain("id=\"acknowledge-card\"", await dispatcher.Get($"/orders/{install}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ONS31_the_supervisor_acknowledges_on_the_order_page_which_then_shows_the_entry_and_no_button()
    {
        await Policy(acknowledge: true);
        try
        {
            var (id, tech) = await _given.OnSite();
            (await tech.Post($"/api/work-orders/{id}/complete", Completion())).Expect(HttpStatusCode.OK);
            var supervisor = await ConsoleSession.SignIn(app, "supervisor");
            var page = await supervisor.Get($"/orders/{id}");
            Assert.Contains("施工人员在现场等待公司备案", page, StringComparison.Ordinal);
            NoEnglish(page, "order page waiting for the acknowledgement");
            var version = VersionField().Match(page[page.IndexOf("id=\"acknowledge-form\"", StringComparison.Ordinal)..]).Groups[1].Value;
            var done = await supervisor.Post($"/orders/{id}?handler=Acknowledge", new Dictionary<string, string> { ["version"] = version });
            Assert.Contains("已备案:施工人员可以离开现场", done, StringComparison.Ordinal);
            Assert.Contains("公司备案确认", done, StringComparison.Ordinal); // the timeline entry, in Chinese
            NoEnglish(done, "order page after the acknowledgement");
            Assert.DoesNotContain("id=\"acknowledge-form\"", done, StringComparison.Ordinal);

            // The clerk sees that it waits no more; a returned visit is not blocked by it.
            Assert.DoesNotContain("id=\"acknowledge-card\"", await (await ConsoleSession.SignIn(app, "clerk")).Get($"/orders/{id}"), StringComparison.Ordinal);
        }
        finally { await Policy(acknowledge: false); }
    }

    private static void NoEnglish(string page, string where)
    {
        var english = LanguageCrawl.EnglishIn(page).Select(f => $"{f.Where}: {f.Text}").Distinct().ToList();
        Assert.True(english.Count == 0, $"English on the Chinese {where}:\n" + string.Join("\n", english.Take(40)));
    }

    [GeneratedRegex("name=\"version\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();
}
