using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Calls;

/// <summary>How the customer reached the company (INT-05: every call, letter and visit).</summary>
public enum CallKind { Phone, Letter, Visit }

/// <summary>What came of it: solved on the phone (INT-21), a work order, handed to the department responsible (INT-05), or still open.</summary>
public enum CallOutcome { SolvedByPhone, OrderCreated, Forwarded, Open }

/// <summary>
/// 来电登记 (INT-04/05/10): one customer contact as the clerk or supervisor recorded it — who, what about, and what was
/// done with it. Append-only: a later development is a new record (or the work order's own timeline).
/// </summary>
public sealed class CallRecord : Infrastructure.Data.IAppendOnly
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public CallKind Kind { get; init; }
    public string? CallerName { get; init; }
    /// <summary>Normalised (PhoneNumber.Normalize), so a search by number finds every way it was typed.</summary>
    public string? CallerPhone { get; init; }
    public required string Summary { get; init; }
    public CallOutcome Outcome { get; init; }
    /// <summary>The role it was handed to (Forwarded).</summary>
    public string? ForwardedTo { get; init; }
    /// <summary>Reported upward at once (INT-05): the branch's managers and the supervisor were notified.</summary>
    public bool Urgent { get; init; }
    public long? WorkOrderId { get; init; }
    public int RecordedByUserId { get; init; }
}

internal sealed class CallRecordConfiguration : IEntityTypeConfiguration<CallRecord>
{
    public void Configure(EntityTypeBuilder<CallRecord> b)
    {
        b.ToTable("CallRecords");
        b.HasIndex(x => new { x.BranchId, x.ReceivedAt });
        b.HasIndex(x => new { x.BranchId, x.CallerPhone });
        b.Property(x => x.CallerName).HasMaxLength(100);
        b.Property(x => x.CallerPhone).HasMaxLength(32);
        b.Property(x => x.Summary).HasMaxLength(1000);
        b.Property(x => x.ForwardedTo).HasMaxLength(32);
        b.HasOne<Identity.Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
