using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using System.Text.Json;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Sla;

/// <summary>
/// What happens when a deadline is near or past: the warning, the breach record and its escalation, the proposed
/// penalty case with its evidence, and the monthly counters that cost evaluation eligibility. Idempotent per clock.
/// </summary>
public sealed class BreachHandler(AppDbContext db, BranchZones zones, ProposePenaltyCase penalties)
{
    /// <summary>The escalation chain (INT-16, INT-14): the clerk's and technician's deadlines go up to the dispatcher and manager.</summary>
    private static string[] Chain(SlaClock clock, WorkOrder order) =>
        order.AngryCustomer ? [Roles.Manager]
        : clock.ResponsibleRole is Roles.Technician ? [Roles.Dispatcher, Roles.Manager]
        : [Roles.Manager];

    public async Task Warn(SlaClock clock, WorkOrder order, DateTimeOffset now, CancellationToken ct)
    {
        clock.Warned = true;
        Queue(now, "slaWarning", order.BranchId, order.Id, Msg.Of("{0}: {1} due soon", order.Code, Label(clock)),
            Msg.Of("{0} is due at {1} ({2}).", Label(clock), await Local(clock.DueAt, order, ct), clock.RuleId), [clock.ResponsibleUserId], [Roles.Dispatcher]);
    }

    /// <summary>The deadline passed while the clock still runs: record the breach once, escalate, propose the fine, count it.</summary>
    public async Task Overdue(SlaClock clock, WorkOrder order, CompanyPolicy policy, DateTimeOffset now, CancellationToken ct)
    {
        if (clock.OverdueAt is not null || clock.DueAt is not { } due) return;
        clock.OverdueAt = now;
        if (await Existing(clock, ct) is not null) return;
        var breach = new SlaBreach
        {
            ClockId = clock.Id, ClockRef = clock, WorkOrderId = order.Id, BranchId = order.BranchId, Clock = clock.Name, RuleId = clock.RuleId, IsTarget = clock.IsTarget,
            ResponsibleUserId = clock.ResponsibleUserId, ResponsibleRole = clock.ResponsibleRole, DueAt = due, DetectedAt = now,
        };
        Add(breach);
        _breaches[clock] = breach;
        var title = Msg.Of(clock.IsTarget ? "{0}: {1} target missed" : "{0}: {1} overdue", order.Code, Label(clock));
        Queue(now, clock.IsTarget ? "slaTargetMissed" : "slaBreach", order.BranchId, order.Id, title,
            Msg.Of("{0} was due at {1} ({2}).", Label(clock), await Local(due, order, ct), clock.RuleId), [clock.ResponsibleUserId], clock.IsTarget ? [Roles.Dispatcher] : Chain(clock, order));
        if (clock.IsTarget || clock.ResponsibleUserId is not int person) return;

        if (clock.PenaltyKey is { } key && await Propose(clock, order, policy, key, person, now, ct) is { } proposal)
        {
            var finding = new PenaltyFinding(policy, proposal.Rule, person, order.BranchId, now, Evidence(clock, order, due, null))
            {
                WorkOrderId = order.Id, ClockId = clock.Id, Breach = breach, RuleIds = proposal.RuleIds, Amount = proposal.Amount,
            };
            var penalty = ProposePenaltyCase.Build(finding, proposal.Amount, await zones.For(order.BranchId, ct), proposal.Step, proposal.Offence, proposal.PreviousId);
            Add(_cases[clock] = penalty);
            if (proposal.Review is { } opens)
            {
                Add(ProposePenaltyCase.OpenReview(penalty, proposal.Rule, proposal.Step, opens));
                Queue(now, "dismissalReview", order.BranchId, order.Id, Msg.Of("Dismissal to review"),
                    Msg.Of("{0}: collected money was again not handed in on time (FEE-06); please review.", order.Code), [], [Roles.Manager]);
            }
        }
        if (clock.Name == Clocks.Completion && policy.OverdueCountPerMonthRevokingEligibility is { } threshold)
            await Count(person, order, "overdueOrders", "CMP-05", threshold, now, ct);
        if (clock.Name == Clocks.Visit && policy.NoVisitCountPerMonthRevokingEligibility is { } noVisits)
            await Count(person, order, "noVisits", "DSP-09", noVisits, now, ct);
    }

