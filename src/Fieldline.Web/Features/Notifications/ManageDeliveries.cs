using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Notifications;

public sealed record DeliveryDto(long Id, long OutboxId, DeliveryChannel Channel, DeliveryState State, string Kind, string Title, int BranchId,
    long? WorkOrderId, int? UserId, string? UserName, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, string? LastError);

/// <summary>
/// What admins see of deliveries that could not be made: dead ones (every attempt failed) and failing ones (waiting for
/// their next attempt), of their branch or, at head office, of all; a dead one may be tried again from scratch.
/// </summary>
public sealed class ManageDeliveries(AppDbContext db, TimeProvider clock, BranchZones zones)
{
    /// <param name="state">pending, delivered or dead; none: the dead and the failing (pending after a failed attempt).</param>
    public async Task<Page<DeliveryDto>> List(CurrentUser user, string? state, int? page, int? pageSize, CancellationToken ct)
    {
        user.RequireAny("see deliveries", Roles.Admin);
        var v = new Validator();
        var wanted = v.Enum<DeliveryState>(state, "state", required: false, kind: "deliveryState");
        v.ThrowIfInvalid();
        var (skip, take) = Paging.Check(page, pageSize);
        var deliveries = Visible(user);
        deliveries = wanted is { } s ? deliveries.Where(d => d.State == s)
            : deliveries.Where(d => d.State == DeliveryState.Dead || (d.State == DeliveryState.Pending && d.LastError != null));
        var total = await deliveries.CountAsync(ct);
        var items = await deliveries.OrderByDescending(d => d.Id).Skip(skip).Take(take)
            .Join(db.Outbox, d => d.OutboxId, m => m.Id, (d, m) => new DeliveryDto(d.Id, m.Id, d.Channel, d.State, m.Kind, m.Title, m.BranchId,
                m.WorkOrderId, d.UserId == OutboxDelivery.AllRecipients ? null : d.UserId,
                db.Users.Where(u => u.Id == d.UserId).Select(u => u.UserName).FirstOrDefault(), d.Attempts, m.CreatedAt, d.NextAttemptAt, d.LastError))
            .ToListAsync(ct);
        // Times as the branch reads them, the title in the reader's language.
        for (var i = 0; i < items.Count; i++)
        {
            var zone = await zones.For(items[i].BranchId, ct);
            items[i] = items[i] with
            {
                Title = StoredText.Render(items[i].Title), CreatedAt = BranchTime.Local(items[i].CreatedAt, zone), NextAttemptAt = BranchTime.Local(items[i].NextAttemptAt, zone),
            };
        }
        return new Page<DeliveryDto>(items, total);
    }

    public async Task Retry(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("send deliveries again", Roles.Admin);
        var delivery = await Visible(user).FirstOrDefaultAsync(d => d.Id == id, ct)
            ?? throw new NotFoundException("Delivery", id);
        delivery.Retry(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    private IQueryable<OutboxDelivery> Visible(CurrentUser user) => user.IsHeadOffice ? db.OutboxDeliveries
        : db.OutboxDeliveries.Where(d => db.Outbox.Any(m => m.Id == d.OutboxId && m.BranchId == user.BranchId));
}
