using System.Diagnostics;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>
/// The month close end to end in Debian's chromium (issue 15): the supervisor records a violation with a photo on the
/// console, the technician sees the fine on the phone's 我的本月 and appeals, the manager reduces it, finance closes the
/// month on the month-close page (the statement shows the assessment and why eligibility was revoked) and downloads the
/// person's PDF pay statement, which is rendered to a PNG beside the screenshots.
/// </summary>
public sealed class MonthCloseJourneyTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task A_violation_is_recorded_appealed_on_the_phone_reduced_by_the_manager_and_the_closed_months_PDF_statement_says_so_in_Chinese()
    {
        const string tech = "tech06";
        var userId = (await app.Get("manager", "/api/technicians?pageSize=50"))["items"]!.AsArray()
            .Single(t => t!["username"]!.GetValue<string>() == tech)!["userId"]!.GetValue<int>();
        var month = (await app.Get("admin", "/api/sandbox/clock"))["now"]!.GetValue<DateTimeOffset>().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var errors = new List<string>();

        // 1. The supervisor records PEN-74 (reputation damage at the customer's home) with a photo.
        await using var desk = await app.Desktop();
        var s = await app.SignIn(desk, "supervisor");
        s.PageError += (_, e) => errors.Add(e);
        await s.GotoAsync("/manage/violations");
        await s.SelectOptionAsync("#rule", "reputationDamageAtCustomerHomeInstaller");
        await s.SelectOptionAsync("#person", userId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await s.FillAsync("#note", "在客户家中抱怨公司,客户录音为证");
        await s.SetInputFilesAsync("#photo", new FilePayload { Name = "evidence.png", MimeType = "image/png", Buffer = TestImage.Png(320, 200) });
        await s.ClickAsync("#record");
        var row = s.Locator("#recent tbody tr").Filter(new() { HasText = "PEN-74" }).First;
        await Expect(row).ToContainTextAsync("100");
        var caseId = (await row.GetAttributeAsync("id"))!["case-".Length..];
        await app.Shot(s, "console-violation-recorded.png");

        // 2. The technician sees it in 我的本月 and appeals.
        await using var phone = await app.Phone();
        var p = await phone.NewPageAsync();
        p.PageError += (_, e) => errors.Add(e);
        await p.GotoAsync("/m");
        await p.FillAsync("#username", tech);
        await p.FillAsync("#password", PhoneApp.Password);
        await p.ClickAsync("#login");
        await p.WaitForSelectorAsync("#newOrders");
        await p.GotoAsync("/m/#/month");
        await Expect(p.Locator("#fines")).ToContainTextAsync("PEN-74");
        await Expect(p.Locator("#eligibilityRevoked")).ToContainTextAsync("PEN-74");
        await Expect(p.Locator("#assessment")).ToContainTextAsync("考核");
        await p.ClickAsync($"#appealOpen-{caseId}");
        await p.FillAsync($"#appealReason-{caseId}", "只是和客户聊天,没有损害公司声誉");
        await p.ClickAsync($"#appealSend-{caseId}");
        await Expect(p.Locator($"#appealState-{caseId}")).ToBeVisibleAsync();
        await app.Shot(p, "phone-month-appealed.png");

        // 3. The manager reduces the fine to 50 with a reason.
        var m = await app.SignIn(desk, "manager");
        m.PageError += (_, e) => errors.Add(e);
        await m.GotoAsync("/manage/penalties");
        var appeal = m.Locator($"#appeal-{caseId}");
        await Expect(appeal).ToContainTextAsync("没有损害公司声誉");
        await appeal.Locator("select[name=outcome]").SelectOptionAsync("reduced");
        await appeal.Locator("input[name=amount]").FillAsync("50");
        await appeal.Locator("input[name=reason]").FillAsync("情节较轻,减半处罚");
        await app.Shot(m, "console-appeal-to-decide.png");
        await appeal.Locator("button[type=submit]").ClickAsync();
        await Expect(m.Locator($"#appeal-{caseId}")).ToHaveCountAsync(0);

        // 4. The month ends; finance previews and closes it, then downloads the PDF statement.
        var next = DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddMonths(1);
        await app.Send("admin", HttpMethod.Post, "/api/sandbox/clock", new { now = new DateTimeOffset(next.Year, next.Month, 3, 1, 0, 0, TimeSpan.Zero) });
        var f = await app.SignIn(desk, "finance");
        f.PageError += (_, e) => errors.Add(e);
        f.Dialog += async (_, d) => await d.AcceptAsync();
        await f.GotoAsync($"/manage/pay-ledger?month={month}");
        var statement = f.Locator($"#statement-{userId}");
        await Expect(statement).ToContainTextAsync("PEN-74");
        await Expect(statement).ToContainTextAsync("考核");
        await Expect(statement).ToContainTextAsync("¥-100.00"); // the fine, and the reduction given back as a reversal
        await Expect(statement).ToContainTextAsync("¥50.00");
        await f.Locator("#statements").ScrollIntoViewIfNeededAsync();
        await app.Shot(f, "console-month-close-preview.png");
        await f.CheckAsync("#close-confirm");
        await f.ClickAsync("#close-month");
        await Expect(f.Locator("#month-state")).ToContainTextAsync("已结账");
        await app.Shot(f, "console-month-closed.png");
        var download = await f.RunAndWaitForDownloadAsync(() => f.ClickAsync($"#pdf-{userId}"));
        var pdf = Path.Combine(ConsoleApp.Shots, "pay-statement.pdf");
        await download.SaveAsAsync(pdf);
        var text = await Run("pdftotext", "-enc", "UTF-8", pdf, "-");
        Assert.Contains("工资条", text);
        Assert.Contains("考核", text);
        Assert.Contains("PEN-74", text);
        Assert.Contains("已结账", text);
        await Run("pdftoppm", "-png", "-r", "80", "-singlefile", pdf, Path.Combine(ConsoleApp.Shots, "pay-statement-pdf"));
        File.Delete(pdf);
        Assert.Empty(errors);
    }

    private static async Task<string> Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
