using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Billing;

public enum RefundState { Proposed, Approved, Rejected }

/// <summary>
/// Money to give back to a customer, proposed for a manager's decision: an in-warranty charge found later (FEE-08,
/// PEN-87: the whole charge) or an off-system overcharge (PEN-10, SC-23: what was collected minus the standard).
/// </summary>
public sealed class CustomerRefund : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public long WorkOrderId { get; init; }
    /// <summary>The technician whose charge it was.</summary>
    public int PersonUserId { get; init; }
    public decimal Amount { get; init; }
    public required string RuleId { get; init; }
    public required string Reason { get; init; }
    public long? PenaltyCaseId { get; set; }
    public DateTimeOffset ProposedAt { get; init; }
    public required string ProposedBy { get; init; }
    public RefundState State { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public string? Note { get; private set; }
    public int Version { get; set; }

    public void Decide(bool approve, string? note, string by, DateTimeOffset now)
    {
        if (State != RefundState.Proposed) throw new IllegalTransitionException("a refund", "refundState", JsonNames.Of(State), "decide");
        State = approve ? RefundState.Approved : RefundState.Rejected;
        Note = note;
        DecidedBy = by;
        DecidedAt = now;
    }
}

internal sealed class CustomerRefundConfiguration : IEntityTypeConfiguration<CustomerRefund>
{
    public void Configure(EntityTypeBuilder<CustomerRefund> b)
    {
        b.Property(x => x.RuleId).HasMaxLength(32);
        b.Property(x => x.Reason).HasMaxLength(500);
        b.Property(x => x.ProposedBy).HasMaxLength(64);
        b.Property(x => x.DecidedBy).HasMaxLength(64);
        b.Property(x => x.Note).HasMaxLength(500);
        b.HasIndex(x => new { x.BranchId, x.State });
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
    }
}
