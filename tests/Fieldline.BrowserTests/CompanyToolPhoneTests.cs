using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// TLS-07 and TLS-04 in Debian's chromium (issue 17): the supervisor issues a company tool on /people/tools, the technician
/// finds it under 我的工具 on the phone — beside a red 工具不全 from the last kit check — and reports it lost with what
/// happened; the policy's share of its value is charged, shown on the phone and on the supervisor's page.
/// </summary>
public sealed class CompanyToolPhoneTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);
    private const string Red = "rgb(192, 57, 43)";

    [Fact]
    public async Task The_supervisor_issues_a_tool_the_technician_reports_it_lost_on_the_phone_and_the_charge_shows_on_both()
    {
        // The tenant charges half of a lost tool's value (TLS-07 leaves the share to the company).
        await app.Send("manager", HttpMethod.Put, "/api/policy", new { basedOn = "generic", parameters = new { tools = new { lostToolCompensationPercent = 50 } } });
        var tech = await app.TechnicianId("tech03");
        var kitItem = (await app.Get("supervisor", "/api/tool-checks/round"))["people"]!.AsArray().Single(p => p!["technicianId"]!.GetValue<int>() == tech)!["kit"]![0]!;
        await app.Send("supervisor", HttpMethod.Post, "/api/tool-checks", new { technicianId = tech, missing = new[] { kitItem["code"]!.GetValue<string>() }, note = "月度抽查" });

        await using var office = await app.Desktop();
        var supervisor = await app.SignIn(office, "supervisor");
        var errors = new List<string>();
        supervisor.PageError += (_, e) => errors.Add(e);
        await supervisor.GotoAsync($"/people/tools?technicianId={tech}");
        await supervisor.FillAsync("#issue-tool input[name=item]", "钳形电流表");
        await supervisor.FillAsync("#issue-tool input[name=value]", "250.00");
        await supervisor.ClickAsync("#issue-tool button[type=submit]");
        var row = supervisor.Locator("#company-tool-list tr").Filter(new() { HasText = "钳形电流表" });
        await Expect(row).ToContainTextAsync("已配发");
        await row.ScrollIntoViewIfNeededAsync();
        await app.Shot(supervisor, "console-company-tool-issued.png");

        await using var phoneContext = await app.Phone();
        var phone = await phoneContext.NewPageAsync();
        phone.PageError += (_, e) => errors.Add(e);
        await phone.GotoAsync("/m");
        await phone.FillAsync("#username", "tech03");
        await phone.FillAsync("#password", PhoneApp.Password);
        await phone.ClickAsync("#login");
        // The home screen warns in red: the last kit check found a tool missing.
        var warning = phone.Locator("#toolsLink #kitWarning");
        await Expect(warning).ToHaveTextAsync("工具不全");
        await Expect(warning).ToHaveCSSAsync("background-color", Red); // retried: the home screen re-renders when the phone syncs
        await phone.ClickAsync("#toolsLink");
        var kit = phone.Locator("#myKit #kitState");
        await Expect(kit).ToHaveTextAsync("工具不全");
        await Expect(kit).ToHaveCSSAsync("background-color", Red);
        await Expect(phone.Locator("#kitMissing")).ToContainTextAsync(kitItem["name"]!.GetValue<string>());
        var tool = phone.Locator("#toolList li").Filter(new() { HasText = "钳形电流表" });
        await Expect(tool).ToContainTextAsync("已配发");
        await Expect(tool).ToContainTextAsync("¥250.00");
        await app.Shot(phone, "phone-my-tools.png");

        await tool.Locator("button[id^=lossOpen]").ClickAsync();
        await tool.Locator("select[id^=lossKind]").SelectOptionAsync("lost");
        await tool.Locator("textarea[id^=lossNote]").FillAsync("小区电梯里遗失,已找物业查监控");
        await app.Shot(phone, "phone-tool-report-lost.png");
        await tool.Locator("button[id^=lossSend]").ClickAsync();
        await Expect(phone.Locator(".toast", new() { HasText = "¥125.00" })).ToBeVisibleAsync(); // a live notice may toast beside it
        var lost = phone.Locator("#toolList li").Filter(new() { HasText = "钳形电流表" });
        await Expect(lost).ToContainTextAsync("丢失");
        await Expect(lost.Locator(".charge")).ToContainTextAsync("¥125.00");
        await Expect(lost.Locator("button[id^=lossOpen]")).ToHaveCountAsync(0);
        await app.Shot(phone, "phone-tool-lost.png");
        // Chinese only on the phone's screen.
        var text = await phone.Locator("#view").InnerTextAsync();
        Assert.DoesNotContain("tools", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("lost", text, StringComparison.OrdinalIgnoreCase);

        // The supervisor's page shows the loss and the charge; the pay ledger has the line.
        await supervisor.GotoAsync($"/people/tools?technicianId={tech}");
        var closed = supervisor.Locator("#company-tool-list tr").Filter(new() { HasText = "钳形电流表" });
        await Expect(closed).ToContainTextAsync("丢失");
        await Expect(closed).ToContainTextAsync("扣款 125.00 元");
        await closed.ScrollIntoViewIfNeededAsync();
        await app.Shot(supervisor, "console-company-tool-lost.png");
        var userId = (await app.Get("manager", "/api/technicians?pageSize=200"))["items"]!.AsArray().Single(t => t!["id"]!.GetValue<int>() == tech)!["userId"]!.GetValue<int>();
        var ledger = (await app.Get("manager", $"/api/pay-ledger?personUserId={userId}"))["items"]!.AsArray();
        Assert.Contains(ledger, l => l!["ruleId"]!.GetValue<string>().Contains("TLS-07", StringComparison.Ordinal) && l["amount"]!.GetValue<decimal>() == -125.00m);
        Assert.Empty(errors);
    }
}
