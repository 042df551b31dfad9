using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Fieldline.Bench.Scale;

/// <summary>
/// Issue 19's reads as a manager and head office see them, against a running Fieldline grown to N orders over two years:
/// the dashboard page for one branch and one month (the branch manager) and for the company over a year (head office),
/// <c>GET /api/reports/kpis</c> for the same two periods, and the monthly report to the GM office (RPT-03) built through
/// <c>POST /api/reports/archive</c> — a different past month each run, so each is really built — with its PDF and workbook.
/// Prints each read's median and the bytes of its answer.
/// </summary>
internal static class ReportReads
{
    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task<int> Time(string url, int runs)
    {
        using var manager = await Api.SignIn(url, "manager");
        using var admin = await Api.SignIn(url, "admin");
        using var managerPages = await Reads.Console(url, "manager");
        using var adminPages = await Reads.Console(url, "admin");
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, shanghai).DateTime);
        var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var yearFrom = today.AddDays(-365);
        var reads = new (string Name, HttpClient Client, string Path)[]
        {
            ("dashboard branch month", managerPages, $"/reports?from={Iso(month)}&to={Iso(month.AddMonths(1).AddDays(-1))}"),
            ("dashboard company year", adminPages, $"/reports?from={Iso(yearFrom)}&to={Iso(today.AddDays(-1))}"),
            ("kpis branch month", manager, $"/api/reports/kpis?from={Iso(month)}&to={Iso(month.AddMonths(1))}"),
            ("kpis company year", admin, $"/api/reports/kpis?from={Iso(yearFrom)}&to={Iso(today)}"),
            ("kpis branch month by technician", manager, $"/api/reports/kpis?from={Iso(month)}&to={Iso(month.AddMonths(1))}&groupBy=technician"),
        };
        await Reads.Print(reads, runs);

        // RPT-03 built: months before last month (last month's the scheduler built at start-up), one build each.
        var builds = new List<double>();
        JsonObject? last = null;
        for (var i = 0; i < Math.Min(runs, 12); i++)
        {
            var from = month.AddMonths(-1 - i);
            var t = Stopwatch.GetTimestamp();
            using var response = await manager.PostAsJsonAsync("/api/reports/archive", new { kind = "monthly", from = Iso(from) });
            var text = await response.Content.ReadAsStringAsync();
            builds.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"monthly report {Iso(from)}: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
            last = JsonNode.Parse(text)!.AsObject();
        }
        Console.WriteLine($"monthly GM report built ({builds.Count} months)\t{Reads.Median(builds):0.0}\t-");
        foreach (var (name, key) in new[] { ("monthly GM report PDF", "pdf"), ("monthly GM report xlsx", "xlsx") })
        {
            var times = new List<double>();
            long bytes = 0;
            for (var i = 0; i < runs; i++)
            {
                var t = Stopwatch.GetTimestamp();
                var body = await manager.GetByteArrayAsync(last![key]!.GetValue<string>());
                times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                bytes = body.Length;
            }
            Console.WriteLine($"{name}\t{Reads.Median(times):0.0}\t{bytes}");
        }
        return 0;
    }
}
