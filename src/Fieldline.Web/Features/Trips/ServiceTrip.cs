using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Trips;

/// <summary>Sent (on the way) → on site (the arrival report, PRJ-21) → returned (the trip report, PRJ-27) → reviewed (ATT-20).</summary>
public enum TripStatus { Underway, OnSite, Returned, Reviewed }

/// <summary>
/// A service trip (出差) to a client's site, 第15篇: the office sends a technician; on arrival the technician reports the
/// site's progress and what holds it up (PRJ-21); on site they keep a daily log with improvement suggestions (PRJ-27);
/// back home they hand in the trip report (出差报告, PRJ-27/28); the supervisor reads it, sets the rest period (ATT-20,
/// kept as approved leave) and rewards the suggestions the company adopts (RWD-08). Each step only in its turn: a 409
/// otherwise. While underway or on site the technician is away: the one eligibility rule keeps them from other orders.
/// </summary>
public sealed class ServiceTrip : IVersioned
{
    public long Id { get; private set; }
    public int Version { get; set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public int TechnicianUserId { get; init; }
    /// <summary>The order the trip serves, when there is one: it stays dispatchable to the traveller.</summary>
    public long? WorkOrderId { get; init; }
    public required string Destination { get; init; }
    public required string Purpose { get; init; }
    public required string SentBy { get; init; }
    public int SentByUserId { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public TripStatus Status { get; private set; } = TripStatus.Underway;

    public DateTimeOffset? ArrivedAt { get; private set; }
    /// <summary>PRJ-21: the site's construction progress found on arrival.</summary>
    public string? ArrivalProgress { get; private set; }
    /// <summary>PRJ-21: the natural or human conditions and the delays holding the project up.</summary>
    public string? ArrivalConditions { get; private set; }

    public List<TripLogEntry> Logs { get; private set; } = [];

    public DateTimeOffset? ReturnedAt { get; private set; }
    /// <summary>PRJ-27: the trip report's own words (the daily log is part of it).</summary>
    public string? ReportSummary { get; private set; }

    public string? ReviewedBy { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }
    public string? ReviewNote { get; private set; }
    /// <summary>ATT-20: the rest the supervisor set (0 days: back to normal duties at once).</summary>
    public int? RestDays { get; private set; }
    public DateOnly? RestFrom { get; private set; }
    /// <summary>The approved leave that keeps the person out of dispatch while resting.</summary>
    public long? RestLeaveId { get; private set; }
    public LeaveRequest? RestLeave { get; private set; }

    public bool Away => Status is TripStatus.Underway or TripStatus.OnSite;

    public void Arrive(string? progress, string? conditions, DateTimeOffset now)
    {
        Require(TripStatus.Underway, "report the arrival on");
        (Status, ArrivedAt, ArrivalProgress, ArrivalConditions) = (TripStatus.OnSite, now, progress, conditions);
    }

    public TripLogEntry Log(DateOnly day, string work, string? suggestion, DateOnly arrivalDay, DateOnly today, DateTimeOffset now)
    {
        Require(TripStatus.OnSite, "keep the daily log of");
        if (day > today) throw ValidationFailedException.For("day", "{0} cannot be in the future.");
        if (day < arrivalDay) throw ValidationFailedException.For("day", "{0} cannot be before the arrival ({1}).", RecordHiring.D(arrivalDay));
        if (Logs.Any(l => l.Day == day))
            throw new ConflictException(Msg.Of("The log of {0} is already in: one entry per day.", RecordHiring.D(day)));
        var entry = new TripLogEntry { Day = day, Work = work, Suggestion = suggestion, RecordedAt = now };
        Logs.Add(entry);
        return entry;
    }

    public void Return(string? summary, DateTimeOffset now)
    {
        Require(TripStatus.OnSite, "hand in the trip report of");
        (Status, ReturnedAt, ReportSummary) = (TripStatus.Returned, now, summary);
    }

    public void Review(string by, int? restDays, LeaveRequest? rest, string? note, DateTimeOffset now)
    {
        Require(TripStatus.Returned, "review");
        (Status, ReviewedBy, ReviewedAt, RestDays, RestFrom, RestLeave, ReviewNote) = (TripStatus.Reviewed, by, now, restDays, rest?.From, rest, note);
    }

    /// <summary>PRJ-27: the days on site (arrival to return, branch time) with no log entry.</summary>
    public IReadOnlyList<DateOnly> MissingLogDays(TimeZoneInfo zone, DateOnly today)
    {
        if (ArrivedAt is not { } arrived) return [];
        var first = BranchTime.Today(arrived, zone);
        var last = ReturnedAt is { } back ? BranchTime.Today(back, zone) : today.AddDays(-1); // today's may still come
        var missing = new List<DateOnly>();
        for (var d = first; d <= last && missing.Count < 366; d = d.AddDays(1))
            if (!Logs.Any(l => l.Day == d)) missing.Add(d);
        return missing;
    }

    private void Require(TripStatus state, string action)
    {
        if (Status != state) throw new IllegalTransitionException("a service trip", "tripStatus", JsonNames.Of(Status), action);
    }
}

/// <summary>One day's entry of a trip's work log (PRJ-27): the work done and, optionally, an improvement suggestion.</summary>
public sealed class TripLogEntry
{
    public long Id { get; private set; }
    public long TripId { get; private set; }
    public DateOnly Day { get; init; }
    public required string Work { get; init; }
    public string? Suggestion { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    /// <summary>RWD-08: the supervisor adopted the suggestion; the reward paid for it (a bonus line of the pay ledger).</summary>
    public bool Adopted { get; private set; }
    public decimal? Reward { get; private set; }

    public void Adopt(decimal reward)
    {
        if (string.IsNullOrEmpty(Suggestion)) throw ValidationFailedException.For("adopted", "The log of {1} has no suggestion to adopt.", RecordHiring.D(Day));
        (Adopted, Reward) = (true, reward);
    }
}

internal sealed class ServiceTripConfiguration : IEntityTypeConfiguration<ServiceTrip>
{
    public void Configure(EntityTypeBuilder<ServiceTrip> b)
    {
        b.HasIndex(x => new { x.TechnicianId, x.Status });
        b.HasIndex(x => new { x.BranchId, x.Status, x.Id });
        b.Property(x => x.Destination).HasMaxLength(200);
        b.Property(x => x.Purpose).HasMaxLength(500);
        b.Property(x => x.SentBy).HasMaxLength(64);
        b.Property(x => x.ArrivalProgress).HasMaxLength(1000);
        b.Property(x => x.ArrivalConditions).HasMaxLength(1000);
        b.Property(x => x.ReportSummary).HasMaxLength(2000);
        b.Property(x => x.ReviewedBy).HasMaxLength(64);
        b.Property(x => x.ReviewNote).HasMaxLength(500);
        b.Ignore(x => x.Away);
        b.HasMany(x => x.Logs).WithOne().HasForeignKey(x => x.TripId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(x => x.Logs).AutoInclude(false);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.RestLeave).WithMany().HasForeignKey(x => x.RestLeaveId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TripLogEntryConfiguration : IEntityTypeConfiguration<TripLogEntry>
{
    public void Configure(EntityTypeBuilder<TripLogEntry> b)
    {
        b.ToTable("TripLogEntries");
        b.HasIndex(x => new { x.TripId, x.Day }).IsUnique();
        b.Property(x => x.Work).HasMaxLength(1000);
        b.Property(x => x.Suggestion).HasMaxLength(1000);
    }
}
