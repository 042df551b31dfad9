using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// RPT-02 / RPT-09 in Debian's chromium: the technician sends a product problem found on one of their orders to the
/// technical department from the phone (技术问题: the order, the model, what was found, a photo); the manager records the
/// department's answer on /reports/problems (the page says the department has no account of its own); the technician
/// reads the answer on the phone.
/// </summary>
public sealed class TechnicalProblemPhoneTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task A_technician_sends_a_problem_with_a_photo_from_the_phone_and_reads_the_answer_the_manager_recorded()
    {
        var (orderId, code) = await app.DispatchedOrder("tech02", "repair");
        var errors = new List<string>();
        await using var phoneContext = await app.Phone();
        var phone = await phoneContext.NewPageAsync();
        phone.PageError += (_, e) => errors.Add(e);
        await phone.GotoAsync("/m");
        await phone.FillAsync("#username", "tech02");
        await phone.FillAsync("#password", PhoneApp.Password);
        await phone.ClickAsync("#login");
        await phone.WaitForSelectorAsync($"[data-order='{orderId}']");

        // From the order: 向技术部反映产品问题 opens the screen with the order chosen and its model filled in.
        await phone.ClickAsync($"[data-order='{orderId}']");
        await phone.ClickAsync("#problemLink");
        await Expect(phone.Locator("#problemOrder")).ToHaveValueAsync(orderId.ToString());
        await Expect(phone.Locator("#problemModel")).ToHaveValueAsync("KFR-35GW/NhGc1B");
        // Sent without a description: the server names the field, in Chinese.
        await phone.ClickAsync("#problemSend");
        await Expect(phone.Locator("#err-description")).Not.ToBeEmptyAsync();
        await phone.FillAsync("#problemDescription", "外机运行时有金属摩擦声，同型号本月第三台，疑似风扇电机轴承批次问题");
        await phone.SetInputFilesAsync("#problemPhoto", new FilePayload { Name = "fan.png", MimeType = "image/png", Buffer = TestImage.Png(640, 480) });
        await app.Shot(phone, "phone-technical-problem-form.png");
        await phone.ClickAsync("#problemSend");
        await Expect(phone.Locator(".toast", new() { HasText = "已发送给技术部" })).ToBeVisibleAsync(); // a live notice may toast beside it
        var mine = phone.Locator("#problemList li").Filter(new() { HasText = "金属摩擦声" });
        await Expect(mine).ToContainTextAsync("待答复");
        await Expect(mine).ToContainTextAsync(code);

        // The manager records the technical department's answer on the console.
        await using var office = await app.Desktop();
        var manager = await app.SignIn(office, "manager");
        manager.PageError += (_, e) => errors.Add(e);
        await manager.GotoAsync("/reports/problems?open=true");
        await Expect(manager.Locator("#who-answers")).ToContainTextAsync("技术部在系统中没有账号");
        var row = manager.Locator("#problems tr").Filter(new() { HasText = "金属摩擦声" });
        await Expect(row.Locator("a.problem-photo")).ToHaveCountAsync(1);
        await row.Locator("textarea[name=Answer]").FillAsync("已确认为风扇电机轴承批次不良，请按批次更换电机，旧件寄回技术部");
        await row.ScrollIntoViewIfNeededAsync();
        await app.Shot(manager, "console-technical-problem-answer.png");
        await row.Locator("form.answer-form button[type=submit]").ClickAsync();
        await Expect(manager.Locator("#problems")).ToContainTextAsync("请按批次更换电机");

        // The technician sees the answer on the phone.
        await phone.GotoAsync("/m#/problems");
        var answered = phone.Locator("#problemList li").Filter(new() { HasText = "金属摩擦声" });
        await Expect(answered).ToContainTextAsync("已答复");
        await Expect(answered.Locator("[id^=answer-]")).ToContainTextAsync("请按批次更换电机");
        await app.Shot(phone, "phone-technical-problem-answered.png");
        var text = await phone.Locator("#view").InnerTextAsync();
        Assert.DoesNotContain("problem", text, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(errors);
    }
}
