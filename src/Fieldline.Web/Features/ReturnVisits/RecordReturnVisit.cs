using System.Text.Json;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.ReturnVisits;

/// <summary>
/// The return visit: <c>outcome</c> reached / unreachable / refused, the script's <c>answers</c> by question key (yes/no as
/// true/false, counts and amounts as numbers), <c>satisfaction</c> 1–5 when reached, <c>remarks</c>. The older form
/// (<c>reached</c>, <c>findings</c>, <c>notes</c>) is still read.
/// </summary>
public sealed record ReturnVisitRequest(string? Outcome, Dictionary<string, JsonElement>? Answers, int? Satisfaction, string? Remarks, int? Version,
    bool? Reached = null, List<string>? Findings = null, string? Notes = null);

/// <summary>What one visit found and proposed, for the page that recorded it.</summary>
/// <param name="Fines">Each fine the visit confirmed, by its name and rule id: 未贴公司售后服务贴（PEN-32）.</param>
public sealed record VisitResult(WorkOrderDto Order, IReadOnlyList<Msg> Fines, bool ChargeMismatch);

/// <summary>
/// Records one return-visit attempt (RV-01, RV-05, RV-06, RV-10) as an append-only <see cref="ReturnVisit"/> and acts on
/// it in the same save: reached or refused ends the follow-up (the order becomes visited, its RV-01 clock stops); an
/// unreachable customer is called again once returnVisit.retryAfterMinutes have passed (an earlier unanswered call is a
/// 409 naming when the next may be made), up to returnVisit.maxAttempts tries — the last unanswered try ends the
/// follow-up too (visited, not reached: RV-09 tracks it to completion, and the manager closes the order). Each "no" the order's policy fines
/// becomes a case through <see cref="ProposePenaltyCase"/> — the visit is the verification its condition asks for, so
/// the case is confirmed as it is made (SC-16) — exactly once per rule per order, whatever later visits say. A charge the
/// customer reports differently from the order's own lines proposes RV-06's fine and flags the order for the complaint desk.
/// </summary>
public sealed class RecordReturnVisit(WorkOrderAccess access, AppDbContext db, PolicyStore policies, ProposePenaltyCase penalties, BranchZones zones)
{
    public static readonly string[] AllowedRoles = [Roles.ReturnVisitAgent];

    public const string Reached = "reached";
    public const string Unreachable = "unreachable";
    public const string Refused = "refused";

    public async Task<WorkOrderDto> Handle(CurrentUser user, long id, ReturnVisitRequest r, IfMatchVersions? ifMatch, CancellationToken ct) =>
        (await Record(user, id, r, ifMatch, ct)).Order;

    public async Task<VisitResult> Record(CurrentUser user, long id, ReturnVisitRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record a return visit", AllowedRoles);
        var outcome = Validate(r);
        var proposed = new List<Msg>();
        var mismatch = false;
        WorkOrderDto dto;
        try
        {
            dto = await access.Run(user, id, "record a return visit for", AllowedRoles, r.Version, ifMatch, async (order, actor, now) =>
            {
                (proposed, mismatch) = await Apply(order, outcome, r, "agent", actor, now, ct);
            }, ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "ReturnVisits"))
        {
            throw RecordedMeanwhile();
        }
        return new VisitResult(dto, proposed, mismatch);
    }

    /// <summary>
    /// Two visits of one order saved at once (the customer answers through the link while the agent records the call, two
    /// agents on one order): both read the same attempts and take the same attempt number, so the unique index on
    /// (WorkOrderId, Attempt) lets exactly one through. The other is this 409 (or the order's version refuses it first: 409 too).
    /// </summary>
    internal static ConflictException RecordedMeanwhile() => new(
        Msg.Of("The return visit of this order was recorded by someone else (the customer or another agent) at the same moment. Reload the order to see it."),
        Msg.Of("Recorded meanwhile"));

