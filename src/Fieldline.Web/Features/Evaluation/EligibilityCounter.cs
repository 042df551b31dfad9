using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>
/// Per person and month, the offences that cost evaluation eligibility (e.g. 3 overdue orders, CMP-05/PEN-89). When the
/// count reaches the policy's threshold the month's eligibility is revoked, with the offences as evidence.
/// </summary>
public sealed class EligibilityCounter : IVersioned
{
    public long Id { get; private set; }
    public int PersonUserId { get; init; }
    public int BranchId { get; init; }
    public DateOnly Month { get; init; }
    public required string Kind { get; init; }
    public int Count { get; set; }
    public List<long> Evidence { get; set; } = [];
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RuleId { get; set; }
    public int Version { get; set; }
}

internal sealed class EligibilityCounterConfiguration : IEntityTypeConfiguration<EligibilityCounter>
{
    public void Configure(EntityTypeBuilder<EligibilityCounter> b)
    {
        b.HasIndex(x => new { x.PersonUserId, x.Month, x.Kind }).IsUnique();
        b.Property(x => x.Kind).HasMaxLength(32);
        b.Property(x => x.RuleId).HasMaxLength(32);
    }
}
