using System.Text.Json;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>
/// What was found against a person, for the factory to turn into the case the policy sets: the typed rule (already
/// resolved for the person's staff category, <see cref="CompanyPolicy.RuleFor"/>), the person, the evidence, and what
/// the rule's amount may need — a count of units, a base amount, the compressor type, the complaint level.
/// </summary>
public sealed record PenaltyFinding(CompanyPolicy Policy, PenaltyRule Rule, int PersonUserId, int BranchId, DateTimeOffset Now, object Evidence)
{
    /// <summary>The user name of whoever recorded it ("system" for the rules' own findings).</summary>
    public string RecordedBy { get; init; } = "system";

    /// <summary>
    /// The money, when the finding states it rather than the rule: an assessed cost (PEN-52, at least the rule's minimum),
    /// the brand's fine passed on (PEN-78), a share of a split fine (PEN-46), the overdue clock's own amount (PEN-89).
    /// </summary>
    public decimal? Amount { get; init; }

    /// <summary>What an <see cref="AmountFormula"/> multiplies: the private job's price (PEN-08), the money withheld (PEN-11).</summary>
    public decimal? BaseAmount { get; init; }

    /// <summary>fixedSpeed or inverter, for a rule charged by the unit's compressor (PEN-69/70).</summary>
    public string? Compressor { get; init; }

    /// <summary>company or brand, for a rule charged by the complaint's level (CPL-19: PEN-88, PEN-81).</summary>
    public string? ComplaintLevel { get; init; }

    /// <summary>Units of a per-unit rule: stickers, bolts, spots, units, days.</summary>
    public int Count { get; init; } = 1;

    /// <summary>A ladder step the finder names rather than counts: "serious", "intentional", "brandPenalised" …</summary>
    public string? Qualifier { get; init; }

    /// <summary>The ids the case carries when they are more than the rule's own (PEN-11 + FEE-06; a brand fine under two rules).</summary>
    public string? RuleIds { get; init; }

    /// <summary>The day of the offence (branch time); today when not given. Its month's eligibility is the one an action revokes.</summary>
    public DateOnly? OccurredOn { get; init; }

    public long? WorkOrderId { get; init; }
    public long? ClockId { get; init; }
    public SlaBreach? Breach { get; init; }
    public Complaint? Complaint { get; init; }

    /// <summary>The condition is established by the finding itself (a recorded return visit, a verified complaint, the brand's fine).</summary>
    public bool Established { get; init; }

    /// <summary>
    /// False when the use case applies the rule's other actions itself, by its own parameters (a brand fine's eligibility
    /// follows brand.brandFineAlsoRevokesEligibility; a private job's, the day it happened).
    /// </summary>
    public bool ApplyActions { get; init; } = true;

    /// <summary>False to leave even a certain case proposed for a manager (a private job's price is the finder's word, SC-10).</summary>
    public bool ConfirmWhenCertain { get; init; } = true;
}

/// <summary>What the factory made of a finding: the case, the ladder step it applied, and the review it opened.</summary>
public sealed record ProposedPenalty(PenaltyCase Case, LadderStep? Step, DismissalReview? Review);

/// <summary>
/// The one penalty-case factory. Every fine — an SLA clock's, a complaint finding's, a brand's, a private job's, a
/// violation a supervisor records, a return visit's, an attendance or parts rule's — becomes a case here, from the typed
/// rule of the policy version it falls under. Public surface (Features/Evaluation/README.md):
/// <list type="bullet">
/// <item><see cref="Handle"/>: a use case's finding → the case (offence ladder counted, reviews opened, confirmed at once
/// when nothing remains to establish); added to the unit of work, not saved: the caller saves once.</item>
/// <item><see cref="Confirm"/>: the one way a proposed case becomes confirmed (a manager, a verified complaint, a stopped
/// clock): posts its deduction and applies what the rule does besides the money (eligibility, suspension, warning).</item>
/// <item><see cref="Build"/>, <see cref="Offences"/>, <see cref="AmountOf"/>: the pieces, for the SLA timer's set-based batch,
/// which writes its own rows.</item>
/// </list>
/// </summary>
public sealed class ProposePenaltyCase(AppDbContext db, BranchZones zones, PolicyStore policies, People.SuspendTechnician suspensions)
{
    public async Task<ProposedPenalty> Handle(PenaltyFinding f, CancellationToken ct)
    {
        var zone = await zones.For(f.BranchId, ct);
        var (offence, previous) = f.Rule.HasLadder ? await Offences(db, f.Policy, f.Rule.Key, f.PersonUserId, f.Now, zone, ct) : (0, null);
        var step = f.Rule.StepFor(offence, f.Qualifier);
        var penalty = Build(f, AmountOf(f, step), zone, step, f.Rule.HasLadder ? offence : null, previous);
        db.PenaltyCases.Add(penalty);

        DismissalReview? review = null;
        if (EffectiveActions(f.Rule, step).FirstOrDefault(a => a.OpensReview) is { } opens)
        {
            db.DismissalReviews.Add(review = OpenReview(penalty, f.Rule, step, opens));
            Notify.Queue(db, f.Now, "dismissalReview", f.BranchId, f.WorkOrderId, Msg.Of("Dismissal to review"),
                Msg.Of("{0} ({1}), offence {2}: {3}; please review.", Msg.Code("fine", f.Rule.Key), f.Rule.RuleId, Msg.Code("ladderStep", step?.Name ?? "1"), Msg.Code("sanction", opens.Type)),
                [], [Roles.Manager]);
        }
        // A fine that opens a review is the manager's to decide with the review (PEN-79: "dismissal review with a proposed
        // 500 CNY penalty"); any other is certain when its condition is none or the finding established it.
        if (review is null && f.ConfirmWhenCertain && (f.Rule.Condition == PenaltyCondition.None || f.Established))
            await Confirm(penalty, f.RecordedBy, Note(Msg.Of("Confirmed when recorded: {0}", Msg.Code("condition", f.Established ? "established" : f.Rule.Condition))),
                f.Now, f.ComplaintLevel, ct, f.ApplyActions);
        return new ProposedPenalty(penalty, step, review);
    }