    /// <summary>The outcome the request names; the request's fields that are malformed whatever the order answer 400, each named.</summary>
    internal static string Validate(ReturnVisitRequest r)
    {
        var v = new Validator("returnVisit");
        var outcome = r.Outcome?.Trim() ?? (r.Reached is { } reached ? (reached ? Reached : Unreachable) : null);
        var outcomes = Msg.Join(new[] { Reached, Unreachable, Refused }.Select(o => Msg.Choice("outcome", o)));
        if (outcome is null) v.Add("outcome", "{0} is required. Allowed: {1}.", outcomes);
        else if (outcome is not (Reached or Unreachable or Refused)) v.Add("outcome", "{0}: '{1}' is not one of the allowed values: {2}.", outcome, outcomes);
        if (outcome == Reached && r.Satisfaction is null) v.Add("satisfaction", "{0} (1–5) is required when the customer was reached.");
        if (r.Satisfaction is < 1 or > 5) v.Add("satisfaction", "{0} must be between 1 and 5.");
        if (outcome is Unreachable or Refused && r.Answers is { Count: > 0 }) v.Add("answers", "{0} are recorded only when the customer was reached.");
        if (r.Answers is { Count: > 30 }) v.Add("answers", "{0}: at most {1} answers.", 30);
        if (r.Findings is { Count: > 20 }) v.Add("findings", "At most 20 findings.");
        foreach (var f in r.Findings ?? [])
            if (string.IsNullOrWhiteSpace(f) || f.Length > 200) v.Add("findings", "Each finding is 1–200 characters.");
        v.MaxLength(r.Remarks, 2000, "remarks").MaxLength(r.Notes, 2000, "notes").ThrowIfInvalid();
        return outcome!;
    }

    /// <summary>
    /// Records the attempt on the loaded order and proposes what it found (not saved: the caller saves once). Shared with
    /// the customer's own answer through the rating link (<paramref name="channel"/> customer).
    /// </summary>
    internal async Task<(List<Msg> Proposed, bool Mismatch)> Apply(WorkOrder order, string outcome, ReturnVisitRequest r, string channel, Actor actor,
        DateTimeOffset now, CancellationToken ct)
    {
        var result = await ApplyVisit(order, outcome, r, channel, actor, now, ct);
        // DSP-28, "closed after return visit": where the order's policy says so (returnVisit.closeWhenVisited), the visit closes
        // the order in the same save instead of leaving it for the manager — unless the customer reported a different charge,
        // which the complaint desk looks into first (RV-06).
        if (order.Status == WorkOrderStatus.Visited && !result.Mismatch && (await policies.ById(db, order.PolicyVersionId, ct)).CloseWhenVisited)
            order.Close(actor, now);
        return result;
    }

