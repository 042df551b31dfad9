using System.Globalization;

namespace Fieldline.Web.Infrastructure.Localization;

/// <summary>
/// Values as a person reads them, the same in both languages: money ¥1,234.00, times in the branch's zone (callers
/// convert first) without the year inside the current year. Durations are words of the language, so they are Msgs.
/// </summary>
public static class Format
{
    public static string Money(decimal amount) => "¥" + amount.ToString("#,##0.00", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "";

    /// <summary>12-02 08:34 within <paramref name="now"/>'s year, 2025-12-02 08:34 otherwise.</summary>
    public static string DayTime(DateTimeOffset t, DateTimeOffset now) =>
        t.ToString(t.Year == now.Year ? "MM-dd HH:mm" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>38 分钟 / 38 min; 2 小时 5 分钟 / 2 h 5 min; 3 天 2 小时 / 3 d 2 h.</summary>
    public static Msg Duration(double minutes)
    {
        var m = (long)Math.Round(Math.Abs(minutes));
        return m < 60 ? Msg.Of("{0} min", m)
            : m < 1440 ? (m % 60 == 0 ? Msg.Of("{0} h", m / 60) : Msg.Of("{0} h {1} min", m / 60, m % 60))
            : (m % 1440 / 60 == 0 ? Msg.Of("{0} d", m / 1440) : Msg.Of("{0} d {1} h", m / 1440, m % 1440 / 60));
    }
}
