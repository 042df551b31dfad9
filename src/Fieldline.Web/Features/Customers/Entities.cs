using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Customers;

public sealed class Customer : IVersioned
{
    public int Id { get; private set; }
    public int BranchId { get; init; }
    public required string Name { get; set; }
    /// <summary>Normalised (see <see cref="PhoneNumber"/>) so that a lookup by any spelling finds the customer.</summary>
    public required string Phone { get; set; }
    public required string Address { get; set; }
    public double? Lat { get; set; }
    public double? Lng { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Version { get; set; }
    public List<RegisteredProduct> Products { get; private set; } = [];
}

/// <summary>A unit the customer owns, with what decides its warranty at intake.</summary>
public sealed class RegisteredProduct : IVersioned
{
    public int Id { get; private set; }
    public int CustomerId { get; init; }
    public required string ProductLine { get; init; }
    public string? Brand { get; set; }
    public required string Model { get; set; }
    public required string SerialNumber { get; init; }
    public string? InvoiceNumber { get; set; }
    public DateOnly? PurchaseDate { get; set; }
    public DateOnly? InstalledOn { get; set; }
    public int WarrantyMonths { get; set; }
    /// <summary>Parts the warranty does not cover, e.g. "filter" for water purifiers.</summary>
    public List<string> WarrantyExclusions { get; set; } = [];
    public int Version { get; set; }

    /// <summary>Warranty runs from installation (or purchase when not installed by us) for the given months, inclusive.</summary>
    public DateOnly? WarrantyEndsOn => (InstalledOn ?? PurchaseDate)?.AddMonths(WarrantyMonths).AddDays(-1);

    public bool IsInWarrantyOn(DateOnly day) => WarrantyEndsOn is { } end && WarrantyMonths > 0 && day <= end;
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Phone).HasMaxLength(20);
        b.Property(x => x.Address).HasMaxLength(300);
        b.HasIndex(x => new { x.BranchId, x.Phone }).IsUnique();
        b.HasIndex(x => x.Phone);
        b.HasIndex(x => x.Name); // name search by prefix (FindWorkOrders.Search)
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Products).WithOne().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RegisteredProductConfiguration : IEntityTypeConfiguration<RegisteredProduct>
{
    public void Configure(EntityTypeBuilder<RegisteredProduct> b)
    {
        b.ToTable("Products");
        b.Property(x => x.ProductLine).HasMaxLength(32);
        b.Property(x => x.Brand).HasMaxLength(50);
        b.Property(x => x.Model).HasMaxLength(64);
        b.Property(x => x.SerialNumber).HasMaxLength(64);
        b.Property(x => x.InvoiceNumber).HasMaxLength(64);
        b.HasIndex(x => x.SerialNumber).IsUnique();
        b.Ignore(x => x.WarrantyEndsOn);
    }
}
