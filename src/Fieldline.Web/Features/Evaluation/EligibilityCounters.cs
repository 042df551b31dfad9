using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>Offences that cost the month's evaluation eligibility at once (not by a count threshold).</summary>
public static class EligibilityCounters
{
    /// <summary>Counts the offence in <paramref name="inMonth"/> (the current one when null) and revokes that month, telling the person and the manager.</summary>
    public static async Task Revoke(AppDbContext db, BranchZones zones, int person, int branchId, string kind, string ruleId, IReadOnlyList<long> evidenceOrderIds,
        Msg reason, DateTimeOffset now, CancellationToken ct, DateOnly? inMonth = null)
    {
        var local = BranchTime.Local(now, await zones.For(branchId, ct));
        var month = inMonth ?? new DateOnly(local.Year, local.Month, 1);
        var counter = await db.EligibilityCounters.FirstOrDefaultAsync(c => c.PersonUserId == person && c.Month == month && c.Kind == kind, ct);
        if (counter is null) db.EligibilityCounters.Add(counter = new EligibilityCounter { PersonUserId = person, BranchId = branchId, Month = month, Kind = kind });
        counter.Count++;
        counter.Evidence = [.. counter.Evidence, .. evidenceOrderIds];
        counter.RevokedAt ??= now;
        counter.RuleId ??= ruleId;
        // The person and the manager read the same notice, so it names whose eligibility it is (EVL: auditable, with its trigger).
        var name = await db.Users.AsNoTracking().Where(u => u.Id == person).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        Notify.Queue(db, now, "eligibilityRevoked", branchId, evidenceOrderIds.Count == 1 ? evidenceOrderIds[0] : null, Msg.Of("Evaluation eligibility for {0} revoked", month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)),
            Msg.Of("{0}: {1} ({2}), the evaluation eligibility of {3} is revoked.", name, reason, ruleId, month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)), [person], [Roles.Manager]);
    }
}
