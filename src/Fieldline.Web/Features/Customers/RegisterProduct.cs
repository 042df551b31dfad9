using Fieldline.Web.Infrastructure.Localization;
using System.Text.RegularExpressions;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Customers;

public sealed record RegisterProductRequest(string? ProductLine, string? Brand, string? Model, string? SerialNumber, string? InvoiceNumber,
    DateOnly? PurchaseDate, DateOnly? InstalledOn, int? WarrantyMonths, List<string>? WarrantyExclusions);

/// <summary>Registers a unit to a customer, and finds a unit by its serial (barcode) number.</summary>
public sealed partial class RegisterProduct(AppDbContext db, TimeProvider clock, BranchZones zones)
{
    [GeneratedRegex("^[a-z][A-Za-z]{1,31}$")]
    public static partial Regex ProductLinePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")]
    private static partial Regex SerialPattern();

    public async Task<ProductDto> Handle(CurrentUser user, int customerId, RegisterProductRequest request, CancellationToken ct)
    {
        user.RequireAny("register products", Roles.Intake);
        var customer = await db.Customers.FirstOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null || !user.CanSeeBranch(customer.BranchId)) throw new NotFoundException("Customer", customerId);

        var v = new Validator();
        if (string.IsNullOrWhiteSpace(request.ProductLine)) v.Add("productLine", "{0} is required (e.g. ac, purifier).");
        else if (!ProductLinePattern().IsMatch(request.ProductLine)) v.Add("productLine", "{0} is a lower-camel word such as ac, purifier, waterHeater.");
        v.RequiredText(request.Model, 64, "model").MaxLength(request.Brand, 50, "brand").MaxLength(request.InvoiceNumber, 64, "invoiceNumber");
        if (string.IsNullOrWhiteSpace(request.SerialNumber)) v.Add("serialNumber", "{0} is required.");
        else if (!SerialPattern().IsMatch(request.SerialNumber)) v.Add("serialNumber", "{0} is 1–64 letters, digits, '.', '_', '/' or '-'.");
        if (request.WarrantyMonths is null) v.Add("warrantyMonths", "{0} is required (0 for none).");
        else if (request.WarrantyMonths is < 0 or > 240) v.Add("warrantyMonths", "{0} must be between 0 and 240.");
        var today = BranchTime.Today(clock.GetUtcNow(), await zones.For(customer.BranchId, ct));
        if (request.PurchaseDate > today) v.Add("purchaseDate", "{0} cannot be in the future.");
        if (request.InstalledOn is { } inst && request.PurchaseDate is { } bought && inst < bought) v.Add("installedOn", "{0} cannot be before {1}.", Msg.Field("purchaseDate"));
        if (request.WarrantyMonths > 0 && request.PurchaseDate is null && request.InstalledOn is null)
            v.Add("purchaseDate", "{0} or {1} is required to compute the warranty.", Msg.Field("installedOn"));
        foreach (var x in request.WarrantyExclusions ?? [])
            if (string.IsNullOrWhiteSpace(x) || x.Length > 40) v.Add("warrantyExclusions", "Each exclusion is 1–40 characters (e.g. filter).");
        v.ThrowIfInvalid();
        if (await db.Products.AnyAsync(p => p.SerialNumber == request.SerialNumber, ct))
            throw new ConflictException(Msg.Of("A product with serial number '{0}' is already registered.", request.SerialNumber), Msg.Of("Duplicate serial number"));

        var product = new RegisteredProduct
        {
            CustomerId = customer.Id, ProductLine = request.ProductLine!, Brand = request.Brand, Model = request.Model!.Trim(),
            SerialNumber = request.SerialNumber!, InvoiceNumber = request.InvoiceNumber, PurchaseDate = request.PurchaseDate,
            InstalledOn = request.InstalledOn, WarrantyMonths = request.WarrantyMonths!.Value,
            WarrantyExclusions = (request.WarrantyExclusions ?? []).Select(x => x.Trim()).Distinct().ToList(),
        };
        db.Products.Add(product);
        await db.SaveChangesAsync(ct);
        return ProductDto.From(product, today);
    }

    public async Task<ProductDto> FindBySerial(CurrentUser user, string serial, CancellationToken ct)
    {
        user.RequireAny("look up products", Roles.Office);
        var found = await db.Products.AsNoTracking()
            .Join(db.Customers, p => p.CustomerId, c => c.Id, (p, c) => new { Product = p, c.BranchId })
            .FirstOrDefaultAsync(x => x.Product.SerialNumber == serial, ct);
        if (found is null || !user.CanSeeBranch(found.BranchId)) throw new NotFoundException("Product", serial);
        return ProductDto.From(found.Product, BranchTime.Today(clock.GetUtcNow(), await zones.For(found.BranchId, ct)));
    }
}
