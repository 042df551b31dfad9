using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// Issue 15, "which orders?": a pay statement's line names the orders it pays for — on the phone's 我的本月 and on the
/// month-close page — by number, each opening its order.
/// </summary>
public sealed class PayStatementOrdersTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task An_empty_trips_subsidy_names_its_order_on_the_phones_month_and_the_month_close_page_and_the_number_opens_it()
    {
        const string tech = "tech03";
        var order = await app.RepairOrder("空调不制冷,上门后发现遥控器没电");
        var id = order["id"]!.GetValue<long>();
        var code = order["code"]!.GetValue<string>();
        await app.Send("dispatcher", HttpMethod.Post, $"/api/work-orders/{id}/dispatch", new { technicianId = await app.TechnicianId(tech) });
        await app.Send(tech, HttpMethod.Post, $"/api/work-orders/{id}/accept");
        var now = (await app.Get("admin", "/api/sandbox/clock"))["now"]!.GetValue<DateTimeOffset>();
        await app.Send(tech, HttpMethod.Post, $"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = now, end = now.AddHours(2) } });
        await app.Send(tech, HttpMethod.Post, $"/api/work-orders/{id}/check-in", new { location = new { lat = 28.21, lng = 112.98 } });
        await app.Send(tech, HttpMethod.Post, $"/api/work-orders/{id}/empty-trip", new { reason = "更换遥控器电池后运行正常" });
        var month = now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var errors = new List<string>();

        // The technician's running statement: the RWD-03 line names the order; tapping the number opens it.
        await using var phone = await app.Phone();
        var p = await phone.NewPageAsync();
        p.PageError += (_, e) => errors.Add(e);
        await p.GotoAsync("/m");
        await p.FillAsync("#username", tech);
        await p.FillAsync("#password", PhoneApp.Password);
        await p.ClickAsync("#login");
        await p.WaitForSelectorAsync("#newOrders");
        await p.GotoAsync("/m/#/month");
        var line = p.Locator("#statementLines li").Filter(new() { HasText = "RWD-03" });
        await Expect(line).ToContainTextAsync("工单（1）：");
        var link = line.Locator($"a.order-link[href='#/order/{id}']");
        await Expect(link).ToHaveTextAsync(code);
        await line.ScrollIntoViewIfNeededAsync();
        await app.Shot(p, "phone-month-line-orders.png");
        await link.ClickAsync();
        await p.WaitForURLAsync(new Regex($"#/order/{id}$"));

        // Finance's month-close preview: the same order, linked to the console's order page.
        await using var desk = await app.Desktop();
        var f = await app.SignIn(desk, "finance");
        f.PageError += (_, e) => errors.Add(e);
        await f.GotoAsync($"/manage/pay-ledger?month={month}");
        var consoleLink = f.Locator($"#statements a.order-link[href='/orders/{id}']");
        await Expect(consoleLink).ToHaveTextAsync(code);
        await consoleLink.ScrollIntoViewIfNeededAsync();
        await app.Shot(f, "console-statement-line-orders.png");
        await consoleLink.ClickAsync();
        await f.WaitForURLAsync(new Regex($"/orders/{id}$"));
        await Expect(f.Locator("#order-code")).ToContainTextAsync(code);
        Assert.Empty(errors);
    }
}
