using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>The users page at an office screen's 1366 px, in Chinese: each row's e-mail field keeps its label on one line.</summary>
public sealed class UsersPageLayoutTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    [Fact]
    public async Task At_1366_pixels_the_email_label_of_every_user_row_stays_on_one_line_beside_its_field()
    {
        await using var context = await app.Desktop();
        var page = await app.SignIn(context, "manager");
        await page.GotoAsync("/manage/users");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var labels = page.Locator("#users label.with-input");
        Assert.True(await labels.CountAsync() > 0, "no user row has an e-mail field");
        await Assertions.Expect(labels.First.Locator("span")).ToHaveTextAsync("电子邮件");
        // One line: the label's text is no taller than one line of the role checkboxes' text beside it, and the field
        // sits on the same line as its label (not pushed under it).
        var lines = await page.EvaluateAsync<double[]>("""
            () => [...document.querySelectorAll('#users label.with-input')].map(l => {
              const span = l.querySelector('span'), input = l.querySelector('input');
              const h = span.getBoundingClientRect().height, lh = parseFloat(getComputedStyle(span).lineHeight) || parseFloat(getComputedStyle(span).fontSize) * 1.5;
              const sameLine = Math.abs((input.getBoundingClientRect().top + input.getBoundingClientRect().bottom) / 2 - (span.getBoundingClientRect().top + span.getBoundingClientRect().bottom) / 2) < 6;
              return (h <= lh * 1.2 && sameLine && input.getBoundingClientRect().width >= 120) ? 1 : 0;
            })
            """);
        Assert.All(lines, ok => Assert.Equal(1, ok));
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0, "the users page is wider than the screen");
        await app.Shot(page, "users-email-1366.png");
    }
}
