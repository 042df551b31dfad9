using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>The report archive (issue 19) in Debian's chromium: the cadence reports listed in Chinese, one downloaded as Excel.</summary>
public sealed class ReportArchiveTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Fact]
    public async Task A_manager_opens_the_archive_in_Chinese_sees_the_required_reports_and_downloads_a_document()
    {
        // The scheduler's tick, as the sandbox clock runs it: yesterday's daily reports, last week's, last month's, last quarter's.
        await app.Factory.Services.GetRequiredService<Fieldline.Web.Features.Reports.Archive.BuildDueReports>().Run(null, default);
        await using var context = await app.Desktop();
        var page = await app.SignIn(context, "manager");
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync("/reports/archive");
        await Expect(page.Locator("h1")).ToContainTextAsync("报表归档");
        await Expect(page.Locator("#required")).ToContainTextAsync("日报表");
        await Expect(page.Locator("#documents tbody tr").First).ToBeVisibleAsync();
        await Expect(page.Locator("#documents")).ToContainTextAsync("月度报告");
        await Expect(page.Locator("#plans")).ToContainTextAsync("周工作计划");
        await app.Shot(page, "console-report-archive.png");

        var row = page.Locator("#documents tbody tr").Filter(new() { HasText = "月度报告" }).First;
        var href = await row.Locator("a.xlsx").GetAttributeAsync("href");
        var response = await page.APIRequest.GetAsync(href!);
        Assert.True(response.Ok, $"{href}: {response.Status} {await response.TextAsync()}");
        Assert.Contains("attachment", response.Headers["content-disposition"], StringComparison.Ordinal);
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await response.BodyAsync())))
        {
            var xml = string.Concat(zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal))
                .Select(e => new StreamReader(e.Open()).ReadToEnd()));
            Assert.Contains("受理工单", xml);
            Assert.Contains("KPI-02", xml);
        }

        await page.GotoAsync("/reports/faults?from=2026-09-01&to=2026-11-30");
        await Expect(page.Locator("h1")).ToContainTextAsync("故障统计");
        await app.Shot(page, "console-report-faults.png");
        Assert.Empty(errors);
    }
}

/// <summary>RPT-02/09 on its console page: a problem sent to the technical department, then its answer recorded.</summary>
public sealed class TechnicalProblemPageTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    [Fact]
    public async Task A_manager_sends_a_problem_to_the_technical_department_and_records_its_answer_on_the_technical_problems_page()
    {
        await using var context = await app.Desktop();
        var page = await app.SignIn(context, "manager");
        await page.GotoAsync("/reports/problems");
        var model = $"KFR-{Guid.NewGuid():N}"[..12];
        await page.Locator("#raise-form input[name=ProductModel]").FillAsync(model);
        await page.Locator("#raise-form input[name=FaultCategory]").FillAsync("不制冷");
        await page.Locator("#raise-form textarea[name=Description]").FillAsync("同批次压缩机启动电容容易击穿");
        await page.Locator("#raise-form button[type=submit]").ClickAsync();
        var row = page.Locator("#problems tbody tr", new() { HasText = model });
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator(".badge")).ToHaveTextAsync("待答复");
        await row.Locator("textarea[name=Answer]").FillAsync("改用加强型启动电容，下批次整改");
        await row.Locator("form.answer-form button").ClickAsync();
        await Assertions.Expect(page.Locator("#problems tbody tr", new() { HasText = model })).ToContainTextAsync("改用加强型启动电容");
        await app.Shot(page, "console-technical-problems.png");
    }
}
