using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Complaints;

/// <summary>
/// One thing a complaint establishes, as its handler recorded it: a complaint-conditioned fine of the policy (PEN-15/16/17/20/
/// 22/23/26 … PEN-94) against a named person, and the penalty case it proposed. The note stays here, with the complaint:
/// the case's evidence names the complaint and the finding but not what the customer said (CPL-15).
/// </summary>
public sealed class ComplaintFinding
{
    public long Id { get; private set; }
    public long ComplaintId { get; private set; }
    public Complaint? Complaint { get; init; }
    /// <summary>The rule applied (after the policy's <c>overriddenBy</c> for the person's role), e.g. missedAppointmentComplaint.</summary>
    public required string PenaltyKey { get; init; }
    public int PersonUserId { get; init; }
    public string? Note { get; init; }
    public long PenaltyCaseId { get; private set; }
    public PenaltyCase? PenaltyCase { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public required string RecordedBy { get; init; }
}

internal sealed class ComplaintFindingConfiguration : IEntityTypeConfiguration<ComplaintFinding>
{
    public void Configure(EntityTypeBuilder<ComplaintFinding> b)
    {
        // The same finding twice (retried, or two handlers at once) is one finding and one case.
        b.HasIndex(x => new { x.ComplaintId, x.PenaltyKey, x.PersonUserId }).IsUnique();
        b.HasIndex(x => x.PenaltyCaseId).IsUnique();
        b.Property(x => x.PenaltyKey).HasMaxLength(64);
        b.Property(x => x.Note).HasMaxLength(1000);
        b.Property(x => x.RecordedBy).HasMaxLength(64);
        b.HasOne(x => x.Complaint).WithMany(c => c.Findings).HasForeignKey(x => x.ComplaintId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.PenaltyCase).WithMany().HasForeignKey(x => x.PenaltyCaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.PersonUserId).OnDelete(DeleteBehavior.Restrict);
    }
}
