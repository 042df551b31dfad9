using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Dispatch;

/// <summary>
/// 抢单: a technician takes an order from their branch's pool. The one eligibility rule decides, as for a dispatch (a 409
/// naming every reason); the order is then dispatched to them through the dispatch's own path — the dispatch clock stops,
/// the contact and completion clocks start, the SMS dispatch order is queued, every open board hears of it — and accepted,
/// for they chose it. Two technicians at once: the order's version lets one save; the other hears it was taken. Once taken,
/// it is the winner's order, which the others may not see: a later take by them is a 404, as for any order not offered to them.
/// </summary>
public sealed class TakeFromPool(AppDbContext db, WorkOrderAccess access, TechnicianEligibility eligibility, BranchZones zones, SlaEngine sla, TimeProvider clock,
    AnnouncePoolOrder announce)
{
    public static readonly string[] AllowedRoles = [Roles.Technician];

    public async Task<WorkOrderDto> Handle(CurrentUser user, long id, VersionOnlyRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        var role = user.RequireAny("take from the order pool", AllowedRoles);
        var tech = await db.Technicians.Include(t => t.User).FirstOrDefaultAsync(t => t.UserId == user.UserId, ct)
            ?? throw new ForbiddenException("Only a technician with a technician profile takes orders from the pool.");
        // What a technician may see here is what the pool shows them — their branch's pooled orders — and their own orders.
        // Anything else (another technician's order, one never or no longer offered, another branch's) is answered as an
        // order that does not exist: a 409 naming it would tell them it exists and its code (api.md Conventions).
        // The same condition as WorkOrder.InPool, which EF cannot translate.
        var order = await db.WorkOrders.Include(o => o.Timeline.OrderBy(t => t.Id)).AsSplitQuery()
            .FirstOrDefaultAsync(o => o.Id == id && o.BranchId == tech.BranchId
                && (o.TechnicianId == tech.Id || (o.PooledAt != null && (o.Status == WorkOrderStatus.New || o.Status == WorkOrderStatus.Returned))), ct)
            ?? throw new NotFoundException("Work order", id);
        // Their own order: already taken (or dispatched to them); a retry of a take whose answer was lost lands here too.
        if (!order.InPool) throw new ConflictException(Msg.Of("You have already taken this order."), Msg.Of("Already taken"));
        Concurrency.Check("Work order", order.Version, r.Version, ifMatch);
        var zone = await zones.For(order.BranchId, ct);
        var now = clock.GetUtcNow();
        var reasons = await eligibility.ForOrder(tech, order, BranchTime.Today(now, zone), zone, ct);
        if (reasons.Count > 0)
            throw new NotEligibleException(tech.Id, Msg.Of("{0} cannot take this order: {1}", tech.User?.DisplayName ?? $"#{tech.Id}", Msg.Join(reasons.Select(x => x.Full))), reasons);
        order.Take(tech.Id, new Actor(user.UserId, user.UserName, role), now);
        SmsDispatchOrder.Queue(db, order, tech, now);
        await sla.Apply(order, now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another technician's take (or the dispatcher's dispatch) saved first.
            throw new ConflictException(Msg.Of("This order has already been taken by someone else."), Msg.Of("Already taken"));
        }
        access.Changed(order, "take");
        await announce.PoolChanged(order, "taken", ct);
        return await access.Answer(order, null, ct);
    }
}
