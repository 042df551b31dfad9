using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.People;

/// <summary>
/// The monthly spot check of a person's kit (TLS-02..04): what the policy in force required of them, what was missing,
/// who checked and when. A check with missing items proposes the policy's fine and — where the policy says so — keeps
/// the person out of dispatch until a later check finds the kit complete (SC-32). Append-only evidence.
/// </summary>
public sealed class ToolCheck : IAppendOnly
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public int TechnicianUserId { get; init; }
    public int PolicyVersionId { get; init; }
    /// <summary>The day of the check in the branch's calendar.</summary>
    public DateOnly CheckedOn { get; init; }
    public DateTimeOffset CheckedAt { get; init; }
    public required string CheckedBy { get; init; }
    /// <summary>The kit the policy required, its items as the policy spells them (<c>refrigerantGauge(雪种表)</c>), separated by commas.</summary>
    public required string Kit { get; init; }
    /// <summary>The items missing, codes separated by commas; empty when the kit is complete.</summary>
    public string Missing { get; init; } = "";
    /// <summary>Whether the policy keeps a person with missing items out of dispatch until a re-check (TLS-04).</summary>
    public bool BlocksDispatch { get; init; }
    public string? Note { get; init; }
    /// <summary>The fine the missing items proposed (saved with the check).</summary>
    public long? PenaltyCaseId { get; private set; }
    public Evaluation.PenaltyCase? PenaltyCase { get; set; }

    public bool Complete => Missing.Length == 0;

    public IReadOnlyList<string> MissingCodes => Missing.Length == 0 ? [] : Missing.Split(',');

    /// <summary>Whether this check, the latest one on or before the day, keeps the person from work on it.</summary>
    public bool Blocks => !Complete && BlocksDispatch;
}

internal sealed class ToolCheckConfiguration : IEntityTypeConfiguration<ToolCheck>
{
    public void Configure(EntityTypeBuilder<ToolCheck> b)
    {
        b.HasIndex(x => new { x.TechnicianId, x.CheckedOn });
        b.HasIndex(x => new { x.TechnicianId, x.Id }); // a person's latest check (a dispatch's eligibility), without walking every person's
        b.HasIndex(x => new { x.BranchId, x.CheckedOn });
        b.Property(x => x.CheckedBy).HasMaxLength(64);
        b.Property(x => x.Kit).HasMaxLength(2000);
        b.Property(x => x.Missing).HasMaxLength(2000);
        b.Property(x => x.Note).HasMaxLength(500);
        b.Ignore(x => x.Complete);
        b.Ignore(x => x.MissingCodes);
        b.Ignore(x => x.Blocks);
        b.HasOne(x => x.PenaltyCase).WithMany().HasForeignKey(x => x.PenaltyCaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
