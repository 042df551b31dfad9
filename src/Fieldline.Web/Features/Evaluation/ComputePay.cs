using System.Globalization;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>A line the month's pay run computes from the orders: a piece rate, a volume bonus, a subsidy, with the orders behind it.</summary>
public sealed record ComputedPayLine(int PersonUserId, PayLedgerKind Kind, decimal Amount, string RuleIds, Msg Description, IReadOnlyList<long> WorkOrderIds);

/// <summary>
/// What a branch's month earns each technician besides the fines, from the policy in force at the month's end (a reward a
/// preset does not have is not paid, regulations.md A12):
/// <list type="bullet">
/// <item>piece rates (<see cref="CompanyPolicy.PieceRate"/>: installation commission, repair piece rate) per completed order;</item>
/// <item>RWD-01 daily volume bonus: more than <c>thresholdOrders</c> orders dispatched in a day → <c>perOrderCNY</c> for each
/// from the next one, only when every order of that day is completed and none was complained of (a complaint found untrue
/// does not count);</item>
/// <item>RWD-02 monthly volume bonus: more than <c>thresholdOrdersExclusive</c> repair orders accepted in the month;</item>
/// <item>RWD-03 empty-trip subsidy: each empty trip completed in the month;</item>
/// <item>RWD-07 monthly repair subsidy for every active repair technician (a PEN-85 forfeiture deducts it as a fine);</item>
/// <item>RWD-09 material reward (<see cref="CompanyPolicy.MaterialRewardPercent"/>): a percentage of the material lines charged
/// on the month's completed orders, one line with the orders behind it.</item>
/// </list>
/// While the month is open the statement shows these as computed; closing the month posts them to the ledger.
/// </summary>
public sealed class ComputePay(AppDbContext db, PolicyStore policies, BranchZones zones)
{
    /// <summary>The lines of every technician of the branch, or of one (<paramref name="personUserId"/>).</summary>
    /// <param name="exceptComplaintId">A complaint being rejected in the caller's unit of work, not counted (<see cref="PayBackDailyBonus"/>).</param>
    public Task<List<ComputedPayLine>> For(int branchId, DateOnly month, int? personUserId, long? exceptComplaintId, CancellationToken ct) =>
        For(branchId, month, personUserId is { } p ? [p] : null, exceptComplaintId, ct);

