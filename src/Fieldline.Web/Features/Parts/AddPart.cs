using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

public sealed record AddPartRequest(string? PartNumber, string? Name, string? ProductLine, List<string>? FitsModels, decimal? UnitCost, decimal? ListPrice,
    string? WarrantyClass, bool? MustReturn);

public sealed record PartDto(int Id, string PartNumber, string Name, string? ProductLine, IReadOnlyList<string> FitsModels, decimal UnitCost, decimal ListPrice,
    string WarrantyClass, bool MustReturn, bool Active, int Version)
{
    public static PartDto From(Part p) => new(p.Id, p.PartNumber, p.Name, p.ProductLine, p.FitsModels, p.UnitCost, p.ListPrice, JsonNames.Of(p.WarrantyClass), p.MustReturn, p.Active, p.Version);
}

/// <summary>The warehouse keeper adds a part to the catalogue (the Excel import does the same for many, <see cref="ImportParts"/>).</summary>
public sealed class AddPart(AppDbContext db, TimeProvider clock)
{
    public async Task<PartDto> Handle(CurrentUser user, AddPartRequest r, CancellationToken ct)
    {
        user.RequireAny("change the parts catalogue", StockLedger.Keepers);
        var v = new Validator();
        var warranty = PartRules.Check(v, r, name => name);
        v.ThrowIfInvalid();
        var number = r.PartNumber!.Trim();
        if (await db.Set<Part>().AnyAsync(p => p.PartNumber == number, ct))
            throw new ConflictException(Msg.Of("Part number '{0}' is already in the catalogue.", number), Msg.Of("Duplicate part number"));
        var part = PartRules.New(r, warranty!.Value, clock.GetUtcNow());
        db.Add(part);
        await db.SaveChangesAsync(ct);
        return PartDto.From(part);
    }
}

/// <summary>What makes a catalogue line valid, the same for one part typed in and for a row of an imported workbook.</summary>
internal static class PartRules
{
    public static PartWarrantyClass? Check(Validator v, AddPartRequest r, Func<string, string> field)
    {
        if (string.IsNullOrWhiteSpace(r.PartNumber)) v.Add(field("partNumber"), "{0} is required.");
        else if (!System.Text.RegularExpressions.Regex.IsMatch(r.PartNumber.Trim(), "^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$"))
            v.Add(field("partNumber"), "{0} is 1–64 letters, digits, '.', '_', '/' or '-'.");
        v.RequiredText(r.Name, 100, field("name"));
        if (!string.IsNullOrWhiteSpace(r.ProductLine) && !RegisterProduct.ProductLinePattern().IsMatch(r.ProductLine.Trim()))
            v.Add(field("productLine"), "{0} is a lower-camel word such as ac, purifier, waterHeater.");
        if (r.FitsModels is { Count: > 50 }) v.Add(field("fitsModels"), "At most 50 models.");
        foreach (var m in r.FitsModels ?? [])
            if (string.IsNullOrWhiteSpace(m) || m.Length > 64) { v.Add(field("fitsModels"), "Each model is 1–64 characters."); break; }
        Money(v, r.UnitCost, field("unitCost"));
        Money(v, r.ListPrice, field("listPrice"));
        return v.Enum<PartWarrantyClass>(r.WarrantyClass ?? "covered", field("warrantyClass"), kind: "partWarrantyClass");
    }

    private static void Money(Validator v, decimal? amount, string field)
    {
        if (amount is null) v.Add(field, "{0} is required.");
        else if (amount is < 0 or > 1_000_000m || decimal.Round(amount.Value, 2) != amount.Value)
            v.Add(field, "{0} must be between 0.00 and 1000000.00 CNY with at most two decimals.");
    }

    public static Part New(AddPartRequest r, PartWarrantyClass warranty, DateTimeOffset now) => new Part
    {
        PartNumber = r.PartNumber!.Trim(), Name = r.Name!.Trim(), CreatedAt = now,
    }.Apply(r, warranty);

    public static Part Apply(this Part p, AddPartRequest r, PartWarrantyClass warranty)
    {
        p.Name = r.Name!.Trim();
        p.ProductLine = string.IsNullOrWhiteSpace(r.ProductLine) ? null : r.ProductLine.Trim();
        p.FitsModels = (r.FitsModels ?? []).Select(m => m.Trim()).Distinct(StringComparer.Ordinal).ToList();
        p.UnitCost = r.UnitCost!.Value;
        p.ListPrice = r.ListPrice!.Value;
        p.WarrantyClass = warranty;
        p.MustReturn = r.MustReturn ?? false;
        p.Active = true;
        return p;
    }
}
