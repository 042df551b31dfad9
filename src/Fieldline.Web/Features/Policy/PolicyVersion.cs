using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Policy;

/// <summary>
/// One published version of the company's regulation as data. Versions are never edited: publishing makes a new one,
/// and each work order keeps the version that was in force when it was created.
/// </summary>
public sealed class PolicyVersion
{
    public int Id { get; private set; }
    public int Number { get; init; }
    public required string BasedOn { get; init; }
    public DateTimeOffset EffectiveFrom { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "system";
    /// <summary>{"parameters":{…},"penalties":[…],"rewards":[…],…}: the preset merged with the published overrides.</summary>
    public required string DocumentJson { get; init; }
}

internal sealed class PolicyVersionConfiguration : IEntityTypeConfiguration<PolicyVersion>
{
    public void Configure(EntityTypeBuilder<PolicyVersion> b)
    {
        b.HasIndex(x => x.Number).IsUnique();
        b.HasIndex(x => x.EffectiveFrom);
        b.Property(x => x.BasedOn).HasMaxLength(64);
        b.Property(x => x.CreatedBy).HasMaxLength(64);
    }
}