    /// <summary>
    /// Confirms a proposed case: its one deduction goes to the pay ledger (<see cref="PenaltyCase.Confirm"/>), and what the
    /// rule or its ladder step does besides the money follows — the month's evaluation eligibility revoked (EVL; only at
    /// the complaint level the rule names), a suspension (ATT-21), a warning to the person.
    /// </summary>
    public async Task Confirm(PenaltyCase penalty, string by, string? note, DateTimeOffset now, string? complaintLevel, CancellationToken ct, bool applyActions = true)
    {
        penalty.Confirm(by, note, now, await PayLedger.PeriodFor(db, zones, penalty, ct));
        if (!applyActions) return;
        var policy = await policies.ById(db, penalty.PolicyVersionId, ct);
        if (policy.Rule(penalty.PenaltyKey) is not { } rule) return; // a synthetic rule (PRT-01) has no actions
        var step = penalty.Step is { } name ? rule.Escalation.FirstOrDefault(s => s.Name == name) : null;
        var orders = penalty.WorkOrderId is { } w ? new[] { w } : [];
        foreach (var action in EffectiveActions(rule, step))
        {
            switch (action.Type)
            {
                case PenaltyAction.RevokeEligibility when LevelMatches(action, complaintLevel):
                    var month = new DateOnly(penalty.OccurredOn.Year, penalty.OccurredOn.Month, 1);
                    // Once per rule and month: a use case that revoked it when the case was proposed (PEN-85) is not counted twice.
                    if (await db.EligibilityCounters.AnyAsync(c => c.PersonUserId == penalty.PersonUserId && c.Month == month && c.RuleId == rule.RuleId && c.RevokedAt != null, ct)) break;
                    await EligibilityCounters.Revoke(db, zones, penalty.PersonUserId, penalty.BranchId, penalty.ComplaintId is null && penalty.Complaint is null ? "violations" : "complaintFines",
                        rule.RuleId, orders, Msg.Code("fine", rule.Key), now, ct, month);
                    break;
                case PenaltyAction.Suspend:
                    // ATT-21/SC-34: the days after the offence; the eligibility rule keeps the person out of dispatch then.
                    var days = action.Days ?? policy.SuspensionDays;
                    if (await suspensions.FromRule(penalty.PersonUserId, penalty.OccurredOn, days, rule.Key, rule.RuleId, by, now, ct) is null)
                        Notify.Queue(db, now, "suspension", penalty.BranchId, penalty.WorkOrderId, Msg.Of("Suspension of {0} days", days),
                            Msg.Of("{0} ({1}): suspended from work for {2} days.", Msg.Code("fine", rule.Key), rule.RuleId, days),
                            [penalty.PersonUserId], [Roles.Dispatcher, Roles.Manager]);
                    break;
                case PenaltyAction.Warning or PenaltyAction.SeriousWarning:
                    Notify.Queue(db, now, action.Type, penalty.BranchId, penalty.WorkOrderId, Msg.Code("sanction", action.Type),
                        Msg.Of("{0} ({1}): {2}", Msg.Code("fine", rule.Key), rule.RuleId, Msg.Code("sanction", action.Type)), [penalty.PersonUserId], []);
                    break;
            }
        }
    }

