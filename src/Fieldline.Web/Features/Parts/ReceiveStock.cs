using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Parts;

/// <summary><c>locationId</c> defaults to the caller's branch warehouse; <c>reference</c> is the supplier's delivery note.</summary>
public sealed record ReceiptRequest(string? PartNumber, int? Quantity, int? LocationId, string? Reference, string? Reason);

/// <summary>The keeper books parts delivered by a supplier into the warehouse.</summary>
public sealed class ReceiveStock(AppDbContext db, StockLedger ledger)
{
    public async Task<StockLevelDto> Handle(CurrentUser user, ReceiptRequest r, CancellationToken ct)
    {
        user.RequireAny("receive parts into stock", StockLedger.Keepers);
        var v = new Validator();
        v.RequiredText(r.PartNumber, 64, "partNumber").MaxLength(r.Reference, 64, "reference").MaxLength(r.Reason, 200, "reason");
        StockRules.Quantity(v, r.Quantity, "quantity");
        v.ThrowIfInvalid();
        var part = await ledger.ActivePart(r.PartNumber!.Trim(), "partNumber", ct);
        var location = r.LocationId is { } id ? await ledger.Visible(user, id, "locationId", ct) : await ledger.Warehouse(user.BranchId, ct);
        var level = await ledger.Post(part, location, r.Quantity!.Value, StockMovementKind.Receipt, new MovementFacts(user.UserId, r.Reason?.Trim(), r.Reference?.Trim()), ct);
        await db.SaveChangesAsync(ct);
        return await ledger.LevelDto(level, ct);
    }
}

internal static class StockRules
{
    public const int MaxQuantity = 100_000;

    public static void Quantity(Validator v, int? quantity, string field)
    {
        if (quantity is null or < 1 or > MaxQuantity) v.Add(field, "{0} must be between 1 and {1}.", MaxQuantity);
    }
}
