using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Claims;

public sealed record WarrantyClaimDecision(bool? Approved, string? Reason);

/// <summary>The brand's answer to a claim is recorded (WAR-09): approved, or rejected with its reason (required).</summary>
public sealed class DecideWarrantyClaim(AppDbContext db, TimeProvider clock, FindWarrantyClaims find)
{
    public static readonly string[] Deciders = [Roles.Admin, Roles.Manager, Roles.Supervisor];

    public async Task<WarrantyClaimDto> Handle(CurrentUser user, long id, WarrantyClaimDecision r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record the brand's answer to a claim", Deciders);
        var v = new Validator().MaxLength(r.Reason, 500, "reason");
        if (r.Approved is null) v.Add("approved", "{0} is required.");
        else if (r.Approved == false && string.IsNullOrWhiteSpace(r.Reason)) v.Add("reason", "{0}: a rejected claim needs the brand's reason.");
        v.ThrowIfInvalid();
        var claim = await db.Set<WarrantyClaim>().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (claim is null || !user.CanSeeBranch(claim.BranchId)) throw new NotFoundException("Warranty claim", id);
        Concurrency.Check(Msg.Of("Warranty claim {0}", id), claim.Version, null, ifMatch);
        claim.Decide(r.Approved!.Value, r.Reason?.Trim(), user.UserId, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return await find.One(user, id, ct);
    }
}
