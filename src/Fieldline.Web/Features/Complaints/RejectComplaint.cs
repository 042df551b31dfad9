using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Complaints;

public sealed record RejectComplaintRequest(string? Reason, int? Version);

/// <summary>
/// CPL-20: the complaint is not upheld; the fines that rested on it are dismissed, and a daily bonus it cost the technician
/// after the month's close is paid back (SC-33, RWD-01: <see cref="PayBackDailyBonus"/>). It still gets an answer (resolve).
/// </summary>
public sealed class RejectComplaint(ComplaintAccess access, AppDbContext db, PayBackDailyBonus bonuses)
{
    public Task<ComplaintDto> Handle(CurrentUser user, long id, RejectComplaintRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        new Validator().RequiredText(r.Reason, 1000, "reason").ThrowIfInvalid();
        return access.Run(user, id, "reject complaints", r.Version, ifMatch, async (complaint, now) =>
        {
            complaint.Reject(user.UserName, r.Reason!, now);
            foreach (var penalty in await db.PenaltyCases.Where(c => c.ComplaintId == complaint.Id && c.State == PenaltyState.Proposed).ToListAsync(ct))
                penalty.Dismiss(user.UserName, $"complaint {complaint.Id} rejected: {r.Reason}", now);
            await bonuses.Handle(complaint, user.UserName, now, ct);
        }, ct);
    }
}
