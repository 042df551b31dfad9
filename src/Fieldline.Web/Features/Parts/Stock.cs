using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Parts;

public enum StockLocationKind { Warehouse, Van }

/// <summary>Where parts are kept: the branch's warehouse (one per branch) or a technician's van (one per technician).</summary>
public sealed class StockLocation
{
    public int Id { get; private set; }
    public int BranchId { get; init; }
    public StockLocationKind Kind { get; init; }
    /// <summary>The van's technician; null for the warehouse.</summary>
    public int? TechnicianId { get; init; }
    /// <summary>"warehouse" or "van:{technicianId}": unique per branch, so two requests cannot create the same place twice.</summary>
    public required string Key { get; init; }

    public static string WarehouseKey => "warehouse";
    public static string VanKey(int technicianId) => $"van:{technicianId}";
}

public enum StockMovementKind { Receipt, Transfer, Issue, Use, Return, StockTake }

/// <summary>
/// One change of one part's quantity at one location, never edited (PRT-08): who, when, why, for which order or
/// requisition. A transfer is two lines, out of one place and into the other, each naming the other place. The on-hand
/// figure is the sum of a location's lines; <see cref="StockLevel"/> caches it in the same transaction.
/// </summary>
public sealed class StockMovement : IAppendOnly
{
    public long Id { get; private set; }
    public int PartId { get; init; }
    public int LocationId { get; init; }
    /// <summary>Positive into the location, negative out of it.</summary>
    public int Quantity { get; init; }
    public StockMovementKind Kind { get; init; }
    public int? OtherLocationId { get; init; }
    public long? WorkOrderId { get; init; }
    public long? RequisitionId { get; init; }
    /// <summary>The supplier's delivery note, the stock-take sheet: the paper behind the line.</summary>
    public string? Reference { get; init; }
    public string? Reason { get; init; }
    /// <summary>
    /// The catalogue's unit cost when a part was used on a repair (a "use" line): the month's parts cost report prices it
    /// so, and a cost changed in the catalogue later does not rewrite a month already reported. Null on other lines, and on
    /// use lines written before it was kept (the report then takes the catalogue's cost).
    /// </summary>
    public decimal? UnitCost { get; init; }
    public int ByUserId { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>The on-hand quantity of a part at a location: the sum of its movements, kept with them. Versioned, so two
/// concurrent takings of the last unit cannot both succeed (the second is a 409).</summary>
public sealed class StockLevel : IVersioned
{
    public long Id { get; private set; }
    public int LocationId { get; init; }
    public int PartId { get; init; }
    public int OnHand { get; set; }
    public int Version { get; set; }
}

internal sealed class StockConfiguration : IEntityTypeConfiguration<StockLocation>, IEntityTypeConfiguration<StockMovement>, IEntityTypeConfiguration<StockLevel>
{
    public void Configure(EntityTypeBuilder<StockLocation> b)
    {
        b.Property(x => x.Key).HasMaxLength(32);
        b.HasIndex(x => new { x.BranchId, x.Key }).IsUnique();
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<StockMovement> b)
    {
        b.Property(x => x.Reference).HasMaxLength(64);
        b.Property(x => x.Reason).HasMaxLength(200);
        b.HasIndex(x => new { x.LocationId, x.PartId });
        b.HasIndex(x => new { x.PartId, x.At });
        // Only the lines of an order (uses): receipts, issues and transfers, most of the table, are not in it, so the
        // planner sees how selective an order's lines are (FEE-12's owed parts cost reads them per unpaid order).
        b.HasIndex(x => x.WorkOrderId).HasFilter("\"WorkOrderId\" IS NOT NULL");
        b.HasOne<Part>().WithMany().HasForeignKey(x => x.PartId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<StockLocation>().WithMany().HasForeignKey(x => x.LocationId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<StockLevel> b)
    {
        b.HasIndex(x => new { x.LocationId, x.PartId }).IsUnique();
        b.HasIndex(x => x.PartId);
        b.HasOne<Part>().WithMany().HasForeignKey(x => x.PartId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<StockLocation>().WithMany().HasForeignKey(x => x.LocationId).OnDelete(DeleteBehavior.Restrict);
        b.ToTable(t => t.HasCheckConstraint("CK_StockLevels_OnHand", "\"OnHand\" >= 0"));
    }
}
