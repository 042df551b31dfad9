using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// Leave end to end in Debian's chromium (issue 17): a technician asks for leave on the phone and sees it in 我的请假, the
/// supervisor approves it on /people, the technician files an extension from the phone (ATT-08), the board greys the person with the reason and the plan leaves them out.
/// </summary>
public sealed class LeaveJourneyTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task A_technician_asks_for_leave_on_the_phone_the_supervisor_approves_it_the_board_shows_it_and_the_plan_skips_the_person()
    {
        // The app's day (the sandbox clock: Tuesday 2026-12-01 in Changsha), not the phone's own calendar.
        const string day = "2026-12-01";
        var tech = await app.TechnicianId("tech03");
        var errors = new List<string>();

        await using var phone = await app.Phone();
        var p = await phone.NewPageAsync();
        p.PageError += (_, e) => errors.Add(e);
        p.Console += (_, m) => Console.WriteLine($"[browser {m.Type}] {m.Text}");
        await p.GotoAsync("/m");
        await p.FillAsync("#username", "tech03");
        await p.FillAsync("#password", PhoneApp.Password);
        await p.ClickAsync("#login");
        await p.WaitForSelectorAsync("#newOrders");
        await p.GotoAsync("/m/#/leave");
        await p.WaitForSelectorAsync("#leaveForm");
        await Expect(p.Locator("#leaveList")).ToContainTextAsync("暂无");
        await p.FillAsync("#leaveFrom", day);
        await p.FillAsync("#leaveTo", day);
        await p.FillAsync("#leaveReason", "孩子发烧，去医院");
        await p.ClickAsync("#leaveSubmit");
        // The defect of the earlier attempt: the list stayed empty after sending.
        var mine = p.Locator("#leaveList li[data-leave]");
        await Expect(mine).ToHaveCountAsync(1);
        await Expect(mine).ToContainTextAsync("待审批");
        await Expect(mine).ToContainTextAsync("孩子发烧");
        var leaveId = await mine.GetAttributeAsync("data-leave");
        await app.Shot(p, "phone-leave-requested.png");

        await using var desk = await app.Desktop();
        var s = await app.SignIn(desk, "supervisor");
        s.PageError += (_, e) => errors.Add(e);
        await s.GotoAsync("/people");
        await Expect(s.Locator($"#leave-waiting #leave-{leaveId}")).ToContainTextAsync("孩子发烧");
        await s.ClickAsync($"#approve-{leaveId}");
        await Expect(s.Locator($"#leave-approved #leave-{leaveId}")).ToBeVisibleAsync();
        await Expect(s.Locator($"#person-{tech}")).ToContainTextAsync("请假");
        await app.Shot(s, "console-people-leave-approved.png");

        // The phone shows the decision.
        await p.ReloadAsync();
        await Expect(p.Locator("#leaveList li[data-leave]")).ToContainTextAsync("已批准");

        // ATT-08: not back when the leave ends, the technician files an extension from it; the supervisor finds it waiting.
        await p.ClickAsync($"#extend-{leaveId} summary");
        await p.FillAsync($"#extendTo-{leaveId}", "2026-12-03");
        await p.ClickAsync($"#extendSubmit-{leaveId}");
        await Expect(p.Locator($"#extendErr-{leaveId}")).ToContainTextAsync("延期原因");
        await p.FillAsync($"#extendReason-{leaveId}", "孩子住院观察两天");
        await p.ClickAsync($"#extendSubmit-{leaveId}");
        await Expect(p.Locator("#leaveList li[data-leave]")).ToHaveCountAsync(2);
        await Expect(p.Locator("#leaveList")).ToContainTextAsync("(延期)");
        await Expect(p.Locator("[id^='extend-']")).ToHaveCountAsync(0); // extended once: no second form on the same leave
        await s.GotoAsync("/people");
        await Expect(s.Locator("#leave-waiting")).ToContainTextAsync("孩子住院观察两天");

        var d = await app.SignIn(desk, "dispatcher");
        d.PageError += (_, e) => errors.Add(e);
        await d.GotoAsync("/board");
        await Expect(d.Locator($"#tech-{tech}-reasons")).ToContainTextAsync("请假");
        await Expect(d.Locator($"#tech-{tech}")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\boff\b"));
        await app.Shot(d, "console-board-leave.png");
        await d.ClickAsync("#plan-day");
        await d.FillAsync("#date", day);
        await d.ClickAsync("#plan");
        await Expect(d.Locator($"#left-out-{tech}")).ToContainTextAsync("请假");
        Assert.Equal(0, await d.Locator($"#proposals input[name='accept'][value$=':{tech}']").CountAsync());
        await d.Locator("#left-out").ScrollIntoViewIfNeededAsync();
        await app.Shot(d, "console-plan-leave.png");
        Assert.Empty(errors);
    }
}
