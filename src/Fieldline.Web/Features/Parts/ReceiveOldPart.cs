using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

public sealed record ReceiveOldPartRequest(bool? Genuine, string? Condition);

public sealed record OldPartDto(long Id, long WorkOrderId, string WorkOrderCode, int TechnicianId, string TechnicianName, string PartNumber, string PartName, int Quantity,
    string Status, bool? Genuine, string? Condition, DateTimeOffset ExpectedSince, DateTimeOffset? ReceivedAt, int Version);

/// <summary>
/// The keeper receives an old part (scanned or picked from the list) and records genuine or not and its condition.
/// When the order's last expected old part is in, the order records its parts returned (the existing hand-in: it
/// stops the PRT-01 clock, and a non-genuine part makes the brand's later fines the technician's, PRT-03) — in the same save.
/// </summary>
public sealed class ReceiveOldPart(AppDbContext db, TimeProvider clock, RecordHandIns handIns, FindOldParts find)
{
    public static readonly string[] Receivers = [Roles.WarehouseKeeper, Roles.Manager];

    public async Task<OldPartDto> Handle(CurrentUser user, long id, ReceiveOldPartRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("receive old parts", Receivers);
        var v = new Validator().MaxLength(r.Condition, 200, "condition");
        if (r.Genuine is null) v.Add("genuine", "{0} (true or false) is required.");
        v.ThrowIfInvalid();
        var part = await db.OldParts.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (part is null || !user.CanSeeBranch(part.BranchId)) throw new NotFoundException("Old part", id);
        Concurrency.Check(Msg.Of("Old part {0}", id), part.Version, null, ifMatch);
        part.Receive(r.Genuine!.Value, string.IsNullOrWhiteSpace(r.Condition) ? null : r.Condition.Trim(), user.UserId, clock.GetUtcNow());
        var others = await db.OldParts.Where(p => p.WorkOrderId == part.WorkOrderId && p.Id != part.Id).ToListAsync(ct);
        if (others.All(p => p.Status == OldPartStatus.Received))
        {
            var nonGenuine = !r.Genuine.Value || others.Any(p => p.Genuine == false);
            // The hand-in saves the order and this old part together.
            await handIns.PartsReturned(user, part.WorkOrderId, new PartsReturnedRequest(part.Condition, true, nonGenuine, null), null, ct);
        }
        else await db.SaveChangesAsync(ct);
        return (await find.Dtos(db.OldParts.AsNoTracking().Where(p => p.Id == id), ct)).Single();
    }
}
