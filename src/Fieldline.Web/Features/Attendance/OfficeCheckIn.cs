using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Attendance;

/// <summary>
/// A technician arriving at the company's office (签到). Append-only attendance evidence; under ccec it is also the
/// moment collected money falls due (FEE-07, SC-24).
/// </summary>
public sealed class OfficeCheckIn : IAppendOnly
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public int TechnicianUserId { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>Who recorded it: the technician on their phone, or the office on their behalf.</summary>
    public required string RecordedBy { get; init; }
}

internal sealed class OfficeCheckInConfiguration : IEntityTypeConfiguration<OfficeCheckIn>
{
    public void Configure(EntityTypeBuilder<OfficeCheckIn> b)
    {
        b.HasIndex(x => new { x.TechnicianId, x.At });
        b.HasIndex(x => new { x.BranchId, x.At });
        b.Property(x => x.RecordedBy).HasMaxLength(64);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
