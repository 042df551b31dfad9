using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Fieldline.BrowserTests;

/// <summary>The manager's dashboard (issue 19) in Debian's chromium: figures, the ECharts charts, and a figure down to its orders.</summary>
public sealed partial class ReportsTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [GeneratedRegex(@"\d+")]
    private static partial Regex Number();

    [Fact]
    public async Task A_manager_sees_the_periods_figures_and_charts_and_a_figure_opens_the_orders_it_counts()
    {
        await using var context = await app.Desktop();
        var page = await app.SignIn(context, "manager");
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        // The demo company's orders lie in the days before the app's clock (1 December 2026).
        await page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.Reduce }); // charts drawn whole, not mid-animation
        await page.GotoAsync("/reports?from=2026-11-01&to=2026-12-01");
        await Expect(page.Locator("#chart-trend canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("#chart-lines canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("#chart-sla canvas")).ToHaveCountAsync(1);
        await Expect(page.Locator("#technician-ranking tbody tr").First).ToBeVisibleAsync();
        var figure = page.Locator("#kpi-received b a");
        var received = int.Parse(await figure.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(received > 0, "the demo company received orders in November");
        await app.Shot(page, "console-reports.png");

        await figure.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/orders?", StringComparison.Ordinal));
        var total = int.Parse(Number().Match(await page.Locator("#total").InnerTextAsync()).Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(received, total);
        await app.Shot(page, "console-reports-drilldown.png");
        Assert.Empty(errors);
    }
}

/// <summary>Issue 19's "per-technician table with sparklines": each technician's orders received and completed per day, each day down to its orders.</summary>
public sealed class TechnicianSparklineTests(ConsoleApp app) : IClassFixture<ConsoleApp>
{
    [Fact]
    public async Task Each_technician_has_a_sparkline_of_orders_completed_per_day_and_a_day_opens_that_technicians_orders_of_that_day()
    {
        await using var context = await app.Desktop();
        var page = await app.SignIn(context, "manager");
        await page.GotoAsync("/reports?from=2026-11-01&to=2026-11-30");
        var first = page.Locator("#technician-ranking tbody tr").First;
        await Assertions.Expect(first.Locator("svg.sparkline")).ToBeVisibleAsync();
        // 30 days, one link each; the busiest technician (ranked first) completed some.
        Assert.Equal(30, await first.Locator("svg.sparkline a.spark-point").CountAsync());
        // Beside the completed line, the orders received and assigned to the technician (dashed, on the same scale).
        Assert.Equal(1, await first.Locator("svg.sparkline polyline.spark-received").CountAsync());
        Assert.Contains("受理", await first.Locator("svg.sparkline a.spark-point title").First.TextContentAsync());
        var dot = first.Locator("svg.sparkline a.spark-point:has(circle)").First;
        Assert.True(await dot.CountAsync() > 0, "the first technician completed orders in November");
        var completed = int.Parse((await dot.Locator("title").TextContentAsync())!.Split(' ').Last(), System.Globalization.CultureInfo.InvariantCulture);
        await page.Locator("#technician-ranking").ScrollIntoViewIfNeededAsync();
        await app.Shot(page, "console-reports-sparklines.png");

        await dot.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/orders?", StringComparison.Ordinal) && url.Contains("technicianId=", StringComparison.Ordinal));
        var total = int.Parse(System.Text.RegularExpressions.Regex.Match(await page.Locator("#total").InnerTextAsync(), @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(completed, total);
    }
}
