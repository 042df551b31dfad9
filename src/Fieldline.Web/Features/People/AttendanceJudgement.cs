using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.People;

/// <summary>
/// A technician's working day as the timer judged it at the policy's cut-off: one row per person and day (a unique
/// index, so a day is judged exactly once however many nodes tick), with the absenteeism fine it proposed.
/// </summary>
public sealed class AttendanceJudgement : IAppendOnly
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public int TechnicianUserId { get; init; }
    public DateOnly Day { get; init; }
    /// <summary>The sheet's status that day (present, late, absent, absenteeism, onLeave …).</summary>
    public required string Status { get; init; }
    public DateTimeOffset JudgedAt { get; init; }
    public long? PenaltyCaseId { get; private set; }
    public PenaltyCase? PenaltyCase { get; init; }
}

internal sealed class AttendanceJudgementConfiguration : IEntityTypeConfiguration<AttendanceJudgement>
{
    public void Configure(EntityTypeBuilder<AttendanceJudgement> b)
    {
        b.HasIndex(x => new { x.TechnicianId, x.Day }).IsUnique();
        b.HasIndex(x => new { x.BranchId, x.Day });
        b.Property(x => x.Status).HasMaxLength(32);
        b.HasOne(x => x.PenaltyCase).WithMany().HasForeignKey(x => x.PenaltyCaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
