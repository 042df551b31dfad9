using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Claims;

public enum WarrantyClaimStatus { Submitted, Approved, Rejected }

/// <summary>
/// A claim to the manufacturer (索赔, WAR-05) for the in-warranty work and parts of a completed order, with its evidence
/// (photos of the defective product, the old part brought back, PRT-19). The brand's answer is recorded: approved, or
/// rejected with its reason; the approval rate is approved ÷ decided claims (KPI-04, WAR-09).
/// </summary>
public sealed class WarrantyClaim : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public long WorkOrderId { get; init; }
    public string? Brand { get; init; }
    public decimal LabourAmount { get; init; }
    public decimal PartsAmount { get; init; }
    /// <summary>The order's parts as claimed: "number name × qty" lines.</summary>
    public required string PartsSummary { get; init; }
    public required string Description { get; init; }
    public List<long> EvidenceAttachmentIds { get; init; } = [];
    public List<long> EvidenceOldPartIds { get; init; } = [];
    public WarrantyClaimStatus Status { get; private set; }
    public int SubmittedByUserId { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
    public int? DecidedByUserId { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? RejectionReason { get; private set; }
    public int Version { get; set; }

    public void Decide(bool approved, string? reason, int byUserId, DateTimeOffset now)
    {
        if (Status != WarrantyClaimStatus.Submitted) throw new IllegalTransitionException("a warranty claim", "claimStatus", JsonNames.Of(Status), "decide");
        Status = approved ? WarrantyClaimStatus.Approved : WarrantyClaimStatus.Rejected;
        RejectionReason = approved ? null : reason;
        (DecidedByUserId, DecidedAt) = (byUserId, now);
    }
}

internal sealed class WarrantyClaimConfiguration : IEntityTypeConfiguration<WarrantyClaim>
{
    public void Configure(EntityTypeBuilder<WarrantyClaim> b)
    {
        b.ToTable("WarrantyClaims"); // plural like every other table
        b.Property(x => x.Brand).HasMaxLength(64);
        b.Property(x => x.PartsSummary).HasMaxLength(2000);
        b.Property(x => x.Description).HasMaxLength(2000);
        b.Property(x => x.RejectionReason).HasMaxLength(500);
        b.HasIndex(x => new { x.BranchId, x.Status });
        b.HasIndex(x => new { x.BranchId, x.SubmittedAt }); // KPI-04 (claim approval) reads a branch's claims of a period
        b.HasIndex(x => x.WorkOrderId);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
    }
}
