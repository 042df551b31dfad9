using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Billing;

/// <param name="TechnicianId">Whose money: a technician declares their own (leave it out); finance may declare for one of its branch.</param>
/// <param name="WorkOrderIds">The orders whose cash is handed in; all the cash still held and not yet declared when left out.</param>
public sealed record DeclareHandInRequest(int? TechnicianId, List<long>? WorkOrderIds);

public sealed record HandInDto(long Id, int BranchId, int TechnicianId, decimal Amount, IReadOnlyList<long> WorkOrderIds, DateTimeOffset DeclaredAt, string DeclaredBy,
    string State, string? ReceiptNumber, DateTimeOffset? ConfirmedAt, string? ConfirmedBy, int Version)
{
    public static HandInDto From(CashHandIn h, TimeZoneInfo zone) => new(h.Id, h.BranchId, h.TechnicianId, h.Amount, h.WorkOrderIds, BranchTime.Local(h.DeclaredAt, zone),
        h.DeclaredBy, JsonNames.Of(h.State), h.ReceiptNumber, BranchTime.Local(h.ConfirmedAt, zone), h.ConfirmedBy, h.Version);
}

/// <summary>
/// The technician hands cash to finance (SC-24, FEE-05): the hand-in names the orders it covers and its amount is theirs
/// summed, so what finance confirms always matches the orders. An order can be in one open hand-in only.
/// </summary>
public sealed class DeclareHandIn(AppDbContext db, FindCashOnHand cash, BranchZones zones, TimeProvider clock)
{
    public async Task<HandInDto> Handle(CurrentUser user, DeclareHandInRequest r, CancellationToken ct)
    {
        user.RequireAny("declare a hand-in", Roles.Technician, Roles.Finance, Roles.Manager);
        var byOffice = user.IsAny(Roles.Finance, Roles.Manager);
        var tech = byOffice && r.TechnicianId is { } tid
            ? await db.Technicians.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tid, ct)
            : await db.Technicians.AsNoTracking().FirstOrDefaultAsync(t => t.UserId == user.UserId, ct);
        if (tech is null || !user.CanSeeBranch(tech.BranchId))
        {
            if (r.TechnicianId is { } missing) throw new NotFoundException("Technician", missing);
            throw ValidationFailedException.For("technicianId", "{0} is required.");
        }
        var name = await db.Users.Where(u => u.Id == tech.UserId).Select(u => u.DisplayName).FirstAsync(ct);
        var held = (await cash.For([(tech.Id, tech.UserId, name)], tech.BranchId, ct))[0].Orders;
        var chosen = r.WorkOrderIds is { Count: > 0 } ids ? ids.Distinct().ToList() : held.Where(o => o.DeclaredIn is null).Select(o => o.WorkOrderId).ToList();
        // The orders' versions are taken with the hand-in: of two declarations of the same order at once (the phone sent
        // twice, finance and the technician together) one is saved and the other fails on the versions, is run again
        // (IdempotencyMiddleware) and is refused as a second declaration is — never two open hand-ins of one order. The
        // versions are read first and what is held is read again after them: a declaration saved before is seen below,
        // one saved after makes this save fail on the versions.
        var orders = await db.WorkOrders.Where(o => chosen.Contains(o.Id)).ToListAsync(ct);
        held = (await cash.For([(tech.Id, tech.UserId, name)], tech.BranchId, ct))[0].Orders;
        var v = new Validator();
        if (chosen.Count == 0) v.Add("workOrderIds", "{0}: there is no cash on hand to hand in.");
        foreach (var id in chosen)
            if (held.FirstOrDefault(o => o.WorkOrderId == id) is not { } order) v.Add("workOrderIds", "{0}: order {1} has no cash of this technician still to hand in.", id);
            else if (order.DeclaredIn is { } other) v.Add("workOrderIds", "{0}: order {1} is already in hand-in {2}.", order.Code, other);
        v.ThrowIfInvalid();
        var handIn = new CashHandIn
        {
            BranchId = tech.BranchId, TechnicianId = tech.Id, WorkOrderIds = chosen.Order().ToList(), Amount = held.Where(o => chosen.Contains(o.WorkOrderId)).Sum(o => o.Amount),
            DeclaredAt = clock.GetUtcNow(), DeclaredBy = user.UserName,
        };
        db.CashHandIns.Add(handIn);
        foreach (var order in orders) db.Entry(order).Property(o => o.Version).IsModified = true;
        await db.SaveChangesAsync(ct);
        return HandInDto.From(handIn, await zones.For(tech.BranchId, ct));
    }
}