    private async Task<(List<Msg> Proposed, bool Mismatch)> ApplyVisit(WorkOrder order, string outcome, ReturnVisitRequest r, string channel, Actor actor,
        DateTimeOffset now, CancellationToken ct)
    {
        var policy = await policies.ById(db, order.PolicyVersionId, ct);
        var script = ReturnVisitScript.For(order.Type, policy);
        var answers = Answers(script, r.Answers);
        var earlier = await db.ReturnVisits.Where(v => v.WorkOrderId == order.Id).Select(v => new { v.Outcome, v.At }).ToListAsync(ct);
        var attempt = earlier.Count + 1;
        var maxAttempts = policy.ReturnVisitMaxAttempts;
        var unreachable = earlier.Where(e => e.Outcome == Unreachable).ToList();
        if (outcome == Unreachable && unreachable.Count >= maxAttempts)
            throw new IllegalTransitionException(order.Status, "record another unreachable call (every try is used) for");
        // returnVisit.retryAfterMinutes: an unanswered call counts as a try only once the wait since the last one is over, so
        // the tries are spread out as the regulation means, not used up within a minute (a customer who answers or calls
        // back may be recorded at any time).
        if (outcome == Unreachable && order.Status == WorkOrderStatus.Completed && unreachable.Count > 0 && unreachable.Max(e => e.At).AddMinutes(policy.ReturnVisitRetryAfterMinutes) is var next && now < next)
            throw new ConflictException(Msg.Of("The customer was last called without answer at {0}; the next call counts from {1} (every {2} minutes, at most {3} tries).",
                Local(unreachable.Max(e => e.At), await zones.For(order.BranchId, ct)), Local(next, await zones.For(order.BranchId, ct)),
                policy.ReturnVisitRetryAfterMinutes, maxAttempts), Msg.Of("Too early to call again"));
        var lastTry = outcome == Unreachable && unreachable.Count + 1 >= maxAttempts;
        var remarks = string.IsNullOrWhiteSpace(r.Remarks ?? r.Notes) ? null : (r.Remarks ?? r.Notes)!.Trim();

        // The order's timeline entry first: Require refuses a visit on an order that is not completed (409) before anything else is added.
        var recorded = order.Charges.Sum(c => c.Amount);
        var reported = answers.TryGetValue(ReturnVisitScript.ChargedAmount, out var said) ? (decimal?)said : null;
        var mismatch = outcome == Reached && reported is { } rep && Math.Abs(rep - recorded) >= 0.01m;
        var proposed = new List<Msg>();
        var findings = outcome == Reached ? Findings(policy, script, answers, mismatch) : [];
        order.RecordReturnVisit(outcome, outcome == Reached ? r.Satisfaction : null, new
        {
            outcome, attempt, visitChannel = channel, scriptVersion = ReturnVisitScript.Version, satisfaction = outcome == Reached ? r.Satisfaction : null,
            answers = answers.Count == 0 ? null : answers, remarks, findings = r.Findings is { Count: > 0 } ? r.Findings : null,
            lastAttempt = lastTry ? true : (bool?)null,
        }, actor, now, lastTry);
        db.ReturnVisits.Add(new ReturnVisit
        {
            WorkOrderId = order.Id, BranchId = order.BranchId, Attempt = attempt, Outcome = outcome, Channel = channel, ScriptVersion = ReturnVisitScript.Version,
            AnswersJson = JsonSerializer.Serialize(answers, JsonSerializerOptions.Web), Satisfaction = outcome == Reached ? r.Satisfaction : null, Remarks = remarks,
            ByUserId = actor.UserId, By = actor.Name, At = now,
        });
        if (outcome != Reached) return (proposed, false);

        if (mismatch)
        {
            order.FlagChargeMismatch(reported!.Value, recorded, actor, now);
            Notify.Queue(db, now, "chargeMismatch", order.BranchId, order.Id, Msg.Of("Charge to look into"),
                Msg.Of("Return visit of {0}: the customer says {1} was charged, the order records {2} (RV-06).", order.Code, Format.Money(reported.Value), Format.Money(recorded)),
                [], [Roles.ComplaintHandler]);
        }
        if (answers.TryGetValue(ReturnVisitScript.RefusedTips, out var refusedTips) && refusedTips == 0m
            && answers.TryGetValue(ReturnVisitScript.TipAmount, out var tip) && tip > 0m)
            Notify.Queue(db, now, "tipRefund", order.BranchId, order.Id, Msg.Of("Tip to return"),
                Msg.Of("Return visit of {0}: the technician accepted a tip of {1}; return it to the customer (RV-05).", order.Code, Format.Money(tip)),
                [], [Roles.Manager]);

        var technicianUser = order.TechnicianId is { } tid ? await db.Technicians.Where(t => t.Id == tid).Select(t => (int?)t.UserId).FirstOrDefaultAsync(ct) : null;
        if (technicianUser is not { } person) return (proposed, mismatch);
        foreach (var (rule, count, questions) in findings)
        {
            // Exactly once per rule per order: a second visit, or the customer's own answer after the agent's, adds no case.
            if (await db.PenaltyCases.AnyAsync(c => c.WorkOrderId == order.Id && c.PenaltyKey == rule.Key, ct)) continue;
            var evidence = new
            {
                workOrder = order.Code, trigger = rule.Trigger,
                returnVisit = new { attempt, at = now, by = actor.Name, visitChannel = channel, scriptVersion = ReturnVisitScript.Version },
                questions, units = count > 1 ? count : (int?)null,
                reportedAmount = rule.Key == ReturnVisitScript.ChargeMismatchRule && mismatch ? reported : null,
                recordedAmount = rule.Key == ReturnVisitScript.ChargeMismatchRule && mismatch ? recorded : (decimal?)null,
            };
            var made = await penalties.Handle(new PenaltyFinding(policy, rule, person, order.BranchId, now, evidence)
            {
                WorkOrderId = order.Id, Established = true, Count = count, RecordedBy = actor.Name,
            }, ct);
            proposed.Add(Msg.Of("{0} ({1})", Msg.Code("fine", rule.Key), made.Case.RuleIds.Split(',')[0]));
        }
        return (proposed, mismatch);
    }

