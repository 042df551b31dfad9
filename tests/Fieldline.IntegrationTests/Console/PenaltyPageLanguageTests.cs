using System.Net;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.Console;

public abstract partial class ConsolePageTests
{
    /// <summary>
    /// The penalty page and an order's penalty list in Chinese: every evidence kind reads as a sentence or as labelled
    /// facts through the catalogue — never a raw key such as <c>brandFine</c> or <c>nonGenuinePartReturned</c> — and the
    /// state filter that lists every case says so (全部), not 待确认.
    /// </summary>
    [Fact]
    public async Task The_penalty_page_and_the_order_page_show_a_brand_fines_evidence_in_Chinese_and_the_any_filter_reads_全部()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "gree-dealer-changsha-2012" })).Expect(HttpStatusCode.OK);
        var tech = await _given.NewTechnician(["ac.repair"]);
        var order = await _given.OrderIn("completed", tech.User);
        (await app.Api("warehouse").Post($"/api/work-orders/{order}/parts-returned", new { notes = "继电器非格力原装", nonGenuine = true })).Expect(HttpStatusCode.OK);
        var fine = (await _given.Manager.Post($"/api/work-orders/{order}/brand-fines", new { amount = 500m, reference = "GREE-2026-0611", reason = "旧件非原装" }))
            .Expect(HttpStatusCode.OK).Body["case"]!;
        // A dismissal review with its evidence (DSM-11) on the same page.
        (await app.Api("supervisor").Post("/api/violations", new { ruleId = "PEN-39", personUserId = tech.UserId, evidence = new { text = "在仓库聚众赌博" } })).Expect(HttpStatusCode.OK);

        var manager = await SignIn("manager");
        manager.Http.DefaultRequestHeaders.Add("Cookie", "fieldline.lang=c%3Dzh-CN%7Cuic%3Dzh-CN");
        var all = await manager.Http.GetStringAsync("/manage/penalties?state=");
        Assert.Contains($"id=\"case-{fine["id"]}\"", all);
        Assert.Matches("<option value=\"\" selected=\"selected\">全部</option>", all);
        Assert.DoesNotMatch("<option value=\"proposed\" selected=\"selected\">", all);
        var order_ = await manager.Http.GetStringAsync($"/orders/{order}");
        foreach (var page in new[] { all, order_ })
        {
            Assert.Contains("厂家（品牌）罚款 ¥500.00", page);
            Assert.Contains("返还非原厂配件：是", page);
            foreach (var key in new[] { "brandFine", "nonGenuinePartReturned", "recordedBy", "toolCheck", "trainingId" })
                Assert.DoesNotContain(key, LanguageCrawl.EnglishIn(page).Select(f => f.Text).Concat([Visible(page)]).Aggregate("", (a, b) => a + "\n" + b));
        }
        Assert.Contains("DSM-11", all);
        var english = LanguageCrawl.EnglishIn(all).Select(f => $"{f.Where}: {f.Text}").Distinct().ToList();
        Assert.True(english.Count == 0, "English on the Chinese penalty page:\n" + string.Join("\n", english.Take(40)));

        // Without a state the page opens on the cases to confirm.
        Assert.Matches("<option value=\"proposed\" selected=\"selected\">", await manager.Http.GetStringAsync("/manage/penalties"));
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK);
    }

    /// <summary>The page's text without its tags and attributes (what a person reads; ids in markup are not text).</summary>
    private static string Visible(string html) => System.Text.RegularExpressions.Regex.Replace(html, "<[^>]*>", " ");
}
