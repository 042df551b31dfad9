using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Features.Parts;

public sealed record StockTransferRequest(string? PartNumber, int? Quantity, int? FromLocationId, int? ToLocationId, string? Reason);

/// <summary>The two levels after a transfer: where the parts came from, and where they went.</summary>
public sealed record TransferDto(StockLevelDto From, StockLevelDto To);

/// <summary>
/// The keeper moves parts between two places of the branch (warehouse to a van, a van back, van to van). Two lines,
/// out and in, in one save; never more than the source holds (409), and of two transfers of the last unit one wins.
/// </summary>
public sealed class TransferStock(AppDbContext db, StockLedger ledger)
{
    public async Task<TransferDto> Handle(CurrentUser user, StockTransferRequest r, CancellationToken ct)
    {
        user.RequireAny("transfer parts", StockLedger.Keepers);
        var v = new Validator();
        v.RequiredText(r.PartNumber, 64, "partNumber").MaxLength(r.Reason, 200, "reason");
        StockRules.Quantity(v, r.Quantity, "quantity");
        if (r.FromLocationId is null) v.Add("fromLocationId", "{0} is required.");
        if (r.ToLocationId is null) v.Add("toLocationId", "{0} is required.");
        else if (r.ToLocationId == r.FromLocationId) v.Add("toLocationId", "{0} must differ from {1}.", Msg.Field("fromLocationId"));
        v.ThrowIfInvalid();
        var part = await ledger.ActivePart(r.PartNumber!.Trim(), "partNumber", ct);
        var from = await ledger.Visible(user, r.FromLocationId!.Value, "fromLocationId", ct);
        var to = await ledger.Visible(user, r.ToLocationId!.Value, "toLocationId", ct);
        if (from.BranchId != to.BranchId) throw ValidationFailedException.For("toLocationId", "{0} must be a place of the same branch.");
        var reason = r.Reason?.Trim();
        var out_ = await ledger.Post(part, from, -r.Quantity!.Value, StockMovementKind.Transfer, new MovementFacts(user.UserId, reason, OtherLocationId: to.Id), ct);
        var in_ = await ledger.Post(part, to, r.Quantity.Value, StockMovementKind.Transfer, new MovementFacts(user.UserId, reason, OtherLocationId: from.Id), ct);
        await db.SaveChangesAsync(ct);
        return new TransferDto(await ledger.LevelDto(out_, ct), await ledger.LevelDto(in_, ct));
    }
}
