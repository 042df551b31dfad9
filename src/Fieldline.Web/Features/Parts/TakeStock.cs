using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

public sealed record StockTakeRequest(int? LocationId, string? PartNumber, int? Counted, string? Reason);

/// <summary>A stock-take: the keeper records what was counted; the difference to the book becomes a line of its own, with the reason.</summary>
public sealed class TakeStock(AppDbContext db, StockLedger ledger)
{
    public async Task<StockLevelDto> Handle(CurrentUser user, StockTakeRequest r, CancellationToken ct)
    {
        user.RequireAny("record a stock-take", StockLedger.Keepers);
        var v = new Validator();
        v.RequiredText(r.PartNumber, 64, "partNumber").RequiredText(r.Reason, 200, "reason");
        if (r.LocationId is null) v.Add("locationId", "{0} is required.");
        if (r.Counted is null or < 0 or > StockRules.MaxQuantity) v.Add("counted", "{0} must be between 0 and {1}.", StockRules.MaxQuantity);
        v.ThrowIfInvalid();
        var part = await ledger.ActivePart(r.PartNumber!.Trim(), "partNumber", ct);
        var location = await ledger.Visible(user, r.LocationId!.Value, "locationId", ct);
        var book = await db.Set<StockLevel>().Where(l => l.LocationId == location.Id && l.PartId == part.Id).Select(l => (int?)l.OnHand).FirstOrDefaultAsync(ct) ?? 0;
        var difference = r.Counted!.Value - book;
        var level = difference == 0 && await db.Set<StockLevel>().FirstOrDefaultAsync(l => l.LocationId == location.Id && l.PartId == part.Id, ct) is { } same
            ? same
            : await ledger.Post(part, location, difference, StockMovementKind.StockTake, new MovementFacts(user.UserId, r.Reason!.Trim()), ct);
        await db.SaveChangesAsync(ct);
        return await ledger.LevelDto(level, ct);
    }
}
