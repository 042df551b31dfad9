using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.People;

public enum LeaveStatus { Requested, Approved, Refused }

/// <summary>
/// A technician's leave (请假), whole days in the branch's calendar: asked for on the phone, or phoned in and recorded by
/// someone else the same day (ATT-07, <see cref="Emergency"/>). Only approved leave excuses a day and keeps the person
/// out of dispatch; a supervisor decides, a manager when it is over a day with an installation assigned (ATT-14/DSP-19).
/// </summary>
public sealed class LeaveRequest : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public int TechnicianUserId { get; init; }
    public DateOnly From { get; init; }
    public DateOnly To { get; init; }
    public required string Reason { get; init; }
    /// <summary>Phoned in and recorded by someone else (ATT-07).</summary>
    public bool Emergency { get; init; }
    /// <summary>The approved leave this one extends (ATT-08: not back when it ended).</summary>
    public long? ExtensionOfId { get; init; }
    public LeaveStatus Status { get; private set; } = LeaveStatus.Requested;
    public required string RequestedBy { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecisionNote { get; private set; }
    public int Version { get; set; }

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>
    /// What serialises the overlap check with the insert it guards (<see cref="AppDbContext.SerializedAsync{T}"/>, per
    /// technician): one leave asked for or approved per person and day is a rule of ranges, which no unique index states;
    /// checked and inserted one request at a time, two taps of the phone's button make one leave and one 409.
    /// </summary>
    public const string DaysLock = "leave-days";

    /// <summary>Whether the technician has leave asked for or approved on any day from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static Task<bool> Overlaps(AppDbContext db, int technicianId, DateOnly from, DateOnly to, CancellationToken ct) =>
        db.LeaveRequests.AnyAsync(l => l.TechnicianId == technicianId && l.Status != LeaveStatus.Refused && l.From <= to && l.To >= from, ct);

    public bool Covers(DateOnly day) => From <= day && day <= To;

    public void Approve(string by, string? note, DateTimeOffset now)
    {
        Require("approve");
        (Status, DecidedBy, DecidedAt, DecisionNote) = (LeaveStatus.Approved, by, now, note);
    }

    public void Refuse(string by, string note, DateTimeOffset now)
    {
        Require("refuse");
        (Status, DecidedBy, DecidedAt, DecisionNote) = (LeaveStatus.Refused, by, now, note);
    }

    private void Require(string action)
    {
        if (Status != LeaveStatus.Requested) throw new IllegalTransitionException("a leave request", "leaveStatus", JsonNames.Of(Status), action);
    }
}

internal sealed class LeaveRequestConfiguration : IEntityTypeConfiguration<LeaveRequest>
{
    public void Configure(EntityTypeBuilder<LeaveRequest> b)
    {
        b.HasIndex(x => new { x.TechnicianId, x.From });
        b.HasIndex(x => new { x.BranchId, x.Status });
        b.Property(x => x.Reason).HasMaxLength(500);
        b.Property(x => x.DecisionNote).HasMaxLength(500);
        b.Property(x => x.RequestedBy).HasMaxLength(64);
        b.Property(x => x.DecidedBy).HasMaxLength(64);
        b.Ignore(x => x.Days);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
