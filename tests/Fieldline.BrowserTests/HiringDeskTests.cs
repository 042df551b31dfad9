using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>The HR desk for hiring and leaving (/people/hiring, SC-35) in Debian's chromium: a checklist recorded item by item, a document uploaded.</summary>
public sealed class HiringDeskTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task The_supervisor_records_a_new_hires_test_and_id_copy_on_the_hiring_desk_and_cannot_set_them_active_before_the_rest()
    {
        var name = $"h{Guid.NewGuid():N}"[..12];
        var user = await app.Send("admin", HttpMethod.Post, "/api/users",
            new { username = name, displayName = "周新来", password = PhoneApp.Password, roles = new[] { "technician" }, branchId = 2 });
        var tech = (await app.Send("manager", HttpMethod.Post, "/api/technicians", new { userId = user["id"]!.GetValue<int>(), skills = new[] { "ac.install" } }))["id"]!.GetValue<int>();
        var errors = new List<string>();

        await using var desk = await app.Desktop();
        var page = await app.SignIn(desk, "supervisor");
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync("/people");
        await page.ClickAsync("#people-links a[href='/people/hiring']");
        await Expect(page.Locator($"#hire-{tech}")).ToContainTextAsync("入职办理中");
        await page.ClickAsync($"#hire-{tech} a");
        await Expect(page.Locator("#employment")).ToHaveTextAsync("入职办理中");
        await Expect(page.Locator("#activate")).ToBeDisabledAsync();

        await page.SelectOptionAsync("#hiring-item-code", "theoryTest");
        await page.ClickAsync("#hiring-item button[type=submit]");
        await Expect(page.Locator("#item-theoryTest .badge.ok")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#hiring-item-code", "idCardCopy");
        await page.SetInputFilesAsync("#hiring-item input[type=file]", new FilePayload { Name = "id.png", MimeType = "image/png", Buffer = TestImage.Png(320, 200) });
        await page.ClickAsync("#hiring-item button[type=submit]");
        await Expect(page.Locator("#item-idCardCopy .badge.ok")).ToBeVisibleAsync();
        await Expect(page.Locator("#item-idCardCopy a")).ToHaveTextAsync("文件");
        await Expect(page.Locator("#item-insurance .badge.bad")).ToBeVisibleAsync();
        await Expect(page.Locator("#activate")).ToBeDisabledAsync();
        await app.Shot(page, "console-hiring.png");
        Assert.Empty(errors);
    }
}