    /// <summary>
    /// The person's earlier cases of the rule in the policy's repeat-offence window (rolling 12 months, or the calendar
    /// month; regulations.md A11), not dismissed: which offence this one is, and the latest earlier case to link.
    /// </summary>
    public static async Task<(int Offence, long? PreviousId)> Offences(AppDbContext db, CompanyPolicy policy, string ruleKey, int person, DateTimeOffset now,
        TimeZoneInfo zone, CancellationToken ct)
    {
        var since = policy.OffenceWindowStart(now, zone);
        var earlier = await db.PenaltyCases.AsNoTracking()
            .Where(c => c.PersonUserId == person && c.PenaltyKey == ruleKey && c.State != PenaltyState.Dismissed && c.CreatedAt >= since)
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Select(c => c.Id).ToListAsync(ct);
        return (earlier.Count + 1, earlier.Count == 0 ? null : earlier[0]);
    }

    /// <summary>
    /// The money of a finding: what it states itself, else the ladder step's (none on a step that only warns, suspends or
    /// opens a review), else the rule's — by complaint level, fixed, a formula, or the subsidy it forfeits — times the
    /// units of a per-unit rule; at least the minimum an assessed charge names (PEN-52 min 500).
    /// </summary>
    public static decimal AmountOf(PenaltyFinding f, LadderStep? step)
    {
        var rule = f.Rule;
        decimal? amount = f.Amount;
        if (amount is null)
        {
            var unit = step is not null
                ? step.Amount ?? Formula(step.Formula, f) ?? 0m
                : (f.ComplaintLevel is { } level && rule.AmountByComplaintLevel.TryGetValue(level, out var byLevel) ? byLevel : (decimal?)null)
                  ?? rule.Amount ?? Formula(rule.Formula, f) ?? rule.Action(PenaltyAction.ForfeitSubsidy)?.Amount ?? 0m;
            amount = unit * (rule.IsPerUnit ? Math.Max(1, f.Count) : 1);
        }
        var minimum = EffectiveActions(rule, step).Where(a => a.IsAssessedCharge).Select(a => a.MinAmount).Max();
        return decimal.Round(Math.Max(amount.Value, minimum ?? 0m), 2);
    }

    private static decimal? Formula(AmountFormula? formula, PenaltyFinding f) => formula switch
    {
        { Factor: { } factor } when f.BaseAmount is { } b => factor * b,
        { ByCompressorType.Count: > 0 } when f.Compressor is { } c && formula.ByCompressorType.TryGetValue(c, out var byType) => byType,
        _ => null,
    };

    /// <summary>The case itself, not added anywhere: the SLA timer writes it in its own batch, <see cref="Handle"/> adds it.</summary>
    public static PenaltyCase Build(PenaltyFinding f, decimal amount, TimeZoneInfo zone, LadderStep? step = null, int? offence = null, long? previousCaseId = null) =>
        PenaltyCase.Create(f, amount, f.OccurredOn ?? Infrastructure.Http.BranchTime.Today(f.Now, zone),
            f.Evidence as string ?? JsonSerializer.Serialize(f.Evidence, JsonSerializerOptions.Web), step, offence, previousCaseId);

    /// <summary>The rule's actions with its ladder step's on top (a step's action of the same type replaces the rule's).</summary>
    public static IReadOnlyList<PenaltyAction> EffectiveActions(PenaltyRule rule, LadderStep? step) =>
        step is null ? rule.Actions : [.. rule.Actions.Where(a => step.Actions.All(s => s.Type != a.Type)), .. step.Actions];

    /// <summary>
    /// A review a rule opens (DSM): never acted on automatically, linked to the case and its evidence. An action the
    /// source leaves unspecified by level (Binchun's 「投诉到将取消考评资格」) is read as "to the company" (regulations.md A13).
    /// </summary>
    public static DismissalReview OpenReview(PenaltyCase penalty, PenaltyRule rule, LadderStep? step, PenaltyAction action)
    {
        // The review names the DSM trigger (regulations.md §25) beside the fine's own ids, and the evidence is the case's.
        var dsm = DismissalTriggers.For(rule.Key);
        return DismissalReview.Open(penalty, DismissalTriggers.RuleIds(penalty.RuleIds, dsm),
            Msg.Of("{0} — {1} ({2}), offence {3}: {4}", DismissalTriggers.Name(dsm), Msg.Code("fine", rule.Key), rule.RuleId,
                Msg.Code("ladderStep", step?.Name ?? "1"), Msg.Code("sanction", action.Type)));
    }

    /// <summary>A system's decision note, stored as a text that renders in the reader's language (a person's own note is kept as typed).</summary>
    public static string Note(Msg text) => text.ToJson().ToJsonString();

    private static bool LevelMatches(PenaltyAction action, string? complaintLevel) => action.OnlyIfComplaintLevel switch
    {
        null => true,
        { } only when only.StartsWith("unspecified", StringComparison.Ordinal) => complaintLevel is null or "company",
        { } only => only == complaintLevel,
    };
}
