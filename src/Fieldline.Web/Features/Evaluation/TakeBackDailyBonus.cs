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
/// bonus (<see cref="ComputePay"/>); once finance has closed it, the RWD-01 line the close posted for that technician and
/// day is taken back by a reversal line (negative, linked to the bonus line: <c>ReversalOfId</c>, so at most once) in the
/// first open month, saying so. Called by the complaint registration before its one save (not saved here).
/// </summary>
public sealed class TakeBackDailyBonus(AppDbContext db, BranchZones zones, PolicyStore policies)
{
    public async Task Handle(WorkOrder order, string by, DateTimeOffset now, CancellationToken ct)
    {
        if (order.TechnicianId is not { } technicianId || order.DispatchedAt is not { } dispatched) return;
        var zone = await zones.For(order.BranchId, ct);
        var day = DateOnly.FromDateTime(BranchTime.Local(dispatched, zone).DateTime);
        var month = new DateOnly(day.Year, day.Month, 1);
        if (!await db.PayPeriodCloses.AnyAsync(p => p.BranchId == order.BranchId && p.Month == month, ct)) return; // open: the statement recomputes
        var monthEnd = month.AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var policy = await policies.InForce(db, new DateTimeOffset(monthEnd, zone.GetUtcOffset(monthEnd)).AddTicks(-1), ct);
        if (policy.Reward("dailyVolumeBonus") is not { } daily) return;
        var person = await db.Technicians.AsNoTracking().Where(t => t.Id == technicianId).Select(t => (int?)t.UserId).FirstOrDefaultAsync(ct);
        if (person is null) return;
        // The day's bonus line the close posted: RWD-01, the technician, that month, its description naming the day.
        var date = $"\"{Format.Date(day)}\"";
        var bonus = await db.PayLedger.AsNoTracking()
            .Where(e => e.BranchId == order.BranchId && e.PersonUserId == person && e.Period == month && e.Kind == PayLedgerKind.Bonus
                && e.RuleIds == daily.RuleId && e.PenaltyCaseId == null && e.Description.Contains(date))
            .FirstOrDefaultAsync(ct);
        if (bonus is null || bonus.Amount <= 0 || await db.PayLedger.AnyAsync(e => e.ReversalOfId == bonus.Id, ct)) return;
        var period = await PayLedger.PeriodFor(db, order.BranchId, month, ct);
        db.PayLedger.Add(PayLedgerEntry.TakeBack(bonus, Msg.Of("Daily volume bonus of {0} taken back: a complaint about order {1}", Format.Date(day), order.Code),
            period, by, now));
    }
}
