using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Parts;

public enum RequisitionStatus { Requested, Issued }

/// <summary>
/// A technician's request for parts (领料), for an order or for the van. The keeper issues it: the parts move from the
/// branch warehouse to the technician's van, all lines in one save, or none.
/// </summary>
public sealed class Requisition : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public long? WorkOrderId { get; init; }
    public string? Note { get; init; }
    public RequisitionStatus Status { get; private set; }
    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? IssuedAt { get; private set; }
    public int? IssuedByUserId { get; private set; }
    public int Version { get; set; }
    public List<RequisitionLine> Lines { get; private set; } = [];

    public void Issue(int byUserId, DateTimeOffset now)
    {
        if (Status != RequisitionStatus.Requested) throw new IllegalTransitionException("a requisition", "requisitionStatus", Infrastructure.Http.JsonNames.Of(Status), "issue");
        Status = RequisitionStatus.Issued;
        IssuedAt = now;
        IssuedByUserId = byUserId;
    }
}

public sealed class RequisitionLine
{
    public long Id { get; private set; }
    public long RequisitionId { get; init; }
    public int PartId { get; init; }
    public int Quantity { get; init; }
}

internal sealed class RequisitionConfiguration : IEntityTypeConfiguration<Requisition>, IEntityTypeConfiguration<RequisitionLine>
{
    public void Configure(EntityTypeBuilder<Requisition> b)
    {
        b.Property(x => x.Note).HasMaxLength(500);
        b.HasIndex(x => new { x.BranchId, x.Status });
        b.HasIndex(x => new { x.BranchId, x.RequestedAt }); // KPI-03 (parts supply) reads a branch's requests of a period
        b.HasIndex(x => x.TechnicianId);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.RequisitionId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<RequisitionLine> b)
    {
        b.ToTable("RequisitionLines");
        b.HasOne<Part>().WithMany().HasForeignKey(x => x.PartId).OnDelete(DeleteBehavior.Restrict);
    }
}
