using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

public sealed record BrandFineRequest(decimal? Amount, string? Reference, string? Reason, int? Version);

public sealed record BrandFineResult(WorkOrderDto WorkOrder, PenaltyCaseDto? Case, bool EligibilityRevoked);

/// <summary>
/// A fine the brand (the manufacturer, e.g. Gree) imposed on the company for one order. Who bears it is the policy's:
/// with <c>brand.passThroughBrandFines</c>, GOV-07/PEN-78 (<c>brandImposedFine</c>) passes every brand fine to the
/// order's technician and, with <c>brand.brandFineAlsoRevokesEligibility</c>, revokes the month's evaluation eligibility
/// (EVL-13); with <c>parts.nonGenuineReturnedPartAction = technicianBearsAllFines</c>, PRT-03/PEN-91
/// (<c>nonGenuinePartReturned</c>) passes it in full when the warehouse found a part returned from the order
/// non-genuine. Either way it is one case for the technician, with every rule that applies named; otherwise the
/// company keeps the fine (recorded on the timeline, no case).
/// Both rules have condition "none": the recorded brand fine is the evidence, so the case confirms at once.
/// </summary>
public sealed class RecordBrandFine(WorkOrderAccess access, AppDbContext db, PolicyStore policies, BranchZones zones, ProposePenaltyCase penalties)
{
    public static readonly string[] Recorders = [Roles.Manager, Roles.Admin, Roles.Finance];

    public async Task<BrandFineResult> Handle(CurrentUser user, long id, BrandFineRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record brand fines", Recorders);
        var v = new Validator();
        if (r.Amount is not { } amount || amount <= 0 || amount > 1_000_000 || decimal.Round(amount, 2) != amount)
            v.Add("amount", "{0} is the brand's fine in CNY, above 0 with at most two decimals.");
        v.RequiredText(r.Reference, 64, "reference").RequiredText(r.Reason, 500, "reason").ThrowIfInvalid();

        PenaltyCase? penalty = null;
        var revoked = false;
        var dto = await access.Run(user, id, "record a brand fine for", Recorders, r.Version, ifMatch, async (order, actor, now) =>
        {
            order.RecordBrandFine(r.Amount!.Value, r.Reference!.Trim(), r.Reason!.Trim(), actor, now);
            if (order.TechnicianId is not { } technicianId) return;
            var policy = await policies.ById(db, order.PolicyVersionId, ct);
            var passThrough = policy.PassThroughBrandFines ? policy.Rule("brandImposedFine") : null;
            var nonGenuine = order.NonGenuinePartReturned && policy.NonGenuinePartTechnicianBearsFines
                ? policy.Rule("nonGenuinePartReturned") : null;
            if (passThrough is null && nonGenuine is null) return;
            var person = await db.Technicians.Where(t => t.Id == technicianId).Select(t => t.UserId).SingleAsync(ct);
            var rules = new[] { nonGenuine, passThrough }.OfType<PenaltyRule>().ToList();
            var evidence = new
            {
                workOrder = order.Code, brandFine = r.Amount, reference = r.Reference!.Trim(), reason = r.Reason!.Trim(),
                nonGenuinePartReturned = order.NonGenuinePartReturned, recordedBy = user.UserName,
            };
            // Condition none, the brand's fine is the evidence: confirmed at once. Its eligibility follows the brand parameter below.
            penalty = (await penalties.Handle(new PenaltyFinding(policy, rules[0], person, order.BranchId, now, evidence)
            {
                WorkOrderId = order.Id, Amount = r.Amount!.Value, RuleIds = string.Join(",", rules.SelectMany(x => x.RuleIds).Distinct()),
                RecordedBy = "system", Established = true, ApplyActions = false,
            }, ct)).Case;
            Notify.Queue(db, now, "brandFine", order.BranchId, order.Id, Msg.Of("{0}: a fine from the brand of {1}", order.Code, Format.Money(r.Amount!.Value)),
                Msg.Of("The brand fined this order {0}; you bear it ({1}).", Format.Money(r.Amount!.Value), penalty.RuleIds), [person], [Roles.Manager]);
            if (passThrough is not null
                && (policy.BrandFineAlsoRevokesEligibility ?? passThrough.Action(PenaltyAction.RevokeEligibility) is not null))
            {
                await EligibilityCounters.Revoke(db, zones, person, order.BranchId, "brandFines", "EVL-13", [order.Id], Msg.Of("A fine from the brand"), now, ct);
                revoked = true;
            }
        }, ct);
        return new BrandFineResult(dto, penalty is null ? null : PenaltyCaseDto.From(penalty, await zones.For(penalty.BranchId, ct)), revoked);
    }
}
