using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Sla;

public enum ClockState { Running, Paused, Met, Breached, Exempt, Cancelled }

/// <summary>
/// One deadline of one work order (dispatch 30 min, contact 20 min / 4 h, completion 24 h, return visit 3 days …) or of
/// one complaint (resolved within 24 h / 72 h, CPL-16/17), started and stopped by lifecycle events. <see cref="NextCheckAt"/> is when the timer must next look at it (warning,
/// breach or severe threshold): the timer's indexed query reads only clocks that are due, never all open ones.
/// </summary>
public sealed class SlaClock : IVersioned
{
    public long Id { get; private set; }
    /// <summary>The order the deadline belongs to; null for a complaint's clock.</summary>
    public long? WorkOrderId { get; init; }
    public WorkOrder? WorkOrder { get; init; }
    /// <summary>The complaint the deadline belongs to (its resolve clock); null for a work order's clock.</summary>
    public long? ComplaintId { get; init; }
    public Complaint? Complaint { get; init; }
    public int BranchId { get; init; }
    public required string Name { get; init; }
    public required string RuleId { get; init; }
    /// <summary>A target (amber when missed, counted in KPIs) or a hard limit (breach record, escalation, fines).</summary>
    public bool IsTarget { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public double TargetMinutes { get; init; }
    public CountIn CountIn { get; init; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? WarnAt { get; set; }
    public DateTimeOffset? SevereAt { get; set; }
    public DateTimeOffset? StoppedAt { get; set; }
    public ClockState State { get; set; }
    public bool Warned { get; set; }
    public DateTimeOffset? OverdueAt { get; set; }
    public bool SevereApplied { get; set; }
    public DateTimeOffset? NextCheckAt { get; set; }
    public int? ResponsibleUserId { get; set; }
    public required string ResponsibleRole { get; set; }
    /// <summary>The penalty rule (policy penalties[].key) a breach of this clock proposes, if any.</summary>
    public string? PenaltyKey { get; init; }
    public string? ExemptReason { get; set; }
    public int Version { get; set; }
    public List<SlaClockPause> Pauses { get; private set; } = [];

    public IReadOnlyList<PauseSpan> Spans => Pauses.OrderBy(p => p.From).Select(p => new PauseSpan(p.From, p.To, p.NewDueAt)).ToList();

    /// <summary>When the timer must look again: the earliest of warning, breach and severe threshold not yet handled.</summary>
    public void Reschedule()
    {
        if (State != ClockState.Running) { NextCheckAt = null; return; }
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset? t) { if (t is { } v && (next is null || v < next)) next = v; }
        if (!Warned) Consider(WarnAt);
        if (OverdueAt is null) Consider(DueAt);
        if (!SevereApplied) Consider(SevereAt);
        NextCheckAt = next;
    }
}

public sealed class SlaClockPause
{
    public long Id { get; private set; }
    public long ClockId { get; private set; }
    public DateTimeOffset From { get; init; }
    public DateTimeOffset? To { get; set; }
    /// <summary>A new deadline the customer agreed to (a postponement, CMP-03), replacing the computed one.</summary>
    public DateTimeOffset? NewDueAt { get; init; }
    public required string Reason { get; init; }
    public required string Actor { get; init; }
}

/// <summary>A deadline that passed: the order (or complaint), the clock, who was responsible in which role, due and actual time, the rule.</summary>
public sealed class SlaBreach
{
    public long Id { get; private set; }
    public long ClockId { get; init; }
    public SlaClock? ClockRef { get; init; }
    public long? WorkOrderId { get; init; }
    public long? ComplaintId { get; init; }
    public int BranchId { get; init; }
    public required string Clock { get; init; }
    public required string RuleId { get; init; }
    public bool IsTarget { get; init; }
    public int? ResponsibleUserId { get; init; }
    public required string ResponsibleRole { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset DetectedAt { get; init; }
    /// <summary>When the clock finally stopped (the late dispatch, contact or completion); null while still overdue.</summary>
    public DateTimeOffset? ActualAt { get; set; }
}


/// <summary>A branch's working calendar; without one the regulation's defaults apply (09:00–18:00, lunch 12:00–13:30, Mon–Sat).</summary>
public sealed class BranchCalendar : IVersioned
{
    public int BranchId { get; init; }
    public TimeOnly WorkStart { get; set; } = new(9, 0);
    public TimeOnly WorkEnd { get; set; } = new(18, 0);
    public TimeOnly? LunchStart { get; set; } = new(12, 0);
    public TimeOnly? LunchEnd { get; set; } = new(13, 30);
    public List<int> WorkingDays { get; set; } = [1, 2, 3, 4, 5, 6];
    public List<DateOnly> Holidays { get; set; } = [];
    public List<DateOnly> ExtraWorkingDays { get; set; } = [];
    public int Version { get; set; }

