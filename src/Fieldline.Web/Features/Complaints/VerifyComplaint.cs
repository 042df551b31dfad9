using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using System.Text.Json;
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
public sealed class VerifyComplaint(ComplaintAccess access, AppDbContext db, PolicyStore policies, ProposePenaltyCase penalties)
{
    public Task<ComplaintDto> Handle(CurrentUser user, long id, VerifyComplaintRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        new Validator().MaxLength(r.Note, 1000, "note").ThrowIfInvalid();
        return access.Run(user, id, "verify complaints", r.Version, ifMatch, async (complaint, now) =>
        {
            if (r.HarmedCompanyImage == true && (complaint.Type != ComplaintType.StaffAttitudeOrNegligence || complaint.PersonUserId is null))
                throw ValidationFailedException.For("harmedCompanyImage", "{0} applies only to a staff-conduct complaint that names the person (CPL-10).");
            // DSM-17 follows the preset (regulations.md A12): a company whose regulation has no such trigger (Gree, Binchun) opens no review.
            if (r.HarmedCompanyImage == true && !(await policies.ById(db, complaint.PolicyVersionId, ct)).HasDismissalTrigger(ConductTrigger))
                throw ValidationFailedException.For("harmedCompanyImage", "{0}: the policy of this complaint has no probation-or-dismissal review for a verified attitude complaint (DSM-17).");
            complaint.Verify(user.UserName, r.Note, now);
            // EVL: a complaint fine's other actions follow its confirmation (PEN-64/65 for the installer; PEN-72/77 only when the
            // complaint reached the brand: the action's onlyIfComplaintLevel).
            foreach (var penalty in await db.PenaltyCases.Where(c => c.ComplaintId == complaint.Id && c.State == PenaltyState.Proposed).ToListAsync(ct))
                await penalties.Confirm(penalty, user.UserName, ProposePenaltyCase.Note(Msg.Of("Complaint #{0} verified (CPL-20)", complaint.Id)), now, JsonNames.Of(complaint.Level), ct);
            if (r.HarmedCompanyImage == true) await OpenConductReview(complaint, user, now, ct);
        }, ct);
    }

    /// <summary>The policy's key of the DSM-17 trigger (PEN-92 / CPL-10).</summary>
    public const string ConductTrigger = "attitudeComplaintVerified";

    private async Task OpenConductReview(Complaint complaint, CurrentUser user, DateTimeOffset now, CancellationToken ct)
    {
        var policy = await policies.ById(db, complaint.PolicyVersionId, ct);
        var ruleIds = DismissalTriggers.RuleIds(policy.Rule(ConductTrigger)?.RuleIdList ?? "PEN-92,CPL-10", "DSM-17");
        db.DismissalReviews.Add(new DismissalReview
        {
            BranchId = complaint.BranchId, PersonUserId = complaint.PersonUserId!.Value, RuleIds = ruleIds, CreatedAt = now,
            Reason = Msg.Of("{0}: {1}", DismissalTriggers.Name("DSM-17"),
                Msg.Of("Verified complaint #{0}: conduct that harmed the company's image — probation or dismissal, and a fine by severity (CPL-10)", complaint.Id)).ToJson().ToJsonString(),
            EvidenceJson = JsonSerializer.Serialize(new { complaintId = complaint.Id, complaint.Description, verifiedBy = user.UserName, complaint.VerificationNote }, JsonSerializerOptions.Web),
        });
        Notify.Queue(db, now, "dismissalReview", complaint.BranchId, complaint.WorkOrderId, Msg.Of("Probation or dismissal to review"), Msg.Of("Complaint #{0} was verified to have harmed the company's image (CPL-10); please review.", complaint.Id), [], [Roles.Manager]);
    }
}
