using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>
/// SC-33 edge: "a complaint on 06-10 received on 06-20 reverses that day's 40 CNY bonus, if payroll is not closed.
/// Otherwise it is deducted in the next payroll." While the month is open the statement recomputes the day without the
/// bonus (<see cref="ComputePay"/>); once finance has closed it, the RWD-01 line posted for that technician and day is
/// taken back by a reversal line (negative, linked to the line it undoes: <c>ReversalOfId</c>, unique) in the first open
/// month, saying so. However many complaints follow, it is taken back once; a complaint later rejected pays it back
/// (<see cref="PayBackDailyBonus"/>), and a complaint after that takes it back again — each line linked to the one before.
/// Called by the complaint registration before its one save (not saved here).
/// </summary>
public sealed class TakeBackDailyBonus(AppDbContext db, BranchZones zones, PolicyStore policies)
{
    public async Task Handle(WorkOrder order, string by, DateTimeOffset now, CancellationToken ct)
    {
        if (await DailyBonusDay.Of(db, zones, policies, order, ct) is not { } day) return;
        await day.OneAtATime(db, ct);
        if (await day.Chain(db, ct) is not { } chain) return;
        if (!chain.Standing) return; // already taken back
        var period = await PayLedger.PeriodFor(db, order.BranchId, chain.Last.Period, ct);
        db.PayLedger.Add(PayLedgerEntry.TakeBack(chain.Last, Msg.Of("Daily volume bonus of {0} taken back: a complaint about order {1}", Format.Date(day.Day), order.Code),
            period, by, now));
    }
}

/// <summary>
/// The RWD-01 day an order belongs to: its technician (as a user), the branch-local day it was dispatched on, that
/// day's month, and the policy's daily bonus rule in force at the month's end (the close's). Null when the order has no
/// technician or dispatch, or the policy has no daily bonus (regulations.md A12).
/// </summary>
internal sealed record DailyBonusDay(long OrderId, int BranchId, int TechnicianId, int PersonUserId, DateOnly Day, DateOnly Month, DateTimeOffset From, DateTimeOffset To, RewardRule Rule)
{
    public static async Task<DailyBonusDay?> Of(AppDbContext db, BranchZones zones, PolicyStore policies, WorkOrder order, CancellationToken ct)
    {
        if (order.TechnicianId is not { } technicianId || order.DispatchedAt is not { } dispatched) return null;
        var zone = await zones.For(order.BranchId, ct);
        var day = DateOnly.FromDateTime(BranchTime.Local(dispatched, zone).DateTime);
        var month = new DateOnly(day.Year, day.Month, 1);
        var policy = await policies.InForce(db, Sla.SlaMath.At(month.AddMonths(1), TimeOnly.MinValue, zone).AddTicks(-1), ct);
        if (policy.Reward("dailyVolumeBonus") is not { } daily) return null;
        var person = await db.Technicians.AsNoTracking().Where(t => t.Id == technicianId).Select(t => (int?)t.UserId).FirstOrDefaultAsync(ct);
        if (person is null) return null;
        return new DailyBonusDay(order.Id, order.BranchId, technicianId, person.Value, day, month,
            Sla.SlaMath.At(day, TimeOnly.MinValue, zone), Sla.SlaMath.At(day.AddDays(1), TimeOnly.MinValue, zone), daily);
    }

    /// <summary>
    /// The day's take-backs and pay-backs one at a time: a complaint about the day registered while another is rejected
    /// must see the other's outcome (else the bonus is paid back while the new complaint stands). Opens the caller's write
    /// — on SQLite that is the one writer's turn already — and on PostgreSQL waits for the day's lock, held until the write
    /// commits. Whatever the caller reads afterwards includes what the other committed.
    /// </summary>
    public async Task OneAtATime(AppDbContext db, CancellationToken ct)
    {
        await db.BeginWriteAsync(ct);
        if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct);
    }

    /// <summary>The day's advisory lock: the person and the day's number (below 2^24), no other lock of the app shares the space.</summary>
    private long LockKey => ((long)PersonUserId << 24) | (uint)Day.DayNumber;

    /// <summary>
    /// The day's bonus line (posted at the close, or paid late into a later month) and the last line of its chain of
    /// take-backs and pay-backs; null when no bonus was posted for the day.
    /// </summary>
    public async Task<DailyBonusChain?> Chain(AppDbContext db, CancellationToken ct)
    {
        var candidates = await db.PayLedger.AsNoTracking()
            .Where(e => e.BranchId == BranchId && e.PersonUserId == PersonUserId && e.Period >= Month && e.Kind == PayLedgerKind.Bonus
                && e.RuleIds == Rule.RuleId && e.PenaltyCaseId == null && e.ReversalOfId == null)
            .OrderBy(e => e.Id).ToListAsync(ct);
        // A line keeps the day's orders; one posted before it did names the day in its description.
        var date = $"\"{Format.Date(Day)}\"";
        var bonus = candidates.FirstOrDefault(e => e.WorkOrderIds.Contains(OrderId))
            ?? candidates.FirstOrDefault(e => e.OrderIds is null && e.Period == Month && e.Description.Contains(date, StringComparison.Ordinal));
        if (bonus is null || bonus.Amount <= 0) return null;
        var last = bonus;
        while (await db.PayLedger.AsNoTracking().FirstOrDefaultAsync(e => e.ReversalOfId == last.Id, ct) is { } next) last = next;
        return new DailyBonusChain(bonus, last);
    }

    /// <summary>The orders dispatched to the technician that day (the orders RWD-01 counts).</summary>
    public Task<List<long>> Orders(AppDbContext db, CancellationToken ct) => db.WorkOrders.AsNoTracking()
        .Where(o => o.TechnicianId == TechnicianId && o.DispatchedAt >= From && o.DispatchedAt < To && o.Status != WorkOrderStatus.Cancelled)
        .Select(o => o.Id).ToListAsync(ct);
}

/// <param name="Last">The bonus line itself, or the last take-back or pay-back linked to it.</param>
internal sealed record DailyBonusChain(PayLedgerEntry Bonus, PayLedgerEntry Last)
{
    /// <summary>The bonus stands (nothing taken back, or paid back since): the last line adds money.</summary>
    public bool Standing => Last.Amount > 0;
}
