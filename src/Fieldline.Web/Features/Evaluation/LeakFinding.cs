using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Evaluation;

public enum LeakKind { Water, Refrigerant }

/// <summary>How the leak was put right (INS-29): the repair technician fixed it directly, the installer did not come within 24 h, or came and failed.</summary>
public enum LeakOutcome { RepairedDirectly, InstallerNoShow, InstallerFailedFix }

/// <summary>
/// An installation-caused leak found on a repair (INS-29/30, SC-21): the linked transaction of the installer's chargeback
/// (a penalty case under PEN-68/69/70, confirmed and posted) and the repair technician's subsidy (RWD-04/05/06, a pay
/// ledger line of the same amount), saved together; and what the monthly leak thresholds count (the unit's age when it
/// leaked). One per repair order. Append-only: a mistake is put right by an appeal of the case, not by editing this.
/// </summary>
public sealed class LeakFinding : IAppendOnly
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public long RepairOrderId { get; init; }
    public long InstallOrderId { get; init; }
    public int InstallerUserId { get; init; }
    public int RepairTechnicianUserId { get; init; }
    public LeakKind Leak { get; init; }
    public LeakOutcome Outcome { get; init; }
    public string? Compressor { get; init; }
    /// <summary>The installation's completion day (branch time) and the unit's age in days when the leak was found.</summary>
    public DateOnly InstalledOn { get; init; }
    public int AgeDays { get; init; }
    /// <summary>The month (branch time) the leak counts in.</summary>
    public DateOnly Month { get; init; }
    public DateTimeOffset FoundAt { get; init; }
    public string RecordedBy { get; init; } = "";
    public long? PenaltyCaseId { get; private set; }
    public PenaltyCase? Case { get; init; }
    public long? SubsidyEntryId { get; private set; }
    public PayLedgerEntry? Subsidy { get; init; }
}

internal sealed class LeakFindingConfiguration : IEntityTypeConfiguration<LeakFinding>
{
    public void Configure(EntityTypeBuilder<LeakFinding> b)
    {
        b.HasIndex(x => x.RepairOrderId).IsUnique();
        b.HasIndex(x => new { x.InstallerUserId, x.Month });
        b.HasIndex(x => new { x.BranchId, x.FoundAt }); // KPI-12: a period's leaks by an index range
        b.Property(x => x.Compressor).HasMaxLength(16);
        b.Property(x => x.RecordedBy).HasMaxLength(64);
        b.HasOne(x => x.Case).WithMany().HasForeignKey(x => x.PenaltyCaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Subsidy).WithMany().HasForeignKey(x => x.SubsidyEntryId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrders.WorkOrder>().WithMany().HasForeignKey(x => x.RepairOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrders.WorkOrder>().WithMany().HasForeignKey(x => x.InstallOrderId).OnDelete(DeleteBehavior.Restrict);
    }
}