    /// <summary>
    /// A complaint's resolve clock (CPL-16/17) is due: the warning at the progress-check point to the owner's role, then the
    /// breach record, escalated to the manager. It has no work order; the clock carries the branch and the owner's role.
    /// </summary>
    public async Task ComplaintDue(SlaClock clock, DateTimeOffset now, CancellationToken ct)
    {
        if (!clock.Warned && clock.WarnAt <= now)
        {
            clock.Warned = true;
            Queue(now, "complaintWarning", clock.BranchId, null, Msg.Of("Complaint #{0}: {1} due soon", clock.ComplaintId, Label(clock)),
                Msg.Of("{0} is due at {1} ({2}).", Label(clock), await Local(clock.DueAt, clock.BranchId, ct), clock.RuleId), [clock.ResponsibleUserId], [clock.ResponsibleRole]);
        }
        if (clock.OverdueAt is null && clock.DueAt <= now) await ComplaintOverdue(clock, now, ct);
    }

    /// <summary>A complaint resolved at or after its deadline: the breach (recorded now if the timer had not yet) keeps the actual time.</summary>
    public async Task ComplaintStopped(SlaClock clock, DateTimeOffset now, CancellationToken ct)
    {
        if (clock.OverdueAt is null) await ComplaintOverdue(clock, now, ct);
        if (await Existing(clock, ct) is { } breach) breach.ActualAt = now;
    }

    private async Task ComplaintOverdue(SlaClock clock, DateTimeOffset now, CancellationToken ct)
    {
        if (clock.DueAt is not { } due) return;
        clock.OverdueAt = now;
        if (await Existing(clock, ct) is not null) return;
        Add(_breaches[clock] = new SlaBreach
        {
            ClockId = clock.Id, ClockRef = clock, ComplaintId = clock.ComplaintId, BranchId = clock.BranchId, Clock = clock.Name, RuleId = clock.RuleId,
            IsTarget = clock.IsTarget, ResponsibleUserId = clock.ResponsibleUserId, ResponsibleRole = clock.ResponsibleRole, DueAt = due, DetectedAt = now,
        });
        Queue(now, "complaintOverdue", clock.BranchId, null, Msg.Of("Complaint #{0}: {1} overdue", clock.ComplaintId, Label(clock)),
            Msg.Of("{0} was due at {1} ({2}).", Label(clock), await Local(due, clock.BranchId, ct), clock.RuleId), [clock.ResponsibleUserId], [clock.ResponsibleRole, Roles.Manager]);
    }

    private sealed record Proposal(PenaltyRule Rule, string RuleIds, decimal Amount, LadderStep? Step = null, int? Offence = null, long? PreviousId = null,
        PenaltyAction? Review = null);

    /// <summary>The fine a breached clock proposes, from the policy's typed rule; null when the rule needs a complaint or verification first.</summary>
    private async Task<Proposal?> Propose(SlaClock clock, WorkOrder order, CompanyPolicy policy, string key, int person, DateTimeOffset now, CancellationToken ct)
    {
        switch (key)
        {
            case "partNotReturned": // PRT-01: the amount is a parameter, not a penalties[] entry; the fine is PEN-03's, so a
                                    // policy without that rule (an empty penalties list: Jinlong, ccec …) fines nothing (A12)
                return policy.Rule("partsNotReturned") is not null && policy.PartNotReturnedFinePerOrder is { } perOrder
                    ? new Proposal(PenaltyRule.OfParameter(key, "PRT-01", perOrder), "PRT-01", perOrder) : null;
            case "collectedFeeNotRemitted": // FEE-06/PEN-11: its ladder: 1st offence 5 × the amount withheld; 2nd: a dismissal review
            {
                if (policy.Rule(key) is not { } fee) return null;
                var (offence, previous) = await ProposePenaltyCase.Offences(db, policy, key, person, now, await zones.For(order.BranchId, ct), ct);
                var step = fee.StepFor(offence, null);
                var withheld = (await db.Set<WorkOrderCharge>().Where(c => c.WorkOrderId == order.Id).Select(c => c.Amount).ToListAsync(ct)).Sum();
                var finding = new PenaltyFinding(policy, fee, person, order.BranchId, now, "{}") { BaseAmount = withheld };
                var amount = offence == 1 && policy.UnremittedFeeFirstOffenceMultiplier is { } multiplier
                    ? withheld * multiplier : ProposePenaltyCase.AmountOf(finding, step);
                return new Proposal(fee, fee.RuleIdList + ",FEE-06", amount, step, offence, previous,
                    ProposePenaltyCase.EffectiveActions(fee, step).FirstOrDefault(a => a.OpensReview));
            }
            default:
                return policy.Rule(key) is { Condition: PenaltyCondition.None } rule
                    ? new Proposal(rule, rule.RuleIdList, Amount(clock, policy, rule, severe: false))
                    : null;
        }
    }

