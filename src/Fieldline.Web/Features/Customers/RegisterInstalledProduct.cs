using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Customers;

/// <summary>What an installation knows about the unit it put in, for its registration (WAR-02: the installed base).</summary>
public sealed record InstalledUnit(int CustomerId, int? ProductId, string ProductLine, string? Model, string? Serial, DateOnly? PurchaseDate,
    DateOnly InstalledOn, int WarrantyMonths, IReadOnlyList<string> WarrantyExclusions);

/// <summary>
/// Completing an installation registers the unit to the customer — model, the serial from the scanned barcode, the
/// install day, the warranty the order's policy gives the product line — so the next repair finds it in warranty; when the
/// order already names a registered unit, that unit gets its installation day. Added to the unit of work, not saved.
/// </summary>
public sealed class RegisterInstalledProduct(AppDbContext db)
{
    /// <summary>The unit now registered (new or the order's own), or null with the reason when it cannot be (no serial, serial taken).</summary>
    public async Task<(RegisteredProduct? Product, string? Refusal)> Handle(InstalledUnit unit, CancellationToken ct)
    {
        if (unit.ProductId is { } id)
        {
            var existing = await db.Products.FirstAsync(p => p.Id == id, ct);
            existing.InstalledOn ??= unit.InstalledOn;
            return (existing, null);
        }
        var serial = unit.Serial?.Trim();
        if (string.IsNullOrEmpty(serial) || serial.Length > 64) return (null, "noSerial");
        if (string.IsNullOrWhiteSpace(unit.Model)) return (null, "noModel");
        if (await db.Products.AnyAsync(p => p.SerialNumber == serial, ct) || db.Products.Local.Any(p => p.SerialNumber == serial)) return (null, "serialTaken");
        var product = new RegisteredProduct
        {
            CustomerId = unit.CustomerId, ProductLine = unit.ProductLine, Model = unit.Model.Trim(), SerialNumber = serial, PurchaseDate = unit.PurchaseDate,
            InstalledOn = unit.InstalledOn, WarrantyMonths = unit.WarrantyMonths, WarrantyExclusions = [.. unit.WarrantyExclusions],
        };
        db.Products.Add(product);
        return (product, null);
    }
}
