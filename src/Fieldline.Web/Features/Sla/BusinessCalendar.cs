namespace Fieldline.Web.Features.Sla;

/// <summary>
/// A branch's working time: hours, lunch break, working weekdays, public holidays and make-up working days (调休),
/// in the branch's time zone. Pure data; <see cref="SlaMath"/> does the arithmetic.
/// </summary>
public sealed record BusinessCalendar(
    TimeZoneInfo Zone,
    TimeOnly WorkStart,
    TimeOnly WorkEnd,
    TimeOnly? LunchStart,
    TimeOnly? LunchEnd,
    IReadOnlySet<DayOfWeek> WorkingDays,
    IReadOnlySet<DateOnly> Holidays,
    IReadOnlySet<DateOnly> ExtraWorkingDays)
{
    public static readonly IReadOnlySet<DayOfWeek> MondayToSaturday =
        new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday };

    /// <summary>09:00–18:00, lunch 12:00–13:30, Monday to Saturday, Asia/Shanghai: the regulations' defaults.</summary>
    public static BusinessCalendar Default(TimeZoneInfo? zone = null) => new(
        zone ?? TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), new(9, 0), new(18, 0), new(12, 0), new(13, 30),
        MondayToSaturday, new HashSet<DateOnly>(), new HashSet<DateOnly>());

    public bool IsWorkingDay(DateOnly day) =>
        ExtraWorkingDays.Contains(day) || (WorkingDays.Contains(day.DayOfWeek) && !Holidays.Contains(day));

    /// <summary>The working intervals of a day in local time, lunch cut out.</summary>
    public IEnumerable<(TimeOnly From, TimeOnly To)> Intervals(DateOnly day)
    {
        if (!IsWorkingDay(day)) yield break;
        if (LunchStart is { } ls && LunchEnd is { } le && ls > WorkStart && le < WorkEnd && ls < le)
        {
            yield return (WorkStart, ls);
            yield return (le, WorkEnd);
        }
        else yield return (WorkStart, WorkEnd);
    }
}
