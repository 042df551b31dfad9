using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.People;

/// <summary>A training or company activity of a branch on a day (TRN-01..05): the company's own or the manufacturer's.</summary>
public sealed class Training
{
    public static readonly string[] Kinds = ["company", "manufacturer"];

    public long Id { get; private set; }
    public int BranchId { get; init; }
    public required string Title { get; init; }
    public required string Kind { get; init; }
    public DateOnly Day { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public List<TrainingAttendance> Attendance { get; private set; } = [];
}

/// <summary>One person on a training's attendance list: present, or absent — which proposes the policy's fine (TRN-05). Once per person (unique).</summary>
public sealed class TrainingAttendance : IAppendOnly
{
    public long Id { get; private set; }
    public long TrainingId { get; init; }
    public int TechnicianId { get; init; }
    public int TechnicianUserId { get; init; }
    public bool Present { get; init; }
    public long? PenaltyCaseId { get; private set; }
    public Evaluation.PenaltyCase? PenaltyCase { get; set; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

internal sealed class TrainingConfiguration : IEntityTypeConfiguration<Training>, IEntityTypeConfiguration<TrainingAttendance>
{
    public void Configure(EntityTypeBuilder<Training> b)
    {
        b.HasIndex(x => new { x.BranchId, x.Day });
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.Kind).HasMaxLength(32);
        b.Property(x => x.CreatedBy).HasMaxLength(64);
        b.HasMany(x => x.Attendance).WithOne().HasForeignKey(a => a.TrainingId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<TrainingAttendance> b)
    {
        b.HasIndex(x => new { x.TrainingId, x.TechnicianId }).IsUnique();
        b.Property(x => x.RecordedBy).HasMaxLength(64);
        b.HasOne(x => x.PenaltyCase).WithMany().HasForeignKey(x => x.PenaltyCaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
    }
}
