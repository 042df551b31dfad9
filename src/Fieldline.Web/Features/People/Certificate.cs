using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.People;

/// <summary>
/// A person's certificate in their HR record (SAF-08, SAF-14, TRN-06): a training pass, an electrician's, a welding
/// operation or a work-at-height certificate, its number and validity. A job that needs one (the policy's
/// <c>certificates.requiredForJob</c>) is dispatched only to a holder whose certificate is valid on the job's days. A
/// renewal is a new record; the old one stays as evidence (append-only).
/// </summary>
public sealed class Certificate : IAppendOnly
{
    public static readonly string[] Kinds = ["trainingPass", "electrician", "welding", "workAtHeight"];

    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public int TechnicianUserId { get; init; }
    public required string Kind { get; init; }
    public required string Number { get; init; }
    public DateOnly ValidFrom { get; init; }
    public DateOnly ValidTo { get; init; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    /// <summary>The scanned certificate in the blob store (image or PDF, checked by its bytes): readable only by HR and the person.</summary>
    public string? ScanHash { get; init; }
    public string? ScanType { get; init; }

    public bool ValidOn(DateOnly day) => ValidFrom <= day && day <= ValidTo;
}

internal sealed class CertificateConfiguration : IEntityTypeConfiguration<Certificate>
{
    public void Configure(EntityTypeBuilder<Certificate> b)
    {
        b.HasIndex(x => new { x.TechnicianId, x.Kind, x.ValidTo });
        b.HasIndex(x => new { x.BranchId, x.ValidTo });
        b.Property(x => x.Kind).HasMaxLength(32);
        b.Property(x => x.Number).HasMaxLength(64);
        b.Property(x => x.RecordedBy).HasMaxLength(64);
        b.Property(x => x.ScanHash).HasMaxLength(128);
        b.Property(x => x.ScanType).HasMaxLength(64);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
