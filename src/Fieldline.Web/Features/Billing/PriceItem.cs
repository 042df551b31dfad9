using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Billing;

public enum PriceKind { Labour, Part, Material }

/// <summary>
/// One line of the company's standard price list (FEE-01): what out-of-warranty work and parts cost. A charge may not
/// exceed the policy's multiple of the standard price (fees.overchargeMaxMultipleOfStandard, 2× by default).
/// </summary>
public sealed class PriceItem : IVersioned
{
    public int Id { get; private set; }
    public required string Code { get; init; }
    public required string Name { get; set; }
    /// <summary>ac, purifier, …; null for items of every line.</summary>
    public string? ProductLine { get; set; }
    public PriceKind Kind { get; set; }
    public decimal StandardPrice { get; set; }
    public bool Active { get; set; } = true;
    public int Version { get; set; }
}

internal sealed class PriceItemConfiguration : IEntityTypeConfiguration<PriceItem>
{
    public void Configure(EntityTypeBuilder<PriceItem> b)
    {
        b.HasIndex(x => x.Code).IsUnique();
        b.Property(x => x.Code).HasMaxLength(32);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.ProductLine).HasMaxLength(32);
    }
}
