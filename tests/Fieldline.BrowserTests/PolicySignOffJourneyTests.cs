using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// GOV-03/04 on the console, in Debian's chromium: the dispatcher drafts a change on the policy page (编制), the
/// supervisor reviews it (审核), finance countersigns (会签), and the general manager approves it (批准), which puts it in
/// force; each signer sees the button only while the step is theirs. The Chinese page has no English.
/// </summary>
public sealed class PolicySignOffJourneyTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    private const string Minutes = "[id='p:dispatch.repairContactTargetMinutes']";

    [Fact]
    public async Task A_change_drafted_on_the_policy_page_is_signed_step_by_step_and_in_force_after_the_general_managers_approval()
    {
        var before = (await app.Get("manager", "/api/policy"))["version"]!.GetValue<int>();
        await using var desk = await app.Desktop();
        var d = await app.SignIn(desk, "dispatcher");
        await d.GotoAsync("/manage/policy");
        await Expect(d.Locator("#publish")).ToHaveCountAsync(0); // only the general manager publishes at once
        await d.FillAsync(Minutes, "25");
        // SC-19: the company's own capacity-to-room table, which no preset has.
        await d.Locator("#capacity-table summary").ClickAsync();
        await d.FillAsync("#capacity-table-rows", "1 = 15\n1.5 = 22");
        await d.FillAsync("#draft-note", "维修联系时限由20分钟改为25分钟");
        await d.ClickAsync("#submit-draft");
        var draft = d.Locator("#drafts article").First;
        await Expect(draft).ToContainTextAsync("维修联系时限由20分钟改为25分钟");
        await Expect(draft).ToContainTextAsync("签批中");
        await Expect(draft.Locator("button")).ToHaveCountAsync(0); // the drafter does not review their own change
        // The presets' Chinese names keep the source's own words: the brand "ccec", and "xx" where the source hid a name.
        var english = (await PhoneApp.English(d)).Where(w => !w.EndsWith(": ccec", StringComparison.Ordinal) && !w.EndsWith(": xx", StringComparison.Ordinal)).ToList();
        Assert.True(english.Count == 0, "English on the Chinese policy page:\n" + string.Join("\n", english));

        foreach (var (user, step) in new[] { ("supervisor", "审核"), ("finance", "会签"), ("manager", "批准") })
        {
            await using var context = await app.Desktop();
            var p = await app.SignIn(context, user);
            await p.GotoAsync("/manage/policy");
            var sign = p.Locator("#drafts article").First.Locator("button.primary");
            await Expect(sign).ToHaveTextAsync($"签署:{step}");
            await sign.ClickAsync();
            await Expect(p.Locator(".flash").First).ToBeVisibleAsync();
        }
        var policy = await app.Get("manager", "/api/policy");
        Assert.Equal((before + 1, 25), (policy["version"]!.GetValue<int>(), policy["parameters"]!["dispatch"]!["repairContactTargetMinutes"]!.GetValue<int>()));
        Assert.Equal([(1m, 15m), (1.5m, 22m)], policy["parameters"]!["installation"]!["capacityRoomAreaTable"]!.AsArray()
            .Select(r => (r!["hp"]!.GetValue<decimal>(), r["maxAreaM2"]!.GetValue<decimal>())));
        await d.GotoAsync("/manage/policy");
        await Expect(d.Locator("#drafts article").First).ToContainTextAsync("已批准");
        await Expect(d.Locator("#version-in-force")).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_manager_changes_a_kit_and_the_evidence_a_completion_needs_on_the_policy_page()
    {
        await using var desk = await app.Desktop();
        var m = await app.SignIn(desk, "manager");
        try
        {
            await m.GotoAsync("/manage/policy");
            await m.Locator("#policy-lists summary").ClickAsync();
            var kit = m.Locator("[id='list-tools-installerCrewKit']");
            await Expect(kit).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("焊枪"));
            var lines = (await kit.InputValueAsync()).Split('\n').Where(l => l != "焊枪").Append("电锤");
            await kit.FillAsync(string.Join("\n", lines));
            await m.Locator("[id='list-completion-evidenceRequired-barcodeScan']").UncheckAsync();
            await m.Locator("#policy-lists").ScrollIntoViewIfNeededAsync();
            await app.Shot(m, "console-policy-lists.png");
            await m.ClickAsync("#publish");
            await Expect(m.Locator(".flash").First).ToContainTextAsync("已发布");
            var english = (await PhoneApp.English(m)).Where(w => !w.EndsWith(": ccec", StringComparison.Ordinal) && !w.EndsWith(": xx", StringComparison.Ordinal)).ToList();
            Assert.True(english.Count == 0, "English on the Chinese policy page:\n" + string.Join("\n", english));

            var policy = (await app.Get("manager", "/api/policy"))["parameters"]!;
            var crewKit = policy["tools"]!["installerCrewKit"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
            Assert.DoesNotContain("weldingTorch(焊枪)", crewKit);
            Assert.Equal("电锤", crewKit[^1]);
            Assert.Contains("multimeter(万用表)", crewKit);
            Assert.DoesNotContain("barcodeScan", policy["completion"]!["evidenceRequired"]!.AsArray().Select(x => x!.GetValue<string>()));
        }
        finally { await app.Send("manager", HttpMethod.Put, "/api/policy", new { basedOn = "generic" }); }
    }
}
