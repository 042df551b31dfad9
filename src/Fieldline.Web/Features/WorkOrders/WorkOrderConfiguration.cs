using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.Technicians;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.WorkOrders;

internal sealed class WorkOrderConfiguration : IEntityTypeConfiguration<WorkOrder>
{
    public void Configure(EntityTypeBuilder<WorkOrder> b)
    {
        b.Property(x => x.Code).HasMaxLength(32);
        b.HasIndex(x => new { x.BranchId, x.Code }).IsUnique();
        // Every list and count reads an index, never the history (FindWorkOrders, ShowBoard, SummariseToday; QueryPlanTests):
        // a branch's orders newest first, by status newest first (the board's open orders too), completed since a time,
        // a technician's, a customer's, by contact phone; head office's, newest first.
        // The reports count a period's orders from these indexes alone (KpiFactReader: a company year is half a million
        // orders): received by (BranchId, CreatedAt) with the columns its GROUP BY reads after the key the list pages by;
        // completed and visited only once they are (partial: an open order's changes never touch them), with every column
        // the completed, charges and satisfaction counts read.
        b.HasIndex(x => new { x.BranchId, x.CreatedAt, x.Id, x.Type, x.ProductLine, x.TechnicianId }, "IX_WorkOrders_BranchId_CreatedAt_Id_Counts");
        b.HasIndex(x => new { x.BranchId, x.Status, x.CreatedAt, x.Id });
        b.HasIndex(x => new { x.BranchId, x.CompletedAt, x.Status, x.Type, x.ProductLine, x.TechnicianId, x.EmptyTrip, x.CheckedInAt, x.CreatedAt, x.Id },
                "IX_WorkOrders_BranchId_CompletedAt_Counts")
            .HasFilter("\"CompletedAt\" IS NOT NULL");
        b.HasIndex(x => new { x.BranchId, x.VisitedAt, x.Satisfaction, x.ProductLine, x.TechnicianId }, "IX_WorkOrders_BranchId_VisitedAt_Counts") // KPI-07
            .HasFilter("\"VisitedAt\" IS NOT NULL");
        // KPI-02: is this completed repair named by a later one (返修)? A probe per order; few orders are repeats.
        b.HasIndex(x => new { x.RepeatOfId, x.BranchId }).HasFilter("\"RepeatOfId\" IS NOT NULL");
        // INT (返修, PEN-86): a new repair looks for the unit's completed repairs in the policy's window; partial, so a unit's
        // open orders are never read and the lookup stays a few rows however many orders name the unit (issue 14).
        b.HasIndex(x => new { x.ProductId, x.CompletedAt }, "IX_WorkOrders_ProductId_CompletedAt").HasFilter("\"CompletedAt\" IS NOT NULL");
        b.HasIndex(x => x.ProductId); // the unit's orders, open ones included (kept: the index above would otherwise replace it)
        b.Property(x => x.TripCategory).HasMaxLength(40);
        b.HasIndex(x => new { x.TechnicianId, x.Status });
        b.HasIndex(x => new { x.TechnicianId, x.CreatedAt, x.Id });
        b.HasIndex(x => new { x.TechnicianId, x.CheckedInAt }); // a technician's last known position (the maps)
        b.HasIndex(x => x.CustomerId);
        b.HasIndex(x => x.ContactPhone);
        b.HasIndex(x => new { x.CreatedAt, x.Id });
        b.Property(x => x.ProductLine).HasMaxLength(32);
        b.Property(x => x.ProductModel).HasMaxLength(64);
        b.Property(x => x.SerialNumber).HasMaxLength(64);
        b.Property(x => x.ContactPerson).HasMaxLength(100);
        b.Property(x => x.ContactPhone).HasMaxLength(20);
        b.Property(x => x.Address).HasMaxLength(300);
        b.Property(x => x.FaultDescription).HasMaxLength(2000);
        b.Property(x => x.Resolution).HasMaxLength(2000);
        b.Property(x => x.FaultCategory).HasMaxLength(64);
        b.Property(x => x.Jobs).HasMaxLength(200);
        b.Ignore(x => x.JobList);
        b.Property(x => x.Barcode).HasMaxLength(64);
        b.Property(x => x.InvoiceNumber).HasMaxLength(64);
        b.Property(x => x.CancelReason).HasMaxLength(500);
        b.Ignore(x => x.IsOpen);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Product).WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PolicyVersion>().WithMany().HasForeignKey(x => x.PolicyVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Signature).WithMany().HasForeignKey(x => x.SignatureAttachmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Timeline).WithOne().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Parts).WithOne().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Charges).WithOne().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> b)
    {
        b.ToTable("TimelineEntries");
        b.Ignore(x => x.Data);
        b.HasIndex(x => new { x.WorkOrderId, x.Id });
        b.HasIndex(x => new { x.Action, x.At }); // "dispatched today"
        b.Property(x => x.Actor).HasMaxLength(64);
        b.Property(x => x.ActorRole).HasMaxLength(32);
        b.Property(x => x.Action).HasMaxLength(32);
    }
}

internal sealed class WorkOrderPartConfiguration : IEntityTypeConfiguration<WorkOrderPart>
{
    public void Configure(EntityTypeBuilder<WorkOrderPart> b)
    {
        b.Property(x => x.PartNumber).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(100);
    }
}

internal sealed class WorkOrderChargeConfiguration : IEntityTypeConfiguration<WorkOrderCharge>
{
    public void Configure(EntityTypeBuilder<WorkOrderCharge> b)
    {
        b.HasIndex(x => new { x.WorkOrderId, x.Amount }); // KPI-09 sums a period's charges from the index alone
        b.Property(x => x.Description).HasMaxLength(200);
        b.Property(x => x.PriceCode).HasMaxLength(32);
        b.Property(x => x.PartNumber).HasMaxLength(64);
        b.Property(x => x.OverrideReason).HasMaxLength(500);
        b.Property(x => x.OverrideBy).HasMaxLength(64);
        b.Property(x => x.Quantity).HasDefaultValue(1);
    }
}

internal sealed class WorkOrderCodeCounterConfiguration : IEntityTypeConfiguration<WorkOrderCodeCounter>
{
    public void Configure(EntityTypeBuilder<WorkOrderCodeCounter> b) => b.HasKey(x => new { x.BranchId, x.Day });
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> b)
    {
        // Explicitly not unique: an order has many photos. (EF otherwise inferred a unique index here from the
        // WorkOrder.Signature navigation, which allowed one attachment per order.)
        b.HasIndex(x => x.WorkOrderId).IsUnique(false);
        b.Property(x => x.Kind).HasMaxLength(32);
        b.Property(x => x.ContentType).HasMaxLength(64);
        b.Property(x => x.FileName).HasMaxLength(200);
        b.Property(x => x.BlobHash).HasMaxLength(64);
        b.Property(x => x.LegacyContent).HasColumnName("Content");
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
    }
}