    /// <summary>Past the severe threshold (48 h): the proposed fine becomes the severe one (80, or 110 when fines add up).</summary>
    public async Task Severe(SlaClock clock, CompanyPolicy policy, CancellationToken ct)
    {
        clock.SevereApplied = true;
        var penalty = await CaseOf(clock, ct);
        if (penalty is { State: PenaltyState.Proposed } && policy.Rule(penalty.PenaltyKey) is { } rule)
            penalty.Amount = Amount(clock, policy, rule, severe: true);
    }

    /// <summary>A clock stopped after its deadline: keep the actual time on the breach and settle the fine.</summary>
    public async Task Stopped(SlaClock clock, WorkOrder order, CompanyPolicy policy, DateTimeOffset now, CancellationToken ct)
    {
        if (clock.OverdueAt is null) await Overdue(clock, order, policy, now, ct);
        if (await Existing(clock, ct) is { } breach) breach.ActualAt = now;
        if (clock.SevereAt is { } severeAt && now > severeAt && !clock.SevereApplied) await Severe(clock, policy, ct);
        // condition "none": the fine is certain once the order is done, so it confirms without a supervisor.
        var penalty = await CaseOf(clock, ct);
        if (penalty is { State: PenaltyState.Proposed, Condition: "none" })
        {
            penalty.EvidenceJson = Evidence(clock, order, clock.DueAt!.Value, now);
            await penalties.Confirm(penalty, "system", ProposePenaltyCase.Note(Msg.Of("condition none: confirmed automatically when the order was done")), now, null, ct);
        }
    }

