using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Parts;

public enum OldPartStatus { Expected, Received }

/// <summary>
/// An old part that must come back to the warehouse (旧件返回, PRT-01): expected from the moment a must-return part of
/// the catalogue is used on a completion; the keeper receives it and records whether it is genuine and its condition
/// (PRT-03: a non-genuine one passes the brand's fines for the order to the technician). The deadline is the order's
/// partsReturn clock (the policy's days); receiving the order's last old part stops it.
/// </summary>
public sealed class OldPart : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public long WorkOrderId { get; init; }
    public int TechnicianId { get; init; }
    public int PartId { get; init; }
    public int Quantity { get; init; }
    public DateTimeOffset ExpectedSince { get; init; }
    public OldPartStatus Status { get; private set; }
    public bool? Genuine { get; private set; }
    public string? Condition { get; private set; }
    public DateTimeOffset? ReceivedAt { get; private set; }
    public int? ReceivedByUserId { get; private set; }
    public int Version { get; set; }

    public void Receive(bool genuine, string? condition, int byUserId, DateTimeOffset now)
    {
        if (Status != OldPartStatus.Expected) throw new IllegalTransitionException("an old part", "oldPartStatus", Infrastructure.Http.JsonNames.Of(Status), "receive");
        Status = OldPartStatus.Received;
        Genuine = genuine;
        Condition = condition;
        ReceivedAt = now;
        ReceivedByUserId = byUserId;
    }
}

internal sealed class OldPartConfiguration : IEntityTypeConfiguration<OldPart>
{
    public void Configure(EntityTypeBuilder<OldPart> b)
    {
        b.Property(x => x.Condition).HasMaxLength(200);
        b.HasIndex(x => new { x.BranchId, x.Status });
        b.HasIndex(x => x.WorkOrderId);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Part>().WithMany().HasForeignKey(x => x.PartId).OnDelete(DeleteBehavior.Restrict);
    }
}
