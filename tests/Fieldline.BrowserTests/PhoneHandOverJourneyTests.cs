using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// An order leaving the technician from the phone, in Debian's chromium: 申请转单 asks the dispatcher to give it to a named
/// colleague (DSP-11) and the dispatcher is told and transfers it; 退回派工 hands a postponed installation back (DSP-15 /
/// CMP-07) and it waits in the dispatcher's queue. Both go through the outbox; the Chinese screens have no English.
/// </summary>
public sealed class PhoneHandOverJourneyTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    private static async Task Until(Func<Task<bool>> done, string failure)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), failure);
            await Task.Delay(300);
        }
    }

    private static async Task OpenOrder(IPage p, long id)
    {
        await p.ClickAsync($"[data-order='{id}']");
        await p.WaitForSelectorAsync("#code");
    }

    private static async Task NoEnglish(IPage p)
    {
        var english = await PhoneApp.English(p);
        Assert.True(english.Count == 0, "English on the Chinese phone:\n" + string.Join("\n", english));
    }

    private async Task<string> NameOf(string username) =>
        (await app.Get("manager", "/api/technicians?pageSize=200"))["items"]!.AsArray().Single(t => t!["username"]!.GetValue<string>() == username)!["name"]!.GetValue<string>();

    [Fact]
    public async Task A_technician_requests_a_transfer_with_a_reason_from_the_phone_and_the_dispatcher_is_told_and_transfers_it()
    {
        var (id, code) = await app.DispatchedOrder("tech03", "repair");
        var colleague = await app.TechnicianId("tech04");
        var colleagueName = await NameOf("tech04");
        var errors = new List<string>();
        await using var context = await app.Phone();
        var p = await PhoneApp.SignInOnPhone(context, "tech03", errors);
        await OpenOrder(p, id);

        // A repair is not handed back (it is rescheduled with the customer); a transfer may be asked for any order.
        await Expect(p.Locator("#giveBack")).ToHaveCountAsync(0);
        await p.Locator("#transfer summary").ClickAsync();
        await Expect(p.Locator("#transfer")).ToContainTextAsync("转单须经调度员同意");
        await Expect(p.Locator($"#transferTo option[value='{colleague}']")).ToHaveTextAsync(colleagueName);
        await Expect(p.Locator($"#transferTo option[value='{await app.TechnicianId("tech03")}']")).ToHaveCountAsync(0);
        // The reason is required: nothing is queued without it.
        await p.SelectOptionAsync("#transferTo", colleague.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await p.ClickAsync("#requestTransfer");
        await Expect(p.Locator(".toast.error")).ToContainTextAsync("转单原因");
        await Expect(p.Locator("#queue")).ToBeHiddenAsync();
        await NoEnglish(p);

        await p.FillAsync("#transferReason", "下午另有两台安装,赶不过去");
        var sent = PhoneApp.Answer(p, "transfer-request");
        await p.ClickAsync("#requestTransfer");
        await Expect(p.Locator("#transferAsked")).ToContainTextAsync($"已申请转单给 {colleagueName}");
        await sent;
        await Expect(p.Locator("#queue")).ToBeHiddenAsync(new() { Timeout = 20_000 });
        // Asking moves nothing: the order is still the technician's, in the same state.
        await Expect(p.Locator("#status")).ToHaveTextAsync("已派工");
        await NoEnglish(p);

        var order = await app.Get("dispatcher", $"/api/work-orders/{id}");
        Assert.Equal(await app.TechnicianId("tech03"), order["technicianId"]!.GetValue<int>());
        var asked = order["timeline"]!.AsArray().Last()!;
        Assert.Equal("transferRequested", asked["action"]!.GetValue<string>());
        Assert.Equal("tech03", asked["actor"]!.GetValue<string>());
        Assert.Equal(colleague, asked["data"]!["toTechnicianId"]!.GetValue<int>());
        Assert.Equal("下午另有两台安装,赶不过去", asked["data"]!["reason"]!.GetValue<string>());
        Assert.NotNull(asked["deviceAt"]);

        // The dispatcher is told (the console toasts transferRequested), with who asks for whom and why.
        JsonNode? notice = null;
        await Until(async () => (notice = (await app.Get("dispatcher", "/api/notifications?pageSize=50"))["items"]!.AsArray()
            .FirstOrDefault(n => n!["kind"]!.GetValue<string>() == "transferRequested" && n["workOrderId"]?.GetValue<long>() == id)) is not null,
            "the dispatcher was not told of the transfer request");
        Assert.Contains(code, notice!["title"]!.GetValue<string>());
        Assert.Contains(colleagueName, notice["body"]!.GetValue<string>());
        Assert.Contains("赶不过去", notice["body"]!.GetValue<string>());

        // The dispatcher may say no, with the reason: the phone shows it, the order stays, and the technician may ask again.
        await app.Send("dispatcher", HttpMethod.Post, $"/api/work-orders/{id}/transfer-request/decline", new { reason = "赵师傅下午也排满了" });
        await p.ReloadAsync();
        await Expect(p.Locator("#transferDeclined")).ToContainTextAsync("调度员未同意转单:赵师傅下午也排满了", new() { Timeout = 15_000 });
        await Expect(p.Locator("#transferAsked")).ToHaveCountAsync(0);
        await NoEnglish(p);
        await p.Locator("#transfer summary").ClickAsync();
        await p.SelectOptionAsync("#transferTo", colleague.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await p.FillAsync("#transferReason", "客户改约到明天,我明天请假");
        var sentAgain = PhoneApp.Answer(p, "transfer-request");
        await p.ClickAsync("#requestTransfer");
        await Expect(p.Locator("#transferAsked")).ToContainTextAsync($"已申请转单给 {colleagueName}");
        await sentAgain;
        await Expect(p.Locator("#queue")).ToBeHiddenAsync(new() { Timeout = 20_000 });

        // The dispatcher agrees: the transfer answers the request, and the order leaves the asking technician's phone.
        var moved = await app.Send("dispatcher", HttpMethod.Post, $"/api/work-orders/{id}/transfer", new { technicianId = colleague, reason = "同意转单" });
        Assert.Equal("tech03", moved["timeline"]!.AsArray().Last()!["data"]!["approvedRequestBy"]!.GetValue<string>());
        await p.ClickAsync("a.back");
        await p.ReloadAsync();
        await p.WaitForSelectorAsync("#newOrders");
        await Expect(p.Locator($"[data-order='{id}']")).ToHaveCountAsync(0);
        await p.CloseAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_technician_hands_a_postponed_installation_back_from_the_phone_and_it_is_back_in_the_dispatchers_queue()
    {
        var (id, code) = await app.DispatchedOrder("tech03");
        var errors = new List<string>();
        await using var context = await app.Phone();
        var p = await PhoneApp.SignInOnPhone(context, "tech03", errors);
        await OpenOrder(p, id);
        // The acceptance is held on the way until the form is open, so the redraw its answer causes comes after the
        // tap: a tap racing the redraw could land on whatever the redraw moved under the finger.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await p.RouteAsync($"**/api/work-orders/{id}/accept", async route => { await held.Task; await route.ContinueAsync(); });
        await p.ClickAsync("#accept");
        await Expect(p.Locator("#status")).ToHaveTextAsync("已接单");

        await p.Locator("#giveBack summary").ClickAsync();
        await Expect(p.Locator("#returnForm")).ToHaveAttributeAsync("open", "");
        // The acceptance reaching the server redraws the order: the opened form stays open.
        held.SetResult();
        await Expect(p.Locator("#queue")).ToBeHiddenAsync(new() { Timeout = 20_000 });
        await Expect(p.Locator("#returnForm")).ToHaveAttributeAsync("open", "");
        await p.Locator("#transfer summary").ClickAsync();
        await Expect(p.Locator("#giveBack")).ToContainTextAsync("客户推迟安装");
        await NoEnglish(p);
        await p.ClickAsync("#returnToDispatcher");
        await Expect(p.Locator(".toast.error")).ToContainTextAsync("客户的要求");
        await Expect(p.Locator("#code")).ToHaveTextAsync(code);

        await p.FillAsync("#returnReason", "客户 12-20 才入住,届时再装");
        await p.FillAsync("#resumeOn", "2026-12-20");
        var returned = PhoneApp.Answer(p, "return-to-dispatcher");
        await p.ClickAsync("#returnToDispatcher");
        // At once on the phone: back at the list, the order gone from it.
        await p.WaitForSelectorAsync("#newOrders");
        await Expect(p.Locator($"[data-order='{id}']")).ToHaveCountAsync(0);
        await returned;
        await Expect(p.Locator("#queue")).ToBeHiddenAsync(new() { Timeout = 20_000 });
        await NoEnglish(p);

        var order = await app.Get("dispatcher", $"/api/work-orders/{id}");
        Assert.Equal("returned", order["status"]!.GetValue<string>());
        Assert.Null(order["technicianId"]);
        var back = order["timeline"]!.AsArray().Last()!;
        Assert.Equal(("returnedToDispatcher", "tech03"), (back["action"]!.GetValue<string>(), back["actor"]!.GetValue<string>()));
        Assert.Equal("客户 12-20 才入住,届时再装", back["data"]!["reason"]!.GetValue<string>());
        Assert.Equal("2026-12-20", back["data"]!["resumeOn"]!.GetValue<string>());
        var board = await app.Get("dispatcher", "/api/dispatch/board");
        Assert.Contains(board["unassigned"]!.AsArray(), o => o!["id"]!.GetValue<long>() == id);

        // Reloaded, the phone asks the server again: the order stays off the technician's list.
        await p.ReloadAsync();
        await p.WaitForSelectorAsync("#newOrders");
        await Expect(p.Locator($"[data-order='{id}']")).ToHaveCountAsync(0);
        await p.CloseAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_return_made_offline_and_refused_because_the_dispatcher_cancelled_the_order_meanwhile_shows_the_order_again_with_the_reason_in_Chinese()
    {
        var (id, code) = await app.DispatchedOrder("tech03");
        var errors = new List<string>();
        await using var context = await app.Phone();
        var p = await PhoneApp.SignInOnPhone(context, "tech03", errors);
        await OpenOrder(p, id);
        await context.SetOfflineAsync(true);
        await Expect(p.Locator("#net")).ToHaveTextAsync("离线");
        await p.Locator("#giveBack summary").ClickAsync();
        await p.FillAsync("#returnReason", "客户下周才在家");
        await p.ClickAsync("#returnToDispatcher");
        await p.WaitForSelectorAsync("#newOrders");
        await Expect(p.Locator($"[data-order='{id}']")).ToHaveCountAsync(0);
        await Expect(p.Locator("#queue")).ToHaveTextAsync("待发送 1");

        // Meanwhile the office cancels the order: the phone's return, sent later, is refused and nothing is lost from view.
        await app.Send("dispatcher", HttpMethod.Post, $"/api/work-orders/{id}/cancel", new { reason = "客户取消安装" });
        await context.SetOfflineAsync(false);
        await Expect(p.Locator($"[data-order='{id}'] .conflict-badge")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await OpenOrder(p, id);
        await Expect(p.Locator("#conflict")).ToBeVisibleAsync();
        await Expect(p.Locator("#pending")).ToContainTextAsync("退回派工");
        await NoEnglish(p);
        Assert.Equal("cancelled", (await app.Get("dispatcher", $"/api/work-orders/{id}"))["status"]!.GetValue<string>());
        await p.CloseAsync();
        Assert.Empty(errors);
    }
}
