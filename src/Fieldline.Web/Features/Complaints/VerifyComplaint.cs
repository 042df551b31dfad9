using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Complaints;

/// <param name="HarmedCompanyImage">CPL-10 / PEN-92: the verified conduct harmed the company's image; opens a probation-or-dismissal review.</param>
public sealed record VerifyComplaintRequest(string? Note, bool? HarmedCompanyImage, int? Version);

/// <summary>
/// CPL-20: the complaint is true. The fines that waited for it (PEN-13, PEN-88) are confirmed. When the verifier finds
/// that a staff member's conduct harmed the company's image (CPL-10), a review of probation or dismissal is opened for
/// the manager (PEN-92): dismissal is never automatic.
/// </summary>
public sealed class VerifyComplaint(ComplaintAccess access, AppDbContext db, PolicyStore policies, BranchZones zones)
{
    public Task<ComplaintDto> Handle(CurrentUser user, long id, VerifyComplaintRequest r, int? ifMatch, CancellationToken ct)
    {
        new Validator().MaxLength(r.Note, 1000, "note").ThrowIfInvalid();
        return access.Run(user, id, "verify complaints", r.Version, ifMatch, async (complaint, now) =>
        {
            if (r.HarmedCompanyImage == true && (complaint.Type != ComplaintType.StaffAttitudeOrNegligence || complaint.PersonUserId is null))
                throw ValidationFailedException.For("harmedCompanyImage", "{0} applies only to a staff-conduct complaint that names the person (CPL-10).");
            complaint.Verify(user.UserName, r.Note, now);
            foreach (var penalty in await db.PenaltyCases.Where(c => c.ComplaintId == complaint.Id && c.State == PenaltyState.Proposed).ToListAsync(ct))
            {
                penalty.Confirm(user.UserName, $"complaint {complaint.Id} verified (CPL-20)", now, await PayLedger.PeriodFor(db, zones, penalty, ct));
                await RevokeEligibilityIfTheRuleSays(complaint, penalty, now, ct);
            }
            if (r.HarmedCompanyImage == true) await OpenConductReview(complaint, user, now, ct);
        }, ct);
    }

    /// <summary>
    /// EVL: some complaint fines also cost the month's evaluation eligibility (PEN-64/65 for the installer; PEN-72/77 only
    /// when the complaint reached the brand): the rule's <c>revokeEvaluationEligibility</c> action, with its
    /// <c>onlyIfComplaintLevel</c>, read from the policy version the case was proposed under.
    /// </summary>
    private async Task RevokeEligibilityIfTheRuleSays(Complaint complaint, PenaltyCase penalty, DateTimeOffset now, CancellationToken ct)
    {
        var rule = (await policies.ById(db, penalty.PolicyVersionId, ct)).Penalty(penalty.PenaltyKey);
        var revoke = rule is null ? null : CompanyPolicy.Action(rule, "revokeEvaluationEligibility");
        if (revoke is null || (string?)revoke["onlyIfComplaintLevel"] is { } level && level != JsonNames.Of(complaint.Level)) return;
        await EligibilityCounters.Revoke(db, zones, penalty.PersonUserId, penalty.BranchId, "complaintFines", penalty.RuleIds.Split(',')[0],
            complaint.WorkOrderId is { } order ? [order] : [], Msg.Of("Complaint #{0} verified", complaint.Id), now, ct);
    }

    private async Task OpenConductReview(Complaint complaint, CurrentUser user, DateTimeOffset now, CancellationToken ct)
    {
        var policy = await policies.ById(db, complaint.PolicyVersionId, ct);
        var rule = policy.Penalty("attitudeComplaintVerified");
        var ruleIds = rule is null ? "PEN-92,CPL-10" : CompanyPolicy.RuleIds(rule);
        db.DismissalReviews.Add(new DismissalReview
        {
            BranchId = complaint.BranchId, PersonUserId = complaint.PersonUserId!.Value, RuleIds = ruleIds, CreatedAt = now,
            Reason = $"Verified complaint {complaint.Id}: conduct that harmed the company's image — probation (留厂察看) or dismissal, and a fine by severity (CPL-10)",
            EvidenceJson = JsonSerializer.Serialize(new { complaintId = complaint.Id, complaint.Description, verifiedBy = user.UserName, complaint.VerificationNote }, JsonSerializerOptions.Web),
        });
        Notify.Queue(db, now, "dismissalReview", complaint.BranchId, complaint.WorkOrderId, Msg.Of("Probation or dismissal to review"), Msg.Of("Complaint #{0} was verified to have harmed the company's image (CPL-10); please review.", complaint.Id), [], [Roles.Manager]);
    }
}
