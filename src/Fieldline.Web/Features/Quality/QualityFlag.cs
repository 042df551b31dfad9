using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Quality;

/// <summary>What an on-site check found that a supervisor must look at (INS-01, PEN-52, SC-20, ONS-22).</summary>
public static class QualityFlagKinds
{
    /// <summary>The check-in was farther from the customer's location than the policy's radius.</summary>
    public const string CheckInFarFromCustomer = "checkInFarFromCustomer";
    /// <summary>The model read off the unit differs from the model on the order (its invoice or purchase order).</summary>
    public const string ModelMismatch = "modelMismatch";
    /// <summary>The scanned barcode differs from the serial registered for the order's unit, or belongs to another unit.</summary>
    public const string SerialMismatch = "serialMismatch";

    public static readonly string[] All = [CheckInFarFromCustomer, ModelMismatch, SerialMismatch];
}

public enum QualityFlagStatus { Open, Confirmed, Dismissed }

/// <summary>
/// One finding of an on-site check, raised by the system when the technician checked in or completed. What was found —
/// the order, the technician, the kind, the evidence, when and by whose action — never changes; a supervisor decides it
/// once (confirmed, which proposes the policy's fine when it has one, or dismissed), and that decision is kept beside it.
/// </summary>
public sealed class QualityFlag : IVersioned
{
    public long Id { get; private set; }
    public long WorkOrderId { get; init; }
    public int BranchId { get; init; }
    /// <summary>The user account of the technician whose action raised it.</summary>
    public int? TechnicianUserId { get; init; }
    public required string Kind { get; init; }
    /// <summary>What the check saw, as JSON: the distance and radius, the models or serials compared.</summary>
    public required string EvidenceJson { get; init; }
    /// <summary>checkIn or complete: the technician's action that raised it.</summary>
    public required string RaisedOn { get; init; }
    public DateTimeOffset RaisedAt { get; init; }
    public required string RaisedBy { get; init; }

    public QualityFlagStatus Status { get; private set; } = QualityFlagStatus.Open;
    public DateTimeOffset? DecidedAt { get; private set; }
    public int? DecidedByUserId { get; private set; }
    public string? DecidedBy { get; private set; }
    public string? DecisionNote { get; private set; }
    /// <summary>The case a confirmation proposed, when the policy fines what was found.</summary>
    public long? PenaltyCaseId { get; private set; }
    public int Version { get; set; }

    public void Confirm(string? note, int userId, string by, DateTimeOffset now) => Decide(QualityFlagStatus.Confirmed, "confirm", note, userId, by, now);

    public void Dismiss(string note, int userId, string by, DateTimeOffset now) => Decide(QualityFlagStatus.Dismissed, "dismiss", note, userId, by, now);

    public void LinkCase(long caseId) => PenaltyCaseId = caseId;

    private void Decide(QualityFlagStatus to, string action, string? note, int userId, string by, DateTimeOffset now)
    {
        if (Status != QualityFlagStatus.Open)
            throw new IllegalTransitionException("a quality flag", "flagStatus", Infrastructure.Http.JsonNames.Of(Status), action);
        (Status, DecisionNote, DecidedByUserId, DecidedBy, DecidedAt) = (to, note, userId, by, now);
    }
}

internal sealed class QualityFlagConfiguration : IEntityTypeConfiguration<QualityFlag>
{
    public void Configure(EntityTypeBuilder<QualityFlag> b)
    {
        b.Property(x => x.Kind).HasMaxLength(32);
        b.Property(x => x.EvidenceJson).HasMaxLength(4000);
        b.Property(x => x.RaisedOn).HasMaxLength(16);
        b.Property(x => x.RaisedBy).HasMaxLength(64);
        b.Property(x => x.DecidedBy).HasMaxLength(64);
        b.Property(x => x.DecisionNote).HasMaxLength(1000);
        // The review list: a branch's open flags, newest first.
        b.HasIndex(x => new { x.BranchId, x.Status, x.RaisedAt });
        b.HasIndex(x => x.WorkOrderId);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Cascade);
    }
}