    /// <summary>A time as the branch reads it, to the minute.</summary>
    internal static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        BranchTime.Local(at, zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The answers, checked against the order's script: yes/no as 1/0, counts and amounts as numbers; each bad one named.</summary>
    private static Dictionary<string, decimal> Answers(IReadOnlyList<ScriptQuestionDto> script, Dictionary<string, JsonElement>? given)
    {
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        if (given is null) return result;
        var v = new Validator();
        foreach (var (key, value) in given)
        {
            var field = $"answers.{key}";
            var question = script.FirstOrDefault(q => q.Key == key);
            if (question is null)
            {
                v.Add(field.Length > 80 ? "answers" : field, Msg.Of("{0} is not a question of this order's return-visit script.", Msg.Verbatim(key.Length > 40 ? key[..40] : key)));
                continue;
            }
            decimal? number = question.Kind switch
            {
                ReturnVisitScript.YesNo => value.ValueKind switch
                {
                    JsonValueKind.True => 1m,
                    JsonValueKind.False => 0m,
                    JsonValueKind.String when value.GetString() is "yes" => 1m,
                    JsonValueKind.String when value.GetString() is "no" => 0m,
                    _ => null,
                },
                _ => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) ? d : null,
            };
            if (number is null)
                v.Add(field, question.Kind == ReturnVisitScript.YesNo ? "{0} must be yes or no." : "{0} must be a number.");
            else if (question.Kind == ReturnVisitScript.Count && (number < 0 || number > 50 || number != decimal.Truncate(number.Value)))
                v.Add(field, "{0} must be a whole number from 0 to 50.");
            else if (question.Kind == ReturnVisitScript.Amount && (number < 0 || number > 1_000_000 || decimal.Round(number.Value, 2) != number))
                v.Add(field, "{0} must be an amount from 0 to 1,000,000 with at most two decimals.");
            else if (number is { } n) result[key] = n;
        }
        v.ThrowIfInvalid();
        return result;
    }

    /// <summary>Each rule a "no" (or the charge mismatch) proves, with its unit count and the questions that showed it.</summary>
    private static List<(PenaltyRule Rule, int Count, List<string> Questions)> Findings(CompanyPolicy policy,
        IReadOnlyList<ScriptQuestionDto> script, Dictionary<string, decimal> answers, bool mismatch)
    {
        var found = new List<(PenaltyRule Rule, int Count, List<string> Questions)>();
        void Add(string question, string? ruleKey, int count)
        {
            if (ruleKey is null || policy.Rule(ruleKey) is not { } rule) return;
            var i = found.FindIndex(f => f.Rule.Key == rule.Key);
            if (i < 0) found.Add((rule, count, [question]));
            else found[i].Questions.Add(question);
        }
        foreach (var q in script.Where(q => q.Kind == ReturnVisitScript.YesNo && q.Fine is not null))
        {
            if (!answers.TryGetValue(q.Key, out var a) || a != 0m) continue;
            var units = q.Key == ReturnVisitScript.StickerLeft && answers.TryGetValue(ReturnVisitScript.UnitsWithoutSticker, out var n) && n >= 1 ? (int)n : 1;
            Add(q.Key, q.Fine!.PenaltyKey, units);
        }
        if (mismatch) Add(ReturnVisitScript.ChargedAmount, script.FirstOrDefault(q => q.Key == ReturnVisitScript.ChargedAmount)?.Fine?.PenaltyKey, 1);
        return found;
    }
}