    private async Task Count(int person, WorkOrder order, string kind, string ruleId, int threshold, DateTimeOffset now, CancellationToken ct)
    {
        var local = BranchTime.Local(now, await zones.For(order.BranchId, ct));
        var month = new DateOnly(local.Year, local.Month, 1);
        if (!_counters.TryGetValue((person, month, kind), out var counter))
        {
            // Counters are read, then changed: they stay in the change tracker (a few rows per batch), not in the new rows.
            counter = _countersPreloaded.Contains((person, month)) ? null
                : await db.EligibilityCounters.FirstOrDefaultAsync(c => c.PersonUserId == person && c.Month == month && c.Kind == kind, ct);
            if (counter is null) db.EligibilityCounters.Add(counter = new EligibilityCounter { PersonUserId = person, BranchId = order.BranchId, Month = month, Kind = kind });
            _counters[(person, month, kind)] = counter;
        }
        counter.Count++;
        counter.Evidence = [.. counter.Evidence, order.Id];
        if (counter.Count < threshold || counter.RevokedAt is not null) return;
        counter.RevokedAt = now;
        counter.RuleId = ruleId;
        Queue(now, "eligibilityRevoked", order.BranchId, order.Id, Msg.Of("Evaluation eligibility for {0} revoked", month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)),
            Msg.Of("{0} ({1}): this month's evaluation eligibility is revoked.", Msg.Of("The {0}th time this month: {1}", counter.Count, Msg.Code("eligibility", kind)), ruleId), [person], [Roles.Manager]);
    }

    // What this unit of work knows per clock (by reference: a clock may not be saved yet). DbSet.Local is avoided on
    // purpose: every access runs DetectChanges over the whole context, which made a 1,000-clock tick quadratic.
    private readonly Dictionary<SlaClock, SlaBreach?> _breaches = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<SlaClock, PenaltyCase?> _cases = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(int, DateOnly, string), EligibilityCounter> _counters = [];
    private readonly HashSet<(int, DateOnly)> _countersPreloaded = [];
    private List<object>? _newRows;

    /// <summary>
    /// From now on, rows this handler creates (breaches, penalty cases, dismissal reviews, outbox messages) go to
    /// <paramref name="rows"/> instead of the change tracker, for the timer to write set-based in its transaction.
    /// </summary>
    public void CollectNewRowsIn(List<object> rows) => _newRows = rows;

    private void Add(object row)
    {
        if (_newRows is null) db.Add(row);
        else _newRows.Add(row);
    }

    private void Queue(DateTimeOffset now, string kind, int branchId, long? workOrderId, Msg title, Msg body, IEnumerable<int?> users, IEnumerable<string> roles) =>
        Add(Notify.Message(now, kind, branchId, workOrderId, title, body, users, roles));

    /// <summary>
    /// Loads the breaches, cases and this month's eligibility counters of a batch of clocks in a few queries, so a tick
    /// of 1,000 clocks is not thousands of queries.
    /// </summary>
    public async Task Preload(IReadOnlyList<SlaClock> clocks, DateTimeOffset now, CancellationToken ct)
    {
        var byId = clocks.Where(c => c.Id != 0).ToDictionary(c => c.Id);
        foreach (var chunk in byId.Keys.Chunk(500))
        {
            var breaches = await db.SlaBreaches.Where(b => chunk.Contains(b.ClockId)).ToDictionaryAsync(b => b.ClockId, ct);
            var cases = await db.PenaltyCases.Where(c => c.ClockId != null && chunk.Contains(c.ClockId.Value)).ToDictionaryAsync(c => c.ClockId!.Value, ct);
            foreach (var id in chunk)
            {
                _breaches[byId[id]] = breaches.GetValueOrDefault(id);
                _cases[byId[id]] = cases.GetValueOrDefault(id);
            }
        }
        var months = new HashSet<DateOnly>();
        foreach (var branch in clocks.Select(c => c.BranchId).Distinct())
        {
            var local = BranchTime.Local(now, await zones.For(branch, ct));
            months.Add(new DateOnly(local.Year, local.Month, 1));
        }
        var people = clocks.Select(c => c.ResponsibleUserId).OfType<int>().Distinct().ToList();
        foreach (var chunk in people.Chunk(500))
        {
            foreach (var counter in await db.EligibilityCounters.Where(c => chunk.Contains(c.PersonUserId) && months.Contains(c.Month)).ToListAsync(ct))
                _counters[(counter.PersonUserId, counter.Month, counter.Kind)] = counter;
            foreach (var person in chunk) foreach (var month in months) _countersPreloaded.Add((person, month));
        }
    }

    private async Task<SlaBreach?> Existing(SlaClock clock, CancellationToken ct)
    {
        if (_breaches.TryGetValue(clock, out var known)) return known;
        return _breaches[clock] = clock.Id == 0 ? null : await db.SlaBreaches.FirstOrDefaultAsync(b => b.ClockId == clock.Id, ct);
    }

    private async Task<PenaltyCase?> CaseOf(SlaClock clock, CancellationToken ct)
    {
        if (_cases.TryGetValue(clock, out var known)) return known;
        return _cases[clock] = clock.Id == 0 ? null : await db.PenaltyCases.FirstOrDefaultAsync(c => c.ClockId == clock.Id, ct);
    }

    /// <summary>The fine for an overdue order: the base amount, or the severe one past 48 h (both when the policy adds them up).</summary>
    private static decimal Amount(SlaClock clock, CompanyPolicy policy, PenaltyRule rule, bool severe)
    {
        // The completion parameters (overdueFineCNY, severe, cumulative) are the overdue-order fine's; any other rule's amount is its own.
        if (clock.Name != Clocks.Completion) return rule.Amount ?? 0m;
        var baseAmount = policy.OverdueFine ?? rule.Amount ?? 0m;
        if (!severe) return baseAmount;
        var severeAmount = policy.SevereOverdueFine
            ?? rule.Escalation.Select(e => e.Amount).FirstOrDefault(a => a is not null) ?? baseAmount;
        return policy.OverdueFinesCumulative ? baseAmount + severeAmount : severeAmount;
    }

    private static string Evidence(SlaClock clock, WorkOrder order, DateTimeOffset due, DateTimeOffset? actual) => JsonSerializer.Serialize(new
    {
        workOrder = order.Code, clock = clock.Name, clock.RuleId, startedAt = clock.StartedAt, dueAt = due, actualAt = actual,
        lateMinutes = actual is { } a ? Math.Round((a - due).TotalMinutes) : (double?)null,
    }, JsonSerializerOptions.Web);

    private static Msg Label(SlaClock clock) => Msg.Code("clock", clock.Name);

    /// <summary>A deadline as the branch reads it, in its own time zone.</summary>
    private Task<string> Local(DateTimeOffset? t, WorkOrder order, CancellationToken ct) => Local(t, order.BranchId, ct);

    private async Task<string> Local(DateTimeOffset? t, int branchId, CancellationToken ct) => t is { } v
        ? BranchTime.Local(v, await zones.For(branchId, ct)).ToString("MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)
        : "-";
}
