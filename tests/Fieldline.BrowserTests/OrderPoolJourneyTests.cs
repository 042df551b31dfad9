using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// 抢单池 end to end in Debian's chromium: the dispatcher puts an order into the pool on the board, a technician who may
/// not work sees it greyed with the reason, an eligible one takes it on the phone and is sent to the order's first step,
/// and the board moves the order into that technician's column.
/// </summary>
public sealed class OrderPoolJourneyTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task The_dispatcher_puts_an_order_into_the_pool_on_the_board_and_an_eligible_technician_takes_it_on_the_phone()
    {
        var errors = new List<string>();
        var order = await app.RepairOrder("空调不制冷，外机不转");
        var id = order["id"]!.GetValue<long>();
        var code = order["code"]!.GetValue<string>();
        var phoneNumber = order["contactPhone"]!.GetValue<string>();
        var taker = await app.TechnicianId("tech04");

        await using var desk = await app.Desktop();
        var d = await app.SignIn(desk, "dispatcher");
        d.PageError += (_, e) => errors.Add(e);
        await d.GotoAsync("/board");
        await Expect(d.Locator($"#order-{id}")).ToBeVisibleAsync();
        await d.ClickAsync($"#release-{id}");
        await Expect(d.Locator($"#pool-{id}")).ToHaveTextAsync("抢单池中");
        await Expect(d.Locator($"#withdraw-{id}")).ToHaveTextAsync("撤回");
        // The live feed may redraw the row at any moment: scrolled by the page itself, not through a handle that may detach.
        await d.EvaluateAsync("id => document.getElementById('order-' + id)?.scrollIntoView({ block: 'center' })", id);
        await app.Shot(d, "console-board-order-pool.png");

        // tech08 is off duty: the order is shown greyed, with the reason, and cannot be taken.
        await using var offPhone = await app.Phone();
        var off = await PhoneApp.SignInOnPhone(offPhone, "tech08", errors);
        await off.ClickAsync("#tab-pool");
        await Expect(off.Locator($"#pool-{id}")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bineligible\b"));
        await Expect(off.Locator($"#reasons-{id}")).ToContainTextAsync("不在岗");
        await Expect(off.Locator($"#take-{id}")).ToBeDisabledAsync();
        await off.Locator($"#pool-{id}").ScrollIntoViewIfNeededAsync();
        await app.Shot(off, "phone-order-pool-ineligible.png");

        await using var phone = await app.Phone();
        var p = await PhoneApp.SignInOnPhone(phone, "tech04", errors);
        await Expect(p.Locator("#tab-pool")).ToHaveTextAsync("抢单");
        await p.ClickAsync("#tab-pool");
        var card = p.Locator($"#pool-{id}");
        await Expect(card).ToContainTextAsync(code);
        await Expect(p.Locator($"#area-{id}")).ToContainTextAsync("长沙市开福区");
        await Expect(card).ToContainTextAsync("不制冷");
        // Before it is theirs: no phone number, no street.
        await Expect(card).Not.ToContainTextAsync(phoneNumber);
        await Expect(card).Not.ToContainTextAsync("湘江中路");
        await card.ScrollIntoViewIfNeededAsync();
        await app.Shot(p, "phone-order-pool.png");

        await p.ClickAsync($"#take-{id}");
        // The phone opens the order in the page itself (a hash route): polled, not awaited as a navigation.
        await Microsoft.Playwright.Assertions.Expect(p).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"#/order/{id}$"), new() { Timeout = 30_000 });
        await Expect(p.Locator("#status")).ToHaveTextAsync("已接单", new() { Timeout = 15_000 });
        await Expect(p.Locator("#view")).ToContainTextAsync("湘江中路");
        await app.Shot(p, "phone-order-pool-taken.png");

        var taken = await app.Get("manager", $"/api/work-orders/{id}");
        Assert.Equal(("accepted", taker), (taken["status"]!.GetValue<string>(), taken["technicianId"]!.GetValue<int>()));
        Assert.Contains(taken["timeline"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "taken");

        // The board: out of the queue, in tech04's column; the order's timeline reads 抢单.
        await d.GotoAsync("/board");
        await Expect(d.Locator($"#queue #order-{id}")).ToHaveCountAsync(0);
        await Expect(d.Locator($"#tech-orders-{taker}")).ToContainTextAsync(code);
        await d.GotoAsync($"/orders/{id}");
        await Expect(d.Locator("#timeline")).ToContainTextAsync("抢单");
        await d.EvaluateAsync("() => document.getElementById('timeline')?.scrollIntoView({ block: 'center' })");
        await app.Shot(d, "console-order-taken-from-pool.png");
        Assert.Empty(errors);
    }
}
