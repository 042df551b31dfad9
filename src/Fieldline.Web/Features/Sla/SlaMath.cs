namespace Fieldline.Web.Features.Sla;

public enum CountIn { CalendarTime, WorkingTime }

/// <summary>A stop of a clock: from when, until when (open while still paused), and optionally a new agreed deadline.</summary>
public sealed record PauseSpan(DateTimeOffset From, DateTimeOffset? To, DateTimeOffset? NewDueAt = null);

/// <summary>Where a clock stands at a moment.</summary>
public sealed record ClockReading(DateTimeOffset? DueAt, double ElapsedMinutes, double Progress, bool IsPaused, bool IsOverdue);

/// <summary>
/// The SLA arithmetic, as pure functions of (start, calendar, pauses, target, now): no database, no clock. Minutes are
/// counted either in calendar time or in the branch's working time (hours, lunch, working days, holidays).
/// </summary>
public static class SlaMath
{
    /// <summary>The instant <paramref name="minutes"/> after <paramref name="start"/>, counted in calendar or working time.</summary>
    public static DateTimeOffset Add(DateTimeOffset start, double minutes, CountIn mode, BusinessCalendar cal) =>
        mode == CountIn.CalendarTime ? start.AddMinutes(minutes) : AddWorkingMinutes(start, minutes, cal);

    /// <summary>How many minutes lie between two instants, counted in calendar or working time.</summary>
    public static double Between(DateTimeOffset from, DateTimeOffset to, CountIn mode, BusinessCalendar cal) =>
        to <= from ? 0 : mode == CountIn.CalendarTime ? (to - from).TotalMinutes : WorkingMinutesBetween(from, to, cal);

    public static DateTimeOffset AddWorkingMinutes(DateTimeOffset start, double minutes, BusinessCalendar cal)
    {
        var local = TimeZoneInfo.ConvertTime(start, cal.Zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var remaining = minutes;
        for (var guard = 0; guard < 3660; guard++, day = day.AddDays(1))
        {
            foreach (var (from, to) in cal.Intervals(day))
            {
                var intervalStart = At(day, from, cal.Zone);
                var intervalEnd = At(day, to, cal.Zone);
                var begin = intervalStart > start ? intervalStart : start;
                if (begin >= intervalEnd) continue;
                var available = (intervalEnd - begin).TotalMinutes;
                // A deadline that lands exactly on the end of an interval is that instant, not the next morning.
                if (remaining <= available) return begin.AddMinutes(remaining);
                remaining -= available;
            }
        }
        throw new InvalidOperationException("The calendar has no working time in the next ten years.");
    }

    public static double WorkingMinutesBetween(DateTimeOffset from, DateTimeOffset to, BusinessCalendar cal)
    {
        var total = 0.0;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, cal.Zone).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, cal.Zone).DateTime);
        for (; day <= last; day = day.AddDays(1))
            foreach (var (f, t) in cal.Intervals(day))
            {
                var a = At(day, f, cal.Zone);
                var b = At(day, t, cal.Zone);
                if (a < from) a = from;
                if (b > to) b = to;
                if (b > a) total += (b - a).TotalMinutes;
            }
        return total;
    }

    /// <summary>
    /// When a clock started at <paramref name="start"/> with <paramref name="targetMinutes"/> falls due, given its pauses.
    /// Paused time does not count; a pause that set a new agreed deadline (a postponement the customer approved) replaces
    /// the computed one, but never lies before the moment it was agreed. Null while the clock is paused without such a deadline.
    /// </summary>
    public static DateTimeOffset? DueAt(DateTimeOffset start, double targetMinutes, CountIn mode, BusinessCalendar cal, IReadOnlyList<PauseSpan> pauses)
    {
        var agreed = pauses.LastOrDefault(p => p.NewDueAt is not null);
        if (agreed is { NewDueAt: { } newDue }) return newDue < agreed.From ? agreed.From : newDue;
        var due = Add(start, targetMinutes, mode, cal);
        foreach (var p in pauses.OrderBy(p => p.From))
        {
            if (p.From >= due) break;
            if (p.To is not { } to) return null;
            // The clock stood still during the pause: the counted time left at its start is still left at its end.
            var left = Between(p.From, due, mode, cal);
            due = Add(to, left, mode, cal);
        }
        return due;
    }

    /// <summary>Where the clock stands at <paramref name="now"/>: elapsed counted time, progress towards the target, overdue or not.</summary>
    public static ClockReading Read(DateTimeOffset start, double targetMinutes, CountIn mode, BusinessCalendar cal, IReadOnlyList<PauseSpan> pauses, DateTimeOffset now)
    {
        var due = DueAt(start, targetMinutes, mode, cal, pauses);
        var elapsed = Between(start, now, mode, cal) - pauses.Sum(p => p.From >= now ? 0 : Between(p.From, p.To is { } t && t < now ? t : now, mode, cal));
        var paused = pauses.Any(p => p.From <= now && (p.To is null || p.To > now));
        return new ClockReading(due, Math.Max(0, elapsed), targetMinutes <= 0 ? 1 : Math.Max(0, elapsed) / targetMinutes, paused, due is { } d && now >= d);
    }

    /// <summary>
    /// The half-day rule (CMP-01): an order dispatched before the cutoff is due at the end of that working day, one
    /// dispatched at or after it by the given time on the next working day.
    /// </summary>
    public static DateTimeOffset HalfDayDue(DateTimeOffset dispatchedAt, TimeOnly cutoff, TimeOnly nextDayBy, BusinessCalendar cal)
    {
        var local = TimeZoneInfo.ConvertTime(dispatchedAt, cal.Zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (!cal.IsWorkingDay(day)) return At(NextWorkingDay(day, cal), nextDayBy, cal.Zone);
        return TimeOnly.FromDateTime(local.DateTime) < cutoff ? At(day, cal.WorkEnd, cal.Zone) : At(NextWorkingDay(day, cal), nextDayBy, cal.Zone);
    }

    public static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    public static DateOnly NextWorkingDay(DateOnly day, BusinessCalendar cal)
    {
        do day = day.AddDays(1); while (!cal.IsWorkingDay(day));
        return day;
    }

    /// <summary>A local wall-clock time on a day, as an instant.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