    public BusinessCalendar ToCalendar(TimeZoneInfo zone) => new(zone, WorkStart, WorkEnd, LunchStart, LunchEnd,
        WorkingDays.Select(d => (DayOfWeek)(d % 7)).ToHashSet(), Holidays.ToHashSet(), ExtraWorkingDays.ToHashSet());
}

internal sealed class SlaConfiguration : IEntityTypeConfiguration<SlaClock>, IEntityTypeConfiguration<SlaClockPause>, IEntityTypeConfiguration<SlaBreach>,
    IEntityTypeConfiguration<BranchCalendar>
{
    public void Configure(EntityTypeBuilder<SlaClock> b)
    {
        b.HasIndex(x => x.NextCheckAt); // the timer's claim: WHERE NextCheckAt <= now ORDER BY NextCheckAt
        b.HasIndex(x => new { x.WorkOrderId, x.Name });
        b.HasIndex(x => new { x.BranchId, x.StartedAt }); // the reports' SLA compliance of a period (KPI-13)
        b.HasIndex(x => new { x.State, x.DueAt }); // running past due: the overdue list and Today (only open orders' clocks run)
        b.Property(x => x.Name).HasMaxLength(32);
        b.Property(x => x.RuleId).HasMaxLength(32);
        b.Property(x => x.ResponsibleRole).HasMaxLength(32);
        b.Property(x => x.PenaltyKey).HasMaxLength(64);
        b.Property(x => x.ExemptReason).HasMaxLength(200);
        b.Ignore(x => x.Spans);
        b.HasOne(x => x.WorkOrder).WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Complaint).WithMany().HasForeignKey(x => x.ComplaintId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("CK_SlaClocks_Subject", "\"WorkOrderId\" IS NOT NULL OR \"ComplaintId\" IS NOT NULL"));
        b.HasMany(x => x.Pauses).WithOne().HasForeignKey(x => x.ClockId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<SlaClockPause> b)
    {
        b.Property(x => x.Reason).HasMaxLength(500);
        b.Property(x => x.Actor).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<SlaBreach> b)
    {
        b.HasIndex(x => x.ClockId).IsUnique(); // exactly one breach per clock, whatever races
        b.HasIndex(x => new { x.BranchId, x.DetectedAt });
        b.HasIndex(x => new { x.ResponsibleUserId, x.DetectedAt });
        b.Property(x => x.Clock).HasMaxLength(32);
        b.Property(x => x.RuleId).HasMaxLength(32);
        b.Property(x => x.ResponsibleRole).HasMaxLength(32);
        b.HasOne(x => x.ClockRef).WithMany().HasForeignKey(x => x.ClockId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Complaint>().WithMany().HasForeignKey(x => x.ComplaintId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<BranchCalendar> b)
    {
        b.HasKey(x => x.BranchId);
        b.HasOne<Branch>().WithOne().HasForeignKey<BranchCalendar>(x => x.BranchId).OnDelete(DeleteBehavior.Cascade);
    }
}
