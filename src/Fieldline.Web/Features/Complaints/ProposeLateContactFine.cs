using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using System.Globalization;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Complaints;

/// <summary>
/// PEN-13 / PEN-88 (condition "customerComplaint"): a complaint that nobody contacted or visited in time, about an order
/// whose hard contact deadline passed — DSP-02 <c>contact</c> for installations, DSP-04 <c>contactLimit</c> for repairs —
/// proposes the fine of the order's policy version for the technician who was responsible, at the complaint's level
/// (company 30 / brand 200, CPL-19). The case waits: verifying the complaint confirms it, rejecting it dismisses it.
/// No missed deadline, no fine; a customer the dispatcher also could not reach (DSP-08) exempts the technician, provided
/// he had tried before the deadline. The reason either way is kept on the complaint (<see cref="Complaint.FineNote"/>).
/// </summary>
public sealed class ProposeLateContactFine(AppDbContext db, PolicyStore policies, BreachHandler breaches, Identity.BranchZones zones, ProposePenaltyCase penalties)
{
    private const string LateContactKey = "lateCustomerContactComplaint"; // PEN-13
    private const string FourHourKey = "noContactWithin4h";               // PEN-88

    /// <summary>Adds the proposed case (not saved) or explains on the complaint why there is none. <paramref name="order"/> comes with its timeline.</summary>
    public async Task Handle(Complaint complaint, WorkOrder order, DateTimeOffset now, CancellationToken ct)
    {
        if (!complaint.IsAboutTimeliness) return;
        var policy = await policies.ById(db, order.PolicyVersionId, ct);
        var clocks = await db.SlaClocks.Where(c => c.WorkOrderId == order.Id && !c.IsTarget && (c.Name == Clocks.Contact || c.Name == Clocks.ContactLimit))
            .OrderBy(c => c.Id).ToListAsync(ct);
        var late = clocks.LastOrDefault(c => c.OverdueAt is not null || c.State == ClockState.Breached || (c.State == ClockState.Running && c.DueAt <= now));

        var confirmed = order.Timeline.Where(t => t.Action == "unreachableConfirmed").OrderBy(t => t.At).FirstOrDefault();
        var firstTry = order.Timeline.Where(t => t.Action == "contactFailed").OrderBy(t => t.At).FirstOrDefault();
        if (confirmed is not null && policy.UnreachableCustomerConfirmationExempts
            && (late is null || firstTry?.At < late.DueAt))
        {
            complaint.FineNote = Note(Msg.Of("No fine (DSP-08): the dispatcher {0} confirmed the customer unreachable at {1}.", Msg.Verbatim(confirmed.Actor ?? ""), await Local(confirmed.At, order, ct)));
            return;
        }
        if (late is null)
        {
            complaint.FineNote = Note(clocks.Count == 0
                ? Msg.Of("No fine: the order was never dispatched, so no contact deadline ran (DSP-02/DSP-04).")
                : Msg.Of("No fine: the contact deadline (DSP-02/DSP-04) was not missed."));
            return;
        }
        if (late.ResponsibleUserId is not int person)
        {
            complaint.FineNote = Note(Msg.Of("No fine: no technician was responsible for the missed contact deadline."));
            return;
        }

        var role = StaffCategory.OfOrderType(order.Type == WorkOrderType.Install);
        var rule = policy.RuleFor(LateContactKey, role) ?? policy.RuleFor(FourHourKey, role);
        if (rule is null || rule.Condition != PenaltyCondition.CustomerComplaint || !rule.AppliesTo.Contains(role))
        {
            complaint.FineNote = Note(Msg.Of("No fine: policy version {0} has no late-contact fine for a {1} (PEN-13/PEN-88).", policy.Number, Msg.Code("appliesTo", role)));
            return;
        }
        var level = JsonNames.Of(complaint.Level);
        var amount = rule.AmountByComplaintLevel.TryGetValue(level, out var byLevel) ? byLevel : rule.Amount;
        var ruleIds = rule.RuleIdList;
        if (amount is null)
        {
            complaint.FineNote = Note(Msg.Of("No fine: policy version {0} states no amount for {1} at level {2}.", policy.Number, ruleIds, Msg.Code("complaintLevel", level)));
            return;
        }
        if (await db.PenaltyCases.Where(c => c.ClockId == late.Id).Select(c => new { c.Id, c.ComplaintId }).FirstOrDefaultAsync(ct) is { } existing)
        {
            complaint.FineNote = Note(Msg.Of("No second fine: the late contact already has penalty case {0} (complaint {1}); one case per missed deadline.", existing.Id, existing.ComplaintId?.ToString(CultureInfo.InvariantCulture) ?? "—"));
            return;
        }

        // The timer may not have looked at a deadline that passed moments ago: record its breach now, as it would.
        if (late.OverdueAt is null) await breaches.Overdue(late, order, policy, now, ct);
        var breach = db.SlaBreaches.Local.FirstOrDefault(b => b.ClockId == late.Id) ?? await db.SlaBreaches.FirstOrDefaultAsync(b => b.ClockId == late.Id, ct);
        var evidence = new
        {
            workOrder = order.Code, clock = late.Name, clockRuleId = late.RuleId, startedAt = late.StartedAt, dueAt = late.DueAt,
            contactedAt = late.State == ClockState.Breached ? late.StoppedAt : null,
            lateMinutes = late.DueAt is { } due ? Math.Round(((late.State == ClockState.Breached ? late.StoppedAt : null) ?? now).Subtract(due).TotalMinutes) : (double?)null,
            // Not the complaint's text: the technician reads his own proposed cases, and an open complaint is handled privately (CPL-15).
            complaint = new { type = JsonNames.Of(complaint.Type), level, channel = JsonNames.Of(complaint.Channel), at = complaint.CreatedAt },
        };
        // Condition customerComplaint: the case waits for the complaint's verification.
        await penalties.Handle(new PenaltyFinding(policy, rule, person, order.BranchId, now, evidence)
            { WorkOrderId = order.Id, ClockId = late.Id, Breach = breach, Complaint = complaint, ComplaintLevel = level, Amount = amount }, ct);
        complaint.FineNote = Note(Msg.Of("{0} proposed: {1} CNY ({2}); confirmed when the complaint is verified.", ruleIds.Split(',')[0], amount.Value.ToString("0.00", CultureInfo.InvariantCulture), Msg.Code("complaintLevel", level)));
    }


    /// <summary>Why there is (no) fine, stored as a text that renders in the reader's language (<see cref="StoredText"/>).</summary>
    internal static string Note(Msg text) => text.ToJson().ToJsonString();

    /// <summary>A time as the branch reads it.</summary>
    private async Task<string> Local(DateTimeOffset t, WorkOrder order, CancellationToken ct) =>
        BranchTime.Local(t, await zones.For(order.BranchId, ct)).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);
}
