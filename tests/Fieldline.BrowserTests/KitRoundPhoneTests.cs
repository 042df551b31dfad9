using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// The monthly kit spot check on the phone (TLS-04, issue 17): the supervisor opens 工具抽查, picks a person, unticks the
/// missing tool and records it; the round shows the person checked with tools missing, and a technician has no round.
/// </summary>
public sealed class KitRoundPhoneTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task The_supervisor_records_a_kit_check_on_the_phone_with_one_tool_missing_and_the_round_shows_it()
    {
        var tech = await app.TechnicianId("tech02");
        var errors = new List<string>();
        await using var phone = await app.Phone();
        var p = await phone.NewPageAsync();
        p.PageError += (_, e) => errors.Add(e);
        await p.GotoAsync("/m");
        await p.FillAsync("#username", "supervisor");
        await p.FillAsync("#password", PhoneApp.Password);
        await p.ClickAsync("#login");
        await p.WaitForSelectorAsync("#kitLink");
        await p.ClickAsync("#kitLink");
        await p.WaitForSelectorAsync("#kitPeople");
        await Expect(p.Locator("#view h2")).ToContainTextAsync("工具抽查");
        var card = p.Locator($"#kitPeople [data-technician=\"{tech}\"]");
        await Expect(card).ToContainTextAsync("未抽查");
        await card.ClickAsync();
        await p.WaitForSelectorAsync("#kitForm");
        var boxes = p.Locator("#kitForm input[type=checkbox]");
        Assert.True(await boxes.CountAsync() >= 5);
        await boxes.First.UncheckAsync();
        await p.FillAsync("#kitNote", "月度抽查");
        await app.Shot(p, "phone-kit-check.png");
        await p.ClickAsync("#kitSubmit");
        await p.WaitForSelectorAsync("#kitPeople");
        await Expect(p.Locator($"#kitPeople [data-technician=\"{tech}\"]")).ToContainTextAsync("工具不全");
        await app.Shot(p, "phone-kit-round.png");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task A_technicians_home_screen_offers_no_kit_round_which_only_supervisors_and_managers_may_walk()
    {
        // h4 F2: every technician saw 工具抽查, which then said only supervisors and managers may record one (a 403 behind it).
        var errors = new List<string>();
        await using var phone = await app.Phone();
        var p = await PhoneApp.SignInOnPhone(phone, "tech01", errors);
        await Expect(p.Locator("#toolsLink")).ToBeVisibleAsync(); // 我的工具: the technician's own kit and tools
        await Expect(p.Locator("#kitLink")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }
}
