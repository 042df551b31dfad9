using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Complaints;

public sealed record ResolveComplaintRequest(string? Outcome, bool? CustomerNotified, int? Version);

/// <summary>
/// The outcome, given to the customer (CPL-07, CPL-08: required when the policy says <c>complaints.notifyCustomerOfOutcome</c>),
/// stops the resolve clock: met within 24 h (72 h for a departed customer), breached after.
/// </summary>
public sealed class ResolveComplaint(ComplaintAccess access, AppDbContext db, PolicyStore policies, SlaEngine sla)
{
    public Task<ComplaintDto> Handle(CurrentUser user, long id, ResolveComplaintRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        var v = new Validator().RequiredText(r.Outcome, 2000, "outcome");
        if (r.CustomerNotified is null) v.Add("customerNotified", "{0} is required: was the customer told the outcome (CPL-08)?");
        v.ThrowIfInvalid();
        return access.Run(user, id, "resolve complaints", r.Version, ifMatch, async (complaint, now) =>
        {
            var policy = await policies.ById(db, complaint.PolicyVersionId, ct);
            if (r.CustomerNotified == false && policy.NotifyCustomerOfOutcome)
                throw ValidationFailedException.For("customerNotified", "The policy in force (version {1}) requires telling the customer the outcome before the complaint is resolved (CPL-08).", policy.Number);
            complaint.Resolve(user.UserName, r.Outcome!.Trim(), r.CustomerNotified!.Value, now);
            await sla.StopComplaint(complaint, now, ct);
        }, ct);
    }
}