    /// <summary>The lines of the branch's technicians among <paramref name="personUserIds"/> (every technician when null).</summary>
    /// <param name="exceptComplaintId">A complaint being rejected in the caller's unit of work, not counted (<see cref="PayBackDailyBonus"/>).</param>
    /// <param name="codes">When given, receives the number of every order a line names (the statement shows them), read with the orders.</param>
    public async Task<List<ComputedPayLine>> For(int branchId, DateOnly month, IReadOnlyCollection<int>? personUserIds, long? exceptComplaintId, CancellationToken ct,
        Dictionary<long, string>? codes = null)
    {
        var zone = await zones.For(branchId, ct);
        var from = SlaMathStart(month, zone);
        var to = SlaMathStart(month.AddMonths(1), zone);
        var policy = await policies.InForce(db, to.AddTicks(-1), ct);
        var people = db.Technicians.AsNoTracking().Where(t => t.BranchId == branchId);
        if (personUserIds is not null) people = people.Where(t => personUserIds.Contains(t.UserId));
        var techs = await people.Select(t => new { t.Id, t.UserId, t.Skills }).ToListAsync(ct);
        // The people as one array parameter (an array on PostgreSQL, JSON on SQLite), not thousands of parameters to bind:
        // both planners then reach each person's orders through the technician index. (As a subquery PostgreSQL could not
        // see which technicians it named, and scanned the whole month for every group of 50 people: 14 s for 2,000.)
        var ids = techs.Select(t => (int?)t.Id).ToArray();
        var monthOrders = db.WorkOrders.AsNoTracking()
            .Where(o => o.TechnicianId != null && EF.Parameter(ids).Contains(o.TechnicianId) && o.Status != WorkOrderStatus.Cancelled
                && ((o.DispatchedAt >= from && o.DispatchedAt < to) || (o.AcceptedAt >= from && o.AcceptedAt < to) || (o.CompletedAt >= from && o.CompletedAt < to)));
        // A complaint not upheld does not count: rejected (and answered afterwards: resolved, still with its rejection).
        // Each complaint's order looked up among the month's (EXISTS by its key): no list of the month's order ids in the
        // process or as a parameter, and the database reads the complaints, not the month's orders, to answer.
        var complained = (await db.Complaints.AsNoTracking()
            .Where(c => c.WorkOrderId != null && c.RejectedAt == null && c.Id != exceptComplaintId && monthOrders.Any(o => o.Id == c.WorkOrderId))
            .Select(c => c.WorkOrderId!.Value).ToListAsync(ct)).ToHashSet();

        var daily = policy.Reward("dailyVolumeBonus");
        var monthly = policy.Reward("monthlyVolumeBonus");
        var emptyTrip = policy.Reward("emptyTripSubsidy");
        var dailyThreshold = policy.DailyVolumeBonusThresholdOrders ?? (daily?.FromOrderNumber - 1);
        var dailyPer = policy.DailyVolumeBonusPerOrder ?? daily?.PerOrder;
        var monthlyThreshold = policy.MonthlyVolumeBonusThresholdOrdersExclusive;
        var monthlyAmount = policy.MonthlyVolumeBonusAmount ?? monthly?.Amount;
        var emptyTripAmount = policy.EmptyTripSubsidy ?? emptyTrip?.Amount;
        var monthlySubsidy = policy.Reward("monthlyRepairSubsidy") is { } repairSubsidy ? (Rule: repairSubsidy, Amount: policy.MonthlyRepairSubsidy) : default;
        var active = monthlySubsidy.Amount is null ? [] : (await db.Users.AsNoTracking().Where(u => u.IsActive && people.Select(t => t.UserId).Contains(u.Id))
            .Select(u => u.Id).ToListAsync(ct)).ToHashSet();

        // RWD-09 material reward (材料奖励金): a share of the material lines charged on the month's completed orders.
        var materialPercent = policy.MaterialRewardPercent;
        var materials = materialPercent is null ? [] : await MaterialCharges(monthOrders.Where(o => o.CompletedAt >= from && o.CompletedAt < to && !o.EmptyTrip), ct);

        // The month's orders streamed person by person (ordered by technician: the index on the technician gives that order
        // without a sort; each person's orders then by id, in the process): the process holds one person's orders at a time,
        // never the branch's month, and only the columns the rules read.
        var linesOf = new Dictionary<int, List<ComputedPayLine>>();
        var techOf = techs.ToDictionary(t => t.Id);
        var withCodes = codes is not null;
        var person = new List<PayOrder>();
        await Stream(monthOrders.OrderBy(o => o.TechnicianId)
            .Select(o => new PayOrder(o.Id, withCodes ? o.Code : null, o.TechnicianId!.Value, o.Type, o.ProductLine, o.DispatchedAt, o.AcceptedAt, o.CompletedAt, o.EmptyTrip)), o =>
        {
            if (person.Count > 0 && person[0].TechnicianId != o.TechnicianId) Person(person);
            person.Add(o);
            if (codes is not null) codes[o.Id] = o.Code ?? "";
        }, ct);
        Person(person);
        // In the people's order (by user id), each person's lines in the rules' order.
        var all = new List<ComputedPayLine>();
        foreach (var tech in techs.OrderBy(t => t.UserId))
            all.AddRange(linesOf.TryGetValue(tech.Id, out var own) ? own : Lines(tech.Id, [])); // without orders: the monthly subsidy only
        return all;

        void Person(List<PayOrder> orders)
        {
            if (orders.Count == 0) return;
            orders.Sort((a, b) => a.Id.CompareTo(b.Id));
            if (techOf.ContainsKey(orders[0].TechnicianId)) linesOf[orders[0].TechnicianId] = Lines(orders[0].TechnicianId, orders);
            orders.Clear();
        }

        List<ComputedPayLine> Lines(int technicianId, List<PayOrder> mine)
        {
            var lines = new List<ComputedPayLine>();
            var tech = techOf[technicianId];
            var category = StaffCategory.OfSkills(tech.Skills);
            bool Applies(RewardRule r) => r.AppliesToCategory(category);
            var completed = mine.Where(o => o.CompletedAt >= from && o.CompletedAt < to).OrderBy(o => o.CompletedAt).ToList();

            // Piece rates per order type and product line, one line per rate.
            if (policy.HasPieceRates)
                foreach (var g in completed.Where(o => !o.EmptyTrip).GroupBy(o => (Type: JsonNames.Of(o.Type), o.ProductLine)))
                {
                    if (policy.PieceRate(g.Key.Type, g.Key.ProductLine) is not { } rate) continue;
                    var list = g.ToList();
                    lines.Add(new(tech.UserId, PayLedgerKind.Earning, rate * list.Count, "RWD-09",
                        Msg.Of("Piece rate: {0} {1} orders × {2}", Msg.Code("type", g.Key.Type), list.Count, Format.Money(rate)), list.Select(o => o.Id).ToList()));
                }

            if (materialPercent is { } percent)
            {
                var sold = completed.Where(o => materials.ContainsKey(o.Id)).ToList();
                var basis = sold.Sum(o => materials[o.Id]);
                var reward = decimal.Round(basis * percent / 100m, 2, MidpointRounding.AwayFromZero);
                if (reward > 0)
                    lines.Add(new(tech.UserId, PayLedgerKind.Earning, reward, "RWD-09",
                        Msg.Of("Material reward: {0} of materials charged on {1} orders × {2}%", Format.Money(basis), sold.Count, percent.ToString("0.##", CultureInfo.InvariantCulture)),
                        sold.Select(o => o.Id).ToList()));
            }

            // RWD-07: the month's repair subsidy for every active repair technician; PEN-85 deducts it again when forfeited.
            if (monthlySubsidy.Amount is { } repairSubsidyAmount && Applies(monthlySubsidy.Rule) && active.Contains(tech.UserId))
                lines.Add(new(tech.UserId, PayLedgerKind.Subsidy, repairSubsidyAmount, monthlySubsidy.Rule.RuleId,
                    Msg.Of("Monthly repair subsidy {0}", Format.Money(repairSubsidyAmount)), []));

            if (daily is not null && Applies(daily) && dailyThreshold is { } threshold && dailyPer is { } per)
                foreach (var day in mine.Where(o => o.DispatchedAt >= from && o.DispatchedAt < to).GroupBy(o => DateOnly.FromDateTime(BranchTime.Local(o.DispatchedAt!.Value, zone).DateTime)).OrderBy(d => d.Key))
                {
                    var list = day.OrderBy(o => o.DispatchedAt).ToList();
                    if (list.Count <= threshold || list.Any(o => o.CompletedAt is null) || list.Any(o => complained.Contains(o.Id))) continue;
                    lines.Add(new(tech.UserId, PayLedgerKind.Bonus, (list.Count - threshold) * per, daily.RuleId,
                        Msg.Of("Daily volume bonus {0}: {1} orders, from the {2}th × {3}", Format.Date(day.Key), list.Count, threshold + 1, Format.Money(per)), list.Select(o => o.Id).ToList()));
                }

            if (monthly is not null && Applies(monthly) && monthlyThreshold is { } over && monthlyAmount is { } bonus)
            {
                var accepted = mine.Where(o => o.Type == WorkOrderType.Repair && o.AcceptedAt >= from && o.AcceptedAt < to).ToList();
                if (accepted.Count > over)
                    lines.Add(new(tech.UserId, PayLedgerKind.Bonus, bonus, monthly.RuleId,
                        Msg.Of("Monthly volume bonus: {0} repair orders accepted, more than {1}", accepted.Count, over), accepted.Select(o => o.Id).ToList()));
            }

            if (emptyTrip is not null && Applies(emptyTrip) && emptyTripAmount is { } subsidy)
            {
                var trips = completed.Where(o => o.EmptyTrip).ToList();
                if (trips.Count > 0)
                    lines.Add(new(tech.UserId, PayLedgerKind.Subsidy, subsidy * trips.Count, emptyTrip.RuleId,
                        Msg.Of("Empty-trip subsidy: {0} orders × {1}", trips.Count, Format.Money(subsidy)), trips.Select(o => o.Id).ToList()));
            }
            return lines;
        }
    }

