using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>
/// SC-33 / RWD-01, the other way: the daily bonus is lost only when that day's orders were complained of, and a complaint
/// that is not upheld (rejected, CPL-20) is no complaint. When a complaint is rejected and no other complaint about the
/// technician's orders of that day still stands:
/// <list type="bullet">
/// <item>a bonus taken back after the close (<see cref="TakeBackDailyBonus"/>) is paid back — a new reversal line of plus
/// the bonus, linked to the take-back (unique: once), in the first open month, saying why;</item>
/// <item>a bonus the close never posted because this complaint stood then is paid now, in the first open month, saying so
/// (the day recomputed as the close would have, without this complaint);</item>
/// <item>while the day's month is open nothing is posted: the statement recomputes the day, and the bonus simply stays.</item>
/// </list>
/// Called by the complaint's rejection before its one save (not saved here).
/// </summary>
public sealed class PayBackDailyBonus(AppDbContext db, BranchZones zones, PolicyStore policies, ComputePay pay)
{
    public async Task Handle(Complaint complaint, string by, DateTimeOffset now, CancellationToken ct)
    {
        if (complaint.WorkOrderId is not { } orderId) return;
        var order = await db.WorkOrders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null || await DailyBonusDay.Of(db, zones, policies, order, ct) is not { } day) return;
        await day.OneAtATime(db, ct);
        // Another complaint about one of the day's orders that is not rejected keeps the bonus lost.
        var orders = await day.Orders(db, ct);
        if (await db.Complaints.AsNoTracking().AnyAsync(c => c.Id != complaint.Id && c.WorkOrderId != null && orders.Contains(c.WorkOrderId.Value) && c.RejectedAt == null, ct))
            return;
        var why = Msg.Of("Daily volume bonus of {0} paid back: complaint {1} about order {2} was not upheld", Format.Date(day.Day), complaint.Id, order.Code);

        if (await day.Chain(db, ct) is { } chain)
        {
            if (chain.Standing) return; // never taken back, or paid back already
            var period = await PayLedger.PeriodFor(db, order.BranchId, chain.Last.Period, ct);
            db.PayLedger.Add(PayLedgerEntry.PayBack(chain.Last, why, period, by, now));
            return;
        }

        // No bonus line: the month is open (the statement recomputes), or the close left the day out while this complaint stood.
        if (!await db.PayPeriodCloses.AnyAsync(p => p.BranchId == order.BranchId && p.Month == day.Month, ct)) return;
        var owed = (await pay.For(order.BranchId, day.Month, day.PersonUserId, complaint.Id, ct))
            .FirstOrDefault(l => l.Kind == PayLedgerKind.Bonus && l.RuleIds == day.Rule.RuleId && l.WorkOrderIds.Contains(orderId));
        if (owed is null) return; // the day does not earn it anyway (too few orders, one not done)
        var late = await PayLedger.PeriodFor(db, order.BranchId, day.Month, ct);
        db.PayLedger.Add(PayLedgerEntry.Pay(order.BranchId, day.PersonUserId, PayLedgerKind.Bonus, owed.Amount, owed.RuleIds,
            Msg.Of("Daily volume bonus of {0} paid late: complaint {1} about order {2} was not upheld", Format.Date(day.Day), complaint.Id, order.Code),
            owed.WorkOrderIds, late, by, now)); // (a short text: the line's description holds at most 300 characters of JSON)
    }
}
