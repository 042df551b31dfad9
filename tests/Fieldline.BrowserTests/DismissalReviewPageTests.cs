using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// A dismissal review (DSM, regulations.md §25) in Debian's chromium: a supervisor's finding opens it, the manager reads
/// the trigger, the reason and the evidence in Chinese on the penalty page and decides it there; the page's 全部 filter
/// lists every state with the evidence as sentences.
/// </summary>
public sealed class DismissalReviewPageTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task A_manager_reads_a_fighting_findings_dismissal_review_in_Chinese_and_upholds_it_with_a_note()
    {
        const string tech = "tech05";
        var userId = (await app.Get("manager", "/api/technicians?pageSize=50"))["items"]!.AsArray()
            .Single(t => t!["username"]!.GetValue<string>() == tech)!["userId"]!.GetValue<int>();
        var found = await app.Send("supervisor", HttpMethod.Post, "/api/violations",
            new { ruleId = "PEN-39", personUserId = userId, evidence = new { text = "在仓库聚众赌博,三人在场证实" } });
        var caseId = found["cases"]![0]!["id"]!.GetValue<long>();
        var errors = new List<string>();

        await using var desk = await app.Desktop();
        var m = await app.SignIn(desk, "manager");
        m.PageError += (_, e) => errors.Add(e);
        await m.GotoAsync("/manage/penalties");
        var review = m.Locator("#dismissal-reviews tbody tr").Filter(new() { HasText = "在仓库聚众赌博" }).First;
        await Expect(review).ToContainTextAsync("DSM-11 聚众闹事、打架斗殴、赌博");
        await Expect(review).ToContainTextAsync("辞退审核");
        await Expect(review.Locator($"a[href='#case-{caseId}']")).ToBeVisibleAsync();
        await app.Shot(m, "console-dismissal-review.png");

        await review.Locator("input[name=note]").FillAsync("多人证实,予以辞退");
        await review.Locator("button[name=uphold][value=true]").ClickAsync();
        await Expect(m.Locator(".flash").First).ToContainTextAsync("已同意辞退");
        await Expect(m.Locator("#dismissal-reviews tbody tr").Filter(new() { HasText = "在仓库聚众赌博" })).ToHaveCountAsync(0);

        await m.GotoAsync("/manage/penalties?state=");
        await Expect(m.Locator("select[name=state] option:checked")).ToHaveTextAsync("全部");
        await app.Shot(m, "console-penalties-all.png");
        Assert.Empty(errors);
    }
}