    /// <summary>
    /// The rows as they come (<see cref="StreamingRead"/>: not read whole into memory first for a retry); in an async method
    /// of its own, so that the read without retries ends with it. Enumerated synchronously: 300,000 rows in a large month,
    /// each an asynchronous step otherwise (SQLite reads synchronously anyway; PostgreSQL holds a thread for the read).
    /// </summary>
    private async Task Stream<T>(IQueryable<T> query, Action<T> each, CancellationToken ct) =>
        await StreamingRead.Run(db, () =>
        {
            foreach (var row in query)
            {
                ct.ThrowIfCancellationRequested();
                each(row);
            }
            return Task.CompletedTask;
        });

    /// <summary>What the pay rules read of an order.</summary>
    private sealed record PayOrder(long Id, string? Code, int TechnicianId, WorkOrderType Type, string ProductLine, DateTimeOffset? DispatchedAt, DateTimeOffset? AcceptedAt,
        DateTimeOffset? CompletedAt, bool EmptyTrip);

    /// <summary>Per completed order, the total of its charge lines for a material of the price list (<see cref="Billing.PriceKind.Material"/>).</summary>
    private async Task<Dictionary<long, decimal>> MaterialCharges(IQueryable<WorkOrder> orders, CancellationToken ct)
    {
        var codes = await db.PriceItems.AsNoTracking().Where(p => p.Kind == Billing.PriceKind.Material).Select(p => p.Code).ToListAsync(ct);
        if (codes.Count == 0) return [];
        // Summed here: SQLite cannot aggregate decimals.
        var rows = await db.Set<WorkOrderCharge>().AsNoTracking()
            // Each charge's order looked up among the orders (EXISTS by its key), not one parameter per order: a large branch's
            // month has more orders than SQLite allows parameters.
            .Where(c => c.PriceCode != null && codes.Contains(c.PriceCode) && orders.Any(o => o.Id == c.WorkOrderId))
            .Select(c => new { c.WorkOrderId, c.Amount })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.WorkOrderId).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount));
    }

    private static DateTimeOffset SlaMathStart(DateOnly month, TimeZoneInfo zone)
    {
        var first = month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(first, zone.GetUtcOffset(first)).ToUniversalTime();
    }
}
