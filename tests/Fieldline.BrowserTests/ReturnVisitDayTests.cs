using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// Issue 16 in Debian's chromium: the return-visit agent's day (queue → script → a "no" the policy fines → the case in the
/// manager's penalty list) and the customer's own rating page on a phone.
/// </summary>
public sealed class ReturnVisitDayTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    /// <summary>A repair of a new customer, done by tech01 and completed 40 minutes after the check-in (sandbox clock).</summary>
    private async Task<(long Id, string Code)> CompletedRepair(double checkInLat = 28.21, string fault = "空调不制冷")
    {
        var order = await app.RepairOrder(fault);
        var id = order["id"]!.GetValue<long>();
        await app.Send("dispatcher", HttpMethod.Post, $"/api/work-orders/{id}/dispatch", new { technicianId = await app.TechnicianId("tech01") });
        await app.Send("tech01", HttpMethod.Post, $"/api/work-orders/{id}/accept");
        var now = (await app.Get("admin", "/api/sandbox/clock"))["now"]!.GetValue<DateTimeOffset>();
        await app.Send("tech01", HttpMethod.Post, $"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = now, end = now.AddHours(2) } });
        await app.Send("tech01", HttpMethod.Post, $"/api/work-orders/{id}/check-in", new { location = new { lat = checkInLat, lng = 112.98 } });
        await app.Send("admin", HttpMethod.Post, "/api/sandbox/clock", new { advanceMinutes = 40 });
        var png = "data:image/png;base64," + Convert.ToBase64String(TestImage.Png(64, 48));
        await app.Send("tech01", HttpMethod.Post, $"/api/work-orders/{id}/complete", new
        {
            resolution = "更换电容,试机正常", faultCategory = "配件损坏", barcode = order["product"]!["serialNumber"]!.GetValue<string>(), testRunMinutes = 35,
            checklist = new { powerOff = true, testRun = true, serviceSticker = true }, charges = new[] { new { description = "PVC水管4米", priceCode = "M-PVC-PIPE", quantity = 4, amount = 30.00m } }, // customer-paid material: charged in warranty too (FEE-10)
            invoiceNumber = "43001234", signature = png, photos = new[] { png },
        });
        return (id, order["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_agent_opens_the_queue_records_a_visit_whose_no_the_policy_fines_and_the_manager_finds_the_case_in_the_penalty_list()
    {
        var (id, code) = await CompletedRepair();
        await using var office = await app.Desktop();
        var agent = await app.SignIn(office, "visitor");
        var errors = new List<string>();
        agent.PageError += (_, e) => errors.Add(e);
        await agent.GotoAsync("/return-visits");
        var row = agent.Locator($"#visit-{id}");
        await Expect(row).ToContainTextAsync(code);
        await Expect(row.Locator("a.tel")).ToHaveAttributeAsync("href", new Regex("^tel:138"));
        await app.Shot(agent, "console-return-visits.png");

        await row.Locator("a.button").ClickAsync();
        await agent.WaitForURLAsync(url => url.EndsWith($"/return-visits/{id}", StringComparison.Ordinal));
        await Expect(agent.Locator("#order-code")).ToHaveTextAsync(code);
        await Expect(agent.Locator("#charged-total")).ToContainTextAsync("30.00");
        await agent.CheckAsync("input[name=Outcome][value=reached]");
        foreach (var yes in await agent.Locator("#script input[type=radio][value=yes]").AllAsync()) await yes.CheckAsync();
        // The customer says the technician smoked indoors: a "no" the policy fines (PEN-24, 50 CNY).
        await Expect(agent.Locator("#q-refusedWaterAndCigarettes")).ToContainTextAsync("PEN-24");
        await agent.CheckAsync("#q-refusedWaterAndCigarettes input[value=no]");
        await agent.SelectOptionAsync("select[name=Satisfaction]", "3");
        await agent.FillAsync("textarea[name=Remarks]", "师傅在客厅抽烟");
        await agent.Locator("#save-visit").ScrollIntoViewIfNeededAsync();
        await app.Shot(agent, "console-return-visit-script.png");
        await agent.ClickAsync("#save-visit");
        await agent.WaitForURLAsync(url => url.EndsWith("/return-visits", StringComparison.Ordinal));
        await Expect(agent.Locator($"#visit-{id}")).ToHaveCountAsync(0);

        var manager = await app.SignIn(office, "manager");
        await manager.GotoAsync("/manage/penalties?state=");
        var fine = manager.Locator("#cases tr").Filter(new() { HasText = code });
        await Expect(fine).ToHaveCountAsync(1);
        await Expect(fine).ToContainTextAsync("PEN-24");
        await Expect(fine).ToContainTextAsync("50.00");
        await fine.ScrollIntoViewIfNeededAsync();
        await app.Shot(manager, "console-return-visit-fine.png");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_customer_rates_the_job_on_a_phone_through_the_signed_link_and_a_second_visit_finds_it_answered()
    {
        var (id, code) = await CompletedRepair();
        var link = (await app.Get("dispatcher", $"/api/work-orders/{id}/rating-link"))["url"]!.GetValue<string>();
        await using var phone = await app.Phone();
        var page = await phone.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(link);
        await Expect(page.Locator("#order-code")).ToHaveTextAsync(code);
        await Expect(page.Locator("h1")).ToHaveTextAsync("服务评价");
        await Expect(page.Locator("#charged-total")).ToContainTextAsync("30.00");
        // Nothing runs off the side of a 390-pixel screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        await app.Shot(page, "customer-rating-phone.png");

        foreach (var yes in await page.Locator("#rating-form input[type=radio][value=yes]").AllAsync()) await yes.CheckAsync();
        await page.CheckAsync("#q-satisfaction input[value='5']");
        await page.ClickAsync("#send-rating");
        await Expect(page.Locator("#thanks")).ToBeVisibleAsync();
        await app.Shot(page, "customer-rating-phone-thanks.png");

        await page.GotoAsync(link);
        await Expect(page.Locator("#answered")).ToBeVisibleAsync();
        Assert.Equal("visited", (await app.Get("manager", $"/api/work-orders/{id}"))["status"]!.GetValue<string>());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task The_supervisor_confirms_a_far_check_in_and_the_clerk_and_the_dispatcher_see_a_repeat_repair()
    {
        // Checked in 3 km from the customer: flagged, not refused.
        var (id, code) = await CompletedRepair(checkInLat: 28.24, fault: "室内机漏水");
        await using var office = await app.Desktop();
        var supervisor = await app.SignIn(office, "supervisor");
        await supervisor.GotoAsync("/quality/flags");
        var flag = supervisor.Locator("#flags tr").Filter(new() { HasText = code });
        await Expect(flag).ToContainTextAsync("签到位置远离客户地址");
        await Expect(flag).ToContainTextAsync("允许半径（米）");
        await app.Shot(supervisor, "console-quality-flags.png");
        await flag.Locator("form[id^=confirm] input[name=note]").FillAsync("已电话核实,师傅先去了客户旧址");
        await flag.Locator("form[id^=confirm] button").ClickAsync();
        await Expect(supervisor.Locator(".flash").First).ToContainTextAsync("已确认");
        await supervisor.GotoAsync($"/orders/{id}");
        await Expect(supervisor.Locator("#quality-flags")).ToContainTextAsync("已确认");

        // The same unit reported again for the same fault within 30 days: a 返修, shown to the clerk and on the board.
        var first = await app.Get("manager", $"/api/work-orders/{id}");
        var repeat = await app.Send("clerk", HttpMethod.Post, "/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = first["customer"]!["id"]!.GetValue<long>(), productSerial = first["product"]!["serialNumber"]!.GetValue<string>(),
            faultDescription = "室内机漏水",
        });
        Assert.Equal(id, repeat["repeatOf"]!.GetValue<long>());
        var clerk = await app.SignIn(office, "clerk");
        await clerk.GotoAsync($"/intake?created={repeat["id"]}");
        await Expect(clerk.Locator("#repeat-notice")).ToContainTextAsync("返修");
        await Expect(clerk.Locator("#repeat-notice a")).ToHaveAttributeAsync("href", $"/orders/{id}");
        await Expect(clerk.Locator("#sameFault")).ToBeVisibleAsync();
        await app.Shot(clerk, "console-intake-repeat.png");
        await clerk.GotoAsync("/board");
        var card = clerk.Locator($"#order-{repeat["id"]}");
        await Expect(card.Locator(".badge.repeat")).ToHaveTextAsync("返修");
        await card.ScrollIntoViewIfNeededAsync();
        await app.Shot(clerk, "console-board-repeat.png");
    }
}
