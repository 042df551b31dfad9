using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Parts;

/// <summary>How the product warranty treats a part: covered like the unit, or a consumable the customer always pays (filter cartridges, WAR-01).</summary>
public enum PartWarrantyClass { Covered, Consumable }

/// <summary>
/// One line of the parts catalogue, company-wide like the price list: what a part is, what it fits, what it costs us
/// (unit cost, the parts cost report and FEE-12) and the customer (list price), and whether the old part must come back (PRT-01).
/// </summary>
public sealed class Part : IVersioned
{
    public int Id { get; private set; }
    public required string PartNumber { get; init; }
    public required string Name { get; set; }
    /// <summary>ac, purifier, …; null for a part of every line.</summary>
    public string? ProductLine { get; set; }
    /// <summary>The models it fits; empty when it fits every model of its line.</summary>
    public List<string> FitsModels { get; set; } = [];
    public decimal UnitCost { get; set; }
    public decimal ListPrice { get; set; }
    public PartWarrantyClass WarrantyClass { get; set; }
    public bool MustReturn { get; set; }
    public bool Active { get; set; } = true;
    public DateTimeOffset CreatedAt { get; init; }
    public int Version { get; set; }
}

internal sealed class PartConfiguration : IEntityTypeConfiguration<Part>
{
    public void Configure(EntityTypeBuilder<Part> b)
    {
        b.HasIndex(x => x.PartNumber).IsUnique();
        b.Property(x => x.PartNumber).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.ProductLine).HasMaxLength(32);
    }
}
