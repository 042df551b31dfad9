using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>The back-office console in Debian's chromium at 1366×768: the clerk's call, the live board, the order page, the policy.</summary>
public sealed class ConsoleTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task A_clerk_takes_a_call_for_an_existing_customer_by_phone_and_records_a_repair_order()
    {
        var (_, phone, serial) = await app.Customer("周女士");
        await using var context = await app.Desktop();
        var page = await app.SignIn(context, "clerk");
        await page.GotoAsync("/intake");

        // The number typed, keyboard only: the customer, the product and its warranty appear at once.
        await page.FocusAsync("#phone");
        await page.Keyboard.TypeAsync(phone);
        await Expect(page.Locator("#customer-name")).ToContainTextAsync("周女士");
        await Expect(page.Locator("#customer-found")).ToContainTextAsync("保内");
        await Expect(page.Locator("#customer-found")).ToContainTextAsync("不含：滤芯");
        // The caller's registered product is chosen already.
        await Expect(page.Locator($"input[name=ProductSerial][value='{serial}']")).ToBeCheckedAsync();

        // Saved without the fault the policy requires: the error is next to the field, in Chinese, and nothing typed is lost.
        await page.FillAsync("#productModel", "KFR-35GW");
        await page.ClickAsync("#save");
        await Expect(page.Locator("[data-for=faultDescription]")).ToContainTextAsync("故障描述");
        await Expect(page.Locator("#phone")).ToHaveValueAsync(phone);
        await Expect(page.Locator("#productModel")).ToHaveValueAsync("KFR-35GW");
        await Expect(page.Locator($"input[name=ProductSerial][value='{serial}']")).ToBeCheckedAsync();

        await page.FillAsync("#fault", "空调开机十分钟后自动停机,显示E1");
        await page.CheckAsync("#urgent");
        await app.Shot(page, "console-intake.png");
        await page.Locator("#fault").PressAsync("Control+Enter");
        await Expect(page.Locator(".flash.ok")).ToContainTextAsync("已创建工单 WO-");

        var orders = await app.Get("clerk", $"/api/work-orders?q={phone}");
        var order = orders["items"]!.AsArray().Single()!;
        Assert.Equal("repair", order["type"]!.GetValue<string>());
        Assert.Equal("urgent", order["priority"]!.GetValue<string>());
        Assert.True(order["inWarranty"]!.GetValue<bool>());
        var full = await app.Get("clerk", $"/api/work-orders/{order["id"]}");
        Assert.Equal("空调开机十分钟后自动停机,显示E1", full["faultDescription"]!.GetValue<string>());

        // The same customer calls again: the product is marked as having an open order, with a link to it.
        await page.GotoAsync("/intake");
        await page.FocusAsync("#phone");
        await page.Keyboard.TypeAsync(phone);
        var warning = page.Locator(".open-order");
        await Expect(warning).ToContainTextAsync("该产品已有未完结工单");
        await Expect(warning.Locator("a")).ToHaveAttributeAsync("href", $"/orders/{order["id"]}");
    }

    [Fact]
    public async Task A_dispatcher_assigns_from_the_board_and_sees_the_technicians_acceptance_live_within_two_seconds()
    {
        var order = await app.RepairOrder("挂机漏水,滴在沙发上", urgent: true);
        var id = order["id"]!.GetValue<long>();
        await using var office = await app.Desktop();
        var board = await app.SignIn(office, "dispatcher");
        await board.GotoAsync("/board");
        var row = board.Locator($"#order-{id}");
        await Expect(row.Locator(".countdown")).ToBeVisibleAsync();
        await Expect(row.Locator(".countdown .left")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+:\d\d$"));
        await Expect(row).ToContainTextAsync("紧急");
        await app.Shot(board, "console-board.png");

        var tech01 = await app.TechnicianId("tech01");
        await board.SelectOptionAsync($"#assign-{id}", tech01.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await row.Locator("button.primary[type=submit]").ClickAsync();
        var onTheirDay = board.Locator($"#tech-{tech01} #tech-order-{id} [data-status]");
        await Expect(onTheirDay).ToHaveAttributeAsync("data-status", "dispatched");
        await Expect(board.Locator($"#unaccepted-{id}")).ToBeVisibleAsync();

        // The technician, in a second browser context, accepts through the API; the board redraws itself.
        await using var phone = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl.ToString() });
        var accept = await phone.APIRequest.PostAsync($"/api/work-orders/{id}/accept", new()
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await app.Token("tech01")}" }, DataObject = new { },
        });
        Assert.Equal(200, accept.Status);
        var watch = Stopwatch.StartNew();
        await Expect(onTheirDay).ToHaveAttributeAsync("data-status", "accepted", new() { Timeout = 2_000 });
        Console.WriteLine($"board showed 'accepted' {watch.ElapsedMilliseconds} ms after the API answered");
        await Expect(board.Locator($"#unaccepted-{id}")).ToHaveCountAsync(0);
        Assert.Equal("/board", new Uri(board.Url).AbsolutePath); // no reload, no navigation
    }

    [Fact]
    public async Task Past_the_dispatch_deadline_the_order_turns_red_on_the_board_and_a_breach_notification_appears()
    {
        var order = await app.RepairOrder("热水器不打火");
        var id = order["id"]!.GetValue<long>();
        var code = order["code"]!.GetValue<string>();
        var due = order["clocks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "dispatch")!["dueAt"]!.GetValue<DateTimeOffset>();

        // The clerk who took the call is responsible for dispatching it in time; they watch the board.
        await using var office = await app.Desktop();
        var board = await app.SignIn(office, "clerk");
        await board.GotoAsync("/board");
        var row = board.Locator($"#order-{id}");
        await Expect(row.Locator(".countdown")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("red"));

        await app.Send("admin", HttpMethod.Post, "/api/sandbox/clock", new { now = due.AddMinutes(1) });
        await Expect(row.Locator(".countdown")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("red"));
        await Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-red"));
        await Expect(board.Locator(".toast.slaBreach").Filter(new() { HasText = code })).ToBeVisibleAsync();
        await Expect(board.Locator("#bell-count")).Not.ToBeEmptyAsync();
        await app.Shot(board, "console-board-breach.png");

        // The order page shows the clock breached and the breach record.
        await board.GotoAsync($"/orders/{id}");
        await Expect(board.Locator("#clocks tr[data-clock=dispatch] .badge")).ToHaveTextAsync("已超时");
        await Expect(board.Locator("#breaches")).ToContainTextAsync("INT-14");
    }

    [Fact]
    public async Task A_technician_cannot_open_another_branchs_order_and_typed_script_shows_as_text()
    {
        // An order of head office, which tech01 (Changsha) may not see.
        var hq = await app.Send("admin", HttpMethod.Post, "/api/work-orders", new
        {
            type = "repair", channel = "hotline", branchId = 1, productLine = "ac", productModel = "KFR-26GW", purchaseDate = "2025-05-01", faultDescription = "总部样机检测",
            customer = new { name = "总部客户", phone = $"137{Random.Shared.Next(10_000_000, 99_999_999)}", address = "北京市朝阳区" },
        });
        const string payload = "<script>alert(1)</script><img src=x onerror=alert(2)>";
        var xss = await app.RepairOrder(payload);
        await app.Send("dispatcher", HttpMethod.Post, $"/api/work-orders/{xss["id"]}/dispatch", new { technicianId = await app.TechnicianId("tech01") });

        await using var context = await app.Desktop();
        var dialogs = 0;
        var page = await app.SignIn(context, "tech01");
        page.Dialog += async (_, d) => { dialogs++; await d.DismissAsync(); };
        var denied = await page.GotoAsync($"/orders/{hq["id"]}");
        Assert.Equal(404, denied!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("未找到");

        var own = await page.GotoAsync($"/orders/{xss["id"]}");
        Assert.Equal(200, own!.Status);
        await Expect(page.Locator("#fault")).ToHaveTextAsync(payload);
        Assert.Equal(0, await page.Locator("#fault script, #fault img").CountAsync());

        // The office pages are closed to a technician; the board too.
        var boardAnswer = await page.GotoAsync("/board");
        Assert.Equal(403, boardAnswer!.Status);

        await using var office = await app.Desktop();
        var dispatcher = await app.SignIn(office, "dispatcher");
        dispatcher.Dialog += async (_, d) => { dialogs++; await d.DismissAsync(); };
        await dispatcher.GotoAsync("/orders");
        await dispatcher.GotoAsync($"/orders/{xss["id"]}");
        await Expect(dispatcher.Locator("#fault")).ToHaveTextAsync(payload);
        await app.Shot(dispatcher, "console-order.png");
        Assert.Equal(0, dialogs);

        // A form posted without its antiforgery token changes nothing.
        using var forged = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseUrl };
        var cookies = string.Join("; ", (await office.CookiesAsync()).Select(c => $"{c.Name}={c.Value}").Where(c => !c.StartsWith("fieldline.csrf", StringComparison.Ordinal)));
        using var post = new HttpRequestMessage(HttpMethod.Post, "/board?handler=Assign") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["orderId"] = "1", ["technicianId"] = "1" }) };
        post.Headers.Add("Cookie", cookies);
        Assert.Equal(HttpStatusCode.BadRequest, (await forged.SendAsync(post)).StatusCode);
    }

    [Fact]
    public async Task The_policy_page_publishes_a_new_version_and_the_next_new_order_uses_it()
    {
        await using var context = await app.Desktop();
        var page = await app.SignIn(context, "manager");
        await page.GotoAsync("/manage/policy");
        var before = int.Parse(await page.Locator("#version-in-force").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        var field = page.Locator("input[name='p:dispatch.repairContactTargetMinutes']");
        await Expect(field).ToHaveValueAsync("20");
        // Each number says what it enforces: the rule id and, in Chinese, the regulation's own words.
        var row = page.Locator("tr", new() { Has = field });
        await Expect(row.Locator(".rule-ids")).ToHaveTextAsync("DSP-03");
        await Expect(row).ToContainTextAsync("接到维修任务时应在20分钟内联系用户");
        await field.FillAsync("30");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await app.Shot(page, "console-policy.png");
        await page.ClickAsync("#publish");
        await Expect(page.Locator(".flash.ok")).ToContainTextAsync($"第 {before + 1} 版");
        await Expect(page.Locator("#version-in-force")).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("input[name='p:dispatch.repairContactTargetMinutes']")).ToHaveValueAsync("30");

        var order = await app.RepairOrder("新规范下的第一张工单");
        Assert.Equal(before + 1, order["policyVersion"]!.GetValue<int>());
        var policy = await app.Get("manager", "/api/policy");
        Assert.Equal(30, policy["parameters"]!["dispatch"]!["repairContactTargetMinutes"]!.GetValue<int>());

        // Fines: strike one and change the amount of another; the next version has exactly that and keeps the number.
        await page.ClickAsync("#fines > summary");
        await Expect(page.Locator("#fines")).ToContainTextAsync("PEN-42");
        await page.UncheckAsync("input[name='fine-keep:prankCalls']");
        await page.FillAsync("input[name='fine-amount:noiseOrSleeping']", "40");
        await page.Locator("input[name='fine-amount:noiseOrSleeping']").ScrollIntoViewIfNeededAsync();
        await app.Shot(page, "console-policy-fines.png");
        await page.ClickAsync("#publish");
        await Expect(page.Locator("#version-in-force")).ToHaveTextAsync((before + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var fined = await app.Get("manager", "/api/policy");
        var fines = fined["penalties"]!.AsArray();
        Assert.DoesNotContain(fines, f => f!["key"]!.GetValue<string>() == "prankCalls");
        Assert.Equal(40m, fines.Single(f => f!["key"]!.GetValue<string>() == "noiseOrSleeping")!["amountCNY"]!.GetValue<decimal>());
        Assert.Equal(30, fined["parameters"]!["dispatch"]!["repairContactTargetMinutes"]!.GetValue<int>());
        await page.ClickAsync("#fines > summary");
        await Expect(page.Locator("input[name='fine-keep:prankCalls']")).ToHaveCountAsync(0);

        // The dashboard and the penalty cases page render for the manager, in English on request.
        await page.GotoAsync("/");
        await Expect(page.Locator("#stat-received")).ToBeVisibleAsync();
        await app.Shot(page, "console-today.png");
        await page.ClickAsync("#lang-switch");
        await Expect(page.Locator("h1").First).ToContainTextAsync("Today");
        await page.GotoAsync("/manage/penalties");
        await Expect(page.Locator("h1").First).ToContainTextAsync("Penalty cases");
        await app.Shot(page, "console-penalties.png");
    }

    [Fact]
    public async Task The_order_search_filters_and_exports_the_same_list_to_Excel_with_Chinese_headers()
    {
        var order = await app.RepairOrder("导出测试");
        var code = order["code"]!.GetValue<string>();
        await using var context = await app.Desktop();
        var page = await app.SignIn(context, "dispatcher");
        await page.GotoAsync("/orders");
        await page.FillAsync("#q", code);
        await page.SelectOptionAsync("#status", "new");
        await page.ClickAsync("#filters button[type=submit]");
        await Expect(page.Locator("#orders tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#orders")).ToContainTextAsync(code);
        await app.Shot(page, "console-orders.png");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export"));
        var path = await download.PathAsync();
        using var zip = System.IO.Compression.ZipFile.OpenRead(path!);
        var xml = string.Concat(zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal))
            .Select(e => new StreamReader(e.Open()).ReadToEnd()));
        Assert.Contains("工单号", xml);
        Assert.Contains(code, xml);
        Assert.Contains("<col ", xml); // explicit column widths
    }
}
