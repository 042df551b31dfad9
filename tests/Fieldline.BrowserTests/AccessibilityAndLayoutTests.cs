using System.Text.Json;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// Issue 12's conventions in a real Chromium: axe-core finds no serious or critical violation on any console page (as the
/// roles that use it) or on the phone app; the console works at a tablet's 768 px with a menu button and nothing cut
/// off; the phone app's screens fit a 360 px phone.
/// </summary>
public sealed class AccessibilityAndLayoutTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static readonly string Axe = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vendor", "axe.min.js"));

    /// <summary>A browser context that may inject axe-core despite the console's strict Content-Security-Policy.</summary>
    private async Task<IBrowserContext> Context(int width, int height, bool phone = false)
    {
        var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = app.BaseUrl.ToString(), ViewportSize = new() { Width = width, Height = height }, Locale = "zh-CN", TimezoneId = "Asia/Shanghai",
            BypassCSP = true, IsMobile = phone, HasTouch = phone,
        });
        context.SetDefaultTimeout(15_000);
        return context;
    }

    /// <summary>axe-core's serious and critical violations on the page as it is now, one line each with up to three elements.</summary>
    private static async Task<List<string>> Violations(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'")) await page.AddScriptTagAsync(new() { Content = Axe });
        var found = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)
            """);
        return found.EnumerateArray().Select(v => $"{page.Url}: {v.GetString()}").ToList();
    }

    private static async Task<int> Overflow(IPage page) =>
        await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");

    private async Task<List<string>> Crawl(IBrowserContext context, string user, IEnumerable<string> paths)
    {
        var page = await app.SignIn(context, user);
        var found = new List<string>();
        foreach (var path in paths)
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            found.AddRange(await Violations(page));
        }
        return found;
    }

    [Fact]
    public async Task No_console_page_has_a_serious_or_critical_accessibility_violation_for_the_roles_that_use_it()
    {
        var order = await app.RepairOrder();
        await using var context = await Context(1366, 768);
        var found = new List<string>();
        found.AddRange(await Crawl(context, "manager", ["/", "/intake", "/board", "/board/plan", "/orders", $"/orders/{order["id"]}", "/complaints",
            "/manage/technicians", "/manage/users", "/manage/penalties", "/manage/pay-ledger", "/manage/policy", "/manage/branches", "/notifications", "/quality/confirmations"]));
        await context.ClearCookiesAsync();
        found.AddRange(await Crawl(context, "admin", ["/manage/deliveries"]));
        await context.ClearCookiesAsync();
        var tech03 = await app.TechnicianId("tech03");
        found.AddRange(await Crawl(context, "supervisor", ["/people/hiring", $"/people/hiring?technicianId={tech03}"]));
        await context.ClearCookiesAsync();
        found.AddRange(await Crawl(context, "tech01", ["/orders"]));
        await context.ClearCookiesAsync();
        var login = await context.NewPageAsync();
        await login.GotoAsync("/login");
        found.AddRange(await Violations(login));
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    [Fact]
    public async Task The_phone_app_has_no_serious_or_critical_accessibility_violation_and_fits_a_360_pixel_phone()
    {
        var (id, _) = await app.DispatchedOrder();
        await using var context = await Context(360, 740, phone: true);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/m");
        await page.WaitForSelectorAsync("#username");
        var found = await Violations(page);
        await page.FillAsync("#username", "tech01");
        await page.FillAsync("#password", PhoneApp.Password);
        await page.ClickAsync("#login");
        await page.WaitForSelectorAsync("#newOrders");
        found.AddRange(await Violations(page));
        var english = await PhoneApp.English(page);
        Assert.True(await Overflow(page) <= 0, "the order list is wider than the phone");

        await page.ClickAsync($"[data-order='{id}']");
        await page.WaitForSelectorAsync("#code");
        await Assertions.Expect(page.Locator("p.muted", new() { HasText = "产品" })).ToContainTextAsync("空调"); // the product line by name, not "ac"
        found.AddRange(await Violations(page));
        english.AddRange(await PhoneApp.English(page));
        Assert.True(await Overflow(page) <= 0, "the order screen is wider than the phone");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleApp.Shots, "mobile-order-360.png"), FullPage = false });

        await page.GotoAsync("/m/#/month");
        // The screen drawn from its answers: the network is never idle here (the live stream stays open), and "network
        // idle" only held when it had fired before the stream opened.
        await page.WaitForSelectorAsync("#monthCompleted");
        found.AddRange(await Violations(page));
        english.AddRange(await PhoneApp.English(page));
        Assert.True(await Overflow(page) <= 0, "my month is wider than the phone");
        foreach (var (screen, field) in new[] { ("#/lead", "#leadName"), ("#/leave", "#leaveReason"), ("#/inbox", "#inbox") })
        {
            await page.GotoAsync("/m/" + screen);
            await page.WaitForSelectorAsync(field);
            found.AddRange(await Violations(page));
            english.AddRange(await PhoneApp.English(page));
            Assert.True(await Overflow(page) <= 0, $"{screen} is wider than the phone");
        }
        Assert.True(found.Count == 0, string.Join("\n", found));
        Assert.True(english.Count == 0, "English on the Chinese phone:\n" + string.Join("\n", english));
    }

    [Fact]
    public async Task On_a_768_pixel_tablet_the_console_opens_its_menu_from_a_button_and_no_page_is_wider_than_the_screen()
    {
        var order = await app.RepairOrder();
        await using var context = await Context(768, 1024);
        var page = await app.SignIn(context, "manager");
        var toggle = page.Locator("#menu-toggle");
        await Assertions.Expect(toggle).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("header.top nav")).ToBeHiddenAsync();
        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.Locator("header.top nav a[href='/board']")).ToBeVisibleAsync();
        await app.Shot(page, "console-tablet-menu.png");
        await page.ClickAsync("header.top nav a[href='/board']");
        await page.WaitForURLAsync("**/board");
        await Assertions.Expect(page.Locator("header.top nav")).ToBeHiddenAsync();

        var wide = new List<string>();
        foreach (var path in new[] { "/", "/intake", "/board", "/board/plan", "/orders", $"/orders/{order["id"]}", "/complaints", "/manage/technicians",
                     "/manage/users", "/manage/penalties", "/manage/pay-ledger", "/manage/policy", "/manage/branches", "/notifications" })
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            if (await Overflow(page) is > 0 and var extra) wide.Add($"{path}: {extra} px wider than the screen");
        }
        Assert.True(wide.Count == 0, string.Join("\n", wide));
        await page.GotoAsync("/board");
        await app.Shot(page, "console-tablet-board.png");
    }
}
