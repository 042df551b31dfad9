using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// 消息 on the phone in Debian's chromium: the dispatcher releases an order into the pool and a technician's open phone
/// hears of it through the live stream — the unread badge on the tab bar, the message in the inbox (code, district, job;
/// nothing of the customer) — opening it marks it read on the server, and the Chinese screen has no English on it.
/// </summary>
public sealed partial class PhoneInboxJourneyTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    private async Task<int> Unread(string user) =>
        (await app.Get(user, "/api/notifications?unread=true&pageSize=1"))["total"]!.GetValue<int>();

    private async Task<System.Text.Json.Nodes.JsonNode?> PoolNotice(long order) =>
        (await app.Get("tech05", "/api/notifications?kind=poolOrder&pageSize=50"))["items"]!.AsArray().SingleOrDefault(n => n!["workOrderId"]?.GetValue<long>() == order);

    private static async Task Until(Func<Task<bool>> done, string failure)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), failure);
            await Task.Delay(300);
        }
    }

    [Fact]
    public async Task A_technicians_phone_shows_the_unread_badge_and_the_pool_message_after_a_release_and_opening_it_marks_it_read()
    {
        var errors = new List<string>();
        await using var context = await app.Phone();
        var p = await PhoneApp.SignInOnPhone(context, "tech05", errors);
        await Expect(p.Locator("#tab-inbox-label")).ToHaveTextAsync("消息");

        var order = await app.RepairOrder("空调漏水，内机滴水");
        var id = order["id"]!.GetValue<long>();
        var code = order["code"]!.GetValue<string>();
        var phoneNumber = order["contactPhone"]!.GetValue<string>();
        await app.Send("dispatcher", HttpMethod.Post, $"/api/work-orders/{id}/release-to-pool");

        // The outbox delivers within a tick; the open phone hears it live and counts it.
        await Until(async () => (await PoolNotice(id)) is not null, "the pool notification was not delivered");
        var unread = await Unread("tech05");
        await Expect(p.Locator("#inboxBadge")).ToBeVisibleAsync();
        await Expect(p.Locator("#inboxBadge")).ToHaveTextAsync(unread.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await p.ClickAsync("#tab-inbox");
        var message = p.Locator("#inbox .message[data-kind='poolOrder']", new() { HasText = code });
        await Expect(message).ToHaveClassAsync(Unopened());
        await Expect(message).ToContainTextAsync($"抢单池有新工单 {code}");
        await Expect(message).ToContainTextAsync("长沙市开福区 · 维修");
        await Expect(message).Not.ToContainTextAsync(phoneNumber);
        await Expect(message).Not.ToContainTextAsync("湘江中路");
        await Expect(message.Locator("a.button")).ToHaveTextAsync("去抢单");
        await app.Shot(p, "phone-inbox-pool-message.png");

        var english = await PhoneApp.English(p);
        Assert.True(english.Count == 0, "English on the Chinese phone:\n" + string.Join("\n", english));

        await message.ClickAsync();
        await Expect(message).Not.ToHaveClassAsync(Unopened());
        if (unread == 1) await Expect(p.Locator("#inboxBadge")).ToBeHiddenAsync();
        else await Expect(p.Locator("#inboxBadge")).ToHaveTextAsync((unread - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The read mark reached the server.
        await Until(async () => (await PoolNotice(id))!["readAt"] is not null, "the read mark did not reach the server");

        // The message's link opens the pool, where the order is offered.
        await message.Locator("a.button").ClickAsync();
        await Expect(p.Locator($"#pool-{id}")).ToContainTextAsync(code);
        await p.CloseAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Read_all_made_offline_reaches_the_server_when_the_network_returns_and_a_message_that_came_later_stays_unread()
    {
        var errors = new List<string>();
        await using var context = await app.Phone();
        var p = await PhoneApp.SignInOnPhone(context, "tech05", errors);
        foreach (var fault in new[] { "空调不制冷", "空调有异响" })
        {
            var order = (await app.RepairOrder(fault))["id"]!.GetValue<long>();
            await app.Send("dispatcher", HttpMethod.Post, $"/api/work-orders/{order}/release-to-pool");
            await Until(async () => (await PoolNotice(order)) is not null, "the pool notification was not delivered");
        }
        await p.ClickAsync("#tab-inbox");
        await Expect(p.Locator("#inbox .message.unread").First).ToBeVisibleAsync();
        Assert.True(await Unread("tech05") >= 2);

        // In a basement: 全部已读 on the phone at once, the badge gone, the server not told yet.
        await context.SetOfflineAsync(true);
        await Expect(p.Locator("#net")).ToHaveTextAsync("离线");
        await p.ClickAsync("#inboxReadAll");
        await Expect(p.Locator("#inbox .message.unread")).ToHaveCountAsync(0);
        await Expect(p.Locator("#inboxBadge")).ToBeHiddenAsync();
        await Expect(p.Locator("#inboxReadAll")).ToBeHiddenAsync();

        // Meanwhile another order enters the pool: the phone never saw it, so the mark made offline does not cover it.
        var later = (await app.RepairOrder("空调滴水"))["id"]!.GetValue<long>();
        await app.Send("dispatcher", HttpMethod.Post, $"/api/work-orders/{later}/release-to-pool");
        await Until(async () => (await PoolNotice(later)) is not null, "the pool notification was not delivered");

        await context.SetOfflineAsync(false);
        await Until(async () => await Unread("tech05") == 1, "the read-all did not reach the server, or covered the later message");
        Assert.Null((await PoolNotice(later))!["readAt"]);
        await Expect(p.Locator("#inboxBadge")).ToHaveTextAsync("1", new() { Timeout = 20_000 });
        var english = await PhoneApp.English(p);
        Assert.True(english.Count == 0, "English on the Chinese phone:\n" + string.Join("\n", english));
        await p.CloseAsync();
        Assert.Empty(errors);
    }

    [GeneratedRegex(@"\bunread\b")]
    private static partial Regex Unopened();
}
