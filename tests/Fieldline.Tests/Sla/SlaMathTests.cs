using Fieldline.Web.Features.Sla;

namespace Fieldline.Tests.Sla;

public class SlaMathTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Changsha local time.</summary>
    private static DateTimeOffset L(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    private static BusinessCalendar Calendar(params DateOnly[] holidays) => BusinessCalendar.Default(Shanghai) with
    {
        WorkingDays = new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday },
        Holidays = new HashSet<DateOnly>(holidays),
    };

    [Fact]
    public void Thirty_working_minutes_from_1755_on_a_friday_before_a_monday_holiday_fall_due_tuesday_at_0925()
    {
        // 2026-10-02 is a Friday; Monday 10-05 is a holiday: 5 minutes on Friday, 25 on Tuesday.
        var due = SlaMath.AddWorkingMinutes(L(10, 2, 17, 55), 30, Calendar(new DateOnly(2026, 10, 5)));
        Assert.Equal(L(10, 6, 9, 25), due);
    }

    [Fact]
    public void Working_minutes_skip_the_lunch_break()
    {
        Assert.Equal(L(11, 26, 13, 50), SlaMath.AddWorkingMinutes(L(11, 26, 11, 50), 30, Calendar()));
        Assert.Equal(30, SlaMath.WorkingMinutesBetween(L(11, 26, 11, 50), L(11, 26, 13, 50), Calendar()));
    }

    [Fact]
    public void A_request_taken_before_opening_starts_counting_at_opening()
    {
        Assert.Equal(L(11, 26, 9, 30), SlaMath.AddWorkingMinutes(L(11, 26, 7, 40), 30, Calendar()));
    }

    [Fact]
    public void A_deadline_that_lands_on_closing_time_is_closing_time()
    {
        Assert.Equal(L(11, 26, 18, 0), SlaMath.AddWorkingMinutes(L(11, 26, 17, 30), 30, Calendar()));
    }

    [Fact]
    public void A_make_up_working_day_counts_even_on_a_weekend()
    {
        var cal = Calendar() with { ExtraWorkingDays = new HashSet<DateOnly> { new(2026, 11, 28) } };
        Assert.Equal(L(11, 28, 9, 25), SlaMath.AddWorkingMinutes(L(11, 27, 17, 55), 30, cal));
    }

    [Fact]
    public void Calendar_time_counts_nights_and_holidays()
    {
        Assert.Equal(L(11, 27, 10, 5), SlaMath.Add(L(11, 26, 10, 5), 1440, CountIn.CalendarTime, Calendar()));
    }

    [Theory]
    [InlineData(10, 0, 11, 24, 18, 0)]   // SC-11 order A: dispatched Tuesday morning → end of Tuesday
    [InlineData(11, 59, 11, 24, 18, 0)]
    [InlineData(12, 0, 11, 25, 12, 0)]   // exactly 12:00 is the afternoon → next day 12:00
    [InlineData(15, 0, 11, 25, 12, 0)]   // SC-11 order B
    public void The_half_day_rule_gives_morning_orders_the_same_evening_and_afternoon_orders_the_next_noon(int h, int m, int dueMonth, int dueDay, int dueH, int dueM)
    {
        var due = SlaMath.HalfDayDue(L(11, 24, h, m), new TimeOnly(12, 0), new TimeOnly(12, 0), Calendar());
        Assert.Equal(L(dueMonth, dueDay, dueH, dueM), due);
    }

    [Fact]
    public void An_afternoon_order_on_friday_is_due_at_noon_on_the_next_working_day()
    {
        Assert.Equal(L(11, 30, 12, 0), SlaMath.HalfDayDue(L(11, 27, 15, 0), new TimeOnly(12, 0), new TimeOnly(12, 0), Calendar()));
    }

    [Fact]
    public void A_closed_pause_moves_the_deadline_by_the_paused_time()
    {
        var start = L(11, 26, 10, 0);
        var pauses = new[] { new PauseSpan(L(11, 26, 10, 20), L(11, 26, 11, 20)) };
        Assert.Equal(L(11, 26, 11, 30), SlaMath.DueAt(start, 30, CountIn.CalendarTime, Calendar(), pauses));
    }

    [Fact]
    public void An_open_pause_has_no_deadline_until_it_ends()
    {
        var pauses = new[] { new PauseSpan(L(11, 26, 10, 20), null) };
        Assert.Null(SlaMath.DueAt(L(11, 26, 10, 0), 30, CountIn.CalendarTime, Calendar(), pauses));
        var reading = SlaMath.Read(L(11, 26, 10, 0), 30, CountIn.CalendarTime, Calendar(), pauses, L(11, 26, 12, 0));
        Assert.True(reading.IsPaused);
        Assert.Equal(20, reading.ElapsedMinutes, 6);
        Assert.False(reading.IsOverdue);
    }

    [Fact]
    public void A_postponement_the_customer_agreed_replaces_the_deadline()
    {
        // SC-13: dispatched Monday 10:00, postponed Tuesday 08:00 to Thursday 14:00.
        var pauses = new[] { new PauseSpan(L(11, 24, 8, 0), L(11, 26, 14, 0), L(11, 26, 14, 0)) };
        Assert.Equal(L(11, 26, 14, 0), SlaMath.DueAt(L(11, 23, 10, 0), 1440, CountIn.CalendarTime, Calendar(), pauses));
    }

    [Fact]
    public void Progress_is_the_share_of_the_target_used()
    {
        var reading = SlaMath.Read(L(11, 26, 10, 0), 240, CountIn.CalendarTime, Calendar(), [], L(11, 26, 12, 48));
        Assert.Equal(0.7, reading.Progress, 6);
        Assert.False(reading.IsOverdue);
        Assert.True(SlaMath.Read(L(11, 26, 10, 0), 240, CountIn.CalendarTime, Calendar(), [], L(11, 26, 14, 0)).IsOverdue);
    }
}
