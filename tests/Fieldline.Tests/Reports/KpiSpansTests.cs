using Fieldline.Web.Features.Reports.Kpis;

namespace Fieldline.Tests.Reports;

/// <summary>
/// The reports count by the branch's local day in SQL, as <c>(ms since 1970 + offset) / day</c>: a period is read in spans of
/// one UTC offset, so the arithmetic gives the branch's calendar day for every time in it.
/// </summary>
public class KpiSpansTests
{
    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static DateOnly DayOf(IReadOnlyList<KpiSql.Span> spans, DateTimeOffset at)
    {
        var span = spans.Single(s => s.Start <= at && at < s.End);
        return KpiSql.Day((Ms(at) + span.OffsetMs) / KpiSql.DayMs);
    }

    [Fact]
    public void A_Changsha_year_is_one_span_of_UTC_plus_8_from_local_midnight_to_local_midnight()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var spans = KpiSql.Spans(zone, new DateOnly(2025, 1, 1), new DateOnly(2026, 1, 1));
        var span = Assert.Single(spans);
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 16, 0, 0, TimeSpan.Zero), span.Start);
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero), span.End);
        Assert.Equal(8 * 3_600_000L, span.OffsetMs);
        Assert.Equal(new DateOnly(2025, 4, 30), DayOf(spans, new DateTimeOffset(2025, 4, 30, 23, 59, 59, TimeSpan.FromHours(8))));
        Assert.Equal(new DateOnly(2025, 5, 1), DayOf(spans, new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.FromHours(8))));
        Assert.Equal(new DateOnly(2025, 5, 1), DayOf(spans, new DateTimeOffset(2025, 5, 1, 0, 1, 0, TimeSpan.FromHours(8))));
    }

    [Fact]
    public void A_Berlin_year_is_split_where_summer_time_starts_and_ends_and_every_minute_falls_on_its_local_day()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var spans = KpiSql.Spans(zone, new DateOnly(2025, 1, 1), new DateOnly(2026, 1, 1));
        Assert.Equal(3, spans.Count);
        Assert.Equal(new DateTimeOffset(2025, 3, 30, 1, 0, 0, TimeSpan.Zero), spans[1].Start);
        Assert.Equal(new DateTimeOffset(2025, 10, 26, 1, 0, 0, TimeSpan.Zero), spans[2].Start);
        Assert.Equal([3_600_000L, 7_200_000L, 3_600_000L], spans.Select(s => s.OffsetMs).ToArray());
        for (var at = new DateTimeOffset(2025, 3, 29, 20, 0, 0, TimeSpan.Zero); at < new DateTimeOffset(2025, 3, 31, 4, 0, 0, TimeSpan.Zero); at = at.AddMinutes(1))
            Assert.Equal(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime), DayOf(spans, at));
        for (var at = new DateTimeOffset(2025, 10, 25, 20, 0, 0, TimeSpan.Zero); at < new DateTimeOffset(2025, 10, 27, 4, 0, 0, TimeSpan.Zero); at = at.AddMinutes(1))
            Assert.Equal(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime), DayOf(spans, at));
    }

    [Fact]
    public void A_period_of_local_days_starts_and_ends_at_local_midnight_in_the_offset_of_each_end()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var spans = KpiSql.Spans(zone, new DateOnly(2025, 3, 30), new DateOnly(2025, 3, 31));
        Assert.Equal(new DateTimeOffset(2025, 3, 29, 23, 0, 0, TimeSpan.Zero), spans[0].Start);
        Assert.Equal(new DateTimeOffset(2025, 3, 30, 22, 0, 0, TimeSpan.Zero), spans[^1].End);
        Assert.Equal(2, spans.Count);
    }
}
