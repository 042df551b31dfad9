using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>The depot page (SC-27) in Debian's chromium: the supervisor takes units in, enters the repair, hands one back; the queue shows the due date.</summary>
public sealed class DepotTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task SC27_the_supervisor_takes_three_units_in_with_one_receipt_repairs_one_and_hands_it_back_on_the_depot_page()
    {
        await using var context = await app.Desktop();
        var page = await app.SignIn(context, "supervisor");
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync("/depot");
        await page.FillAsync("#customer-name", "王女士");
        await page.FillAsync("#customer-phone", "13800001111");
        await page.FillAsync("#product", "净水器 RO-400");
        await page.FillAsync("#count", "3");
        await page.FillAsync("#fault", "不出水");
        await page.FillAsync("#accessories", "电源适配器");
        await page.ClickAsync("#issue-receipt");
        await Expect(page.Locator(".flash, #flash, .notice").First).ToContainTextAsync("客户商品领取收据");
        var rows = page.Locator("#depot-queue tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();
        var row = rows.Filter(new() { HasText = "不出水" }).First;
        await row.Locator("input[name=Note]").FillAsync("更换进水电磁阀");
        await row.Locator("button[id^=repair-]").ClickAsync();
        row = page.Locator("#depot-queue tbody tr").Filter(new() { HasText = "已修好待取" }).First;
        await Expect(row).ToBeVisibleAsync();
        await app.Shot(page, "console-depot.png");
        await row.Locator("button[id^=hand-back-]").ClickAsync();
        await Expect(page.Locator("#depot-collected tbody tr").First).ToBeVisibleAsync();
        Assert.Empty(errors);

        // Head office sees every branch's depot, each row saying whose it is.
        await using var hq = await app.Desktop();
        var admin = await app.SignIn(hq, "admin");
        await admin.GotoAsync("/depot");
        await Expect(admin.Locator("#depot-queue thead")).ToContainTextAsync("网点");
        await Expect(admin.Locator("#depot-queue tbody tr").Filter(new() { HasText = "不出水" }).First.Locator("td").First).ToHaveTextAsync("长沙分公司");
    }
}
