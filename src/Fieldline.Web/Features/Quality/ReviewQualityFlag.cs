using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Quality;

/// <summary><c>assessedCost</c>: what the wrong installation cost (transport, repair, depreciation, re-installation), when known.</summary>
public sealed record ConfirmQualityFlagRequest(string? Note, decimal? AssessedCost, int? Version);

public sealed record DismissQualityFlagRequest(string? Note, int? Version);

/// <summary>
/// The supervisor decides a flag once. Confirming a wrong model on an installation proposes the policy's PEN-52 (INS-01)
/// to the installer through the one penalty factory: the assessed cost, at least the rule's minimum liability (500 CNY,
/// SC-20), left proposed for the manager; a flag the policy has no fine for is only confirmed. Dismissing needs the reason.
/// </summary>
public sealed class ReviewQualityFlag(AppDbContext db, FindQualityFlags find, PolicyStore policies, ProposePenaltyCase penalties, TimeProvider clock)
{
    public async Task<QualityFlagDto> Confirm(CurrentUser user, long id, ConfirmQualityFlagRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("confirm quality flags", FindQualityFlags.Reviewers);
        var v = new Validator().MaxLength(r.Note, 1000, "note");
        if (r.AssessedCost is < 0 or > 1_000_000m || r.AssessedCost is { } c && decimal.Round(c, 2) != c)
            v.Add("assessedCost", "{0} must be between 0.00 and 1000000.00 CNY with at most two decimals.");
        v.ThrowIfInvalid();
        var flag = await Load(user, id, r.Version, ifMatch, ct);
        var now = clock.GetUtcNow();
        flag.Confirm(Trim(r.Note), user.UserId, user.UserName, now);
        var order = await db.WorkOrders.AsNoTracking().Where(o => o.Id == flag.WorkOrderId).Select(o => new { o.Code, o.Type, o.PolicyVersionId }).FirstAsync(ct);
        var policy = await policies.ById(db, order.PolicyVersionId, ct);
        if (flag is { Kind: QualityFlagKinds.ModelMismatch, TechnicianUserId: { } person } && order.Type == WorkOrderType.Install
            && policy.Rule(CompanyPolicy.WrongModelRule) is { } rule)
        {
            var proposed = await penalties.Handle(new PenaltyFinding(policy, rule, person, flag.BranchId, now, new
            {
                workOrder = order.Code, trigger = rule.Trigger, qualityFlag = flag.Id, evidence = System.Text.Json.JsonDocument.Parse(flag.EvidenceJson).RootElement,
                assessedCost = r.AssessedCost, confirmedBy = user.UserName,
            })
            { WorkOrderId = flag.WorkOrderId, Amount = r.AssessedCost, RecordedBy = user.UserName, ConfirmWhenCertain = false }, ct);
            await db.SaveChangesAsync(ct); // the case's id, for the flag to name it
            flag.LinkCase(proposed.Case.Id);
        }
        await db.SaveChangesAsync(ct);
        return await One(flag, ct);
    }

    public async Task<QualityFlagDto> Dismiss(CurrentUser user, long id, DismissQualityFlagRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("dismiss quality flags", FindQualityFlags.Reviewers);
        new Validator().RequiredText(r.Note, 1000, "note").ThrowIfInvalid();
        var flag = await Load(user, id, r.Version, ifMatch, ct);
        flag.Dismiss(r.Note!.Trim(), user.UserId, user.UserName, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return await One(flag, ct);
    }

    private async Task<QualityFlag> Load(CurrentUser user, long id, int? version, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        var flag = await find.Visible(user).FirstOrDefaultAsync(f => f.Id == id, ct) ?? throw new NotFoundException("Quality flag", id);
        Concurrency.Check("Quality flag", flag.Version, version, ifMatch);
        return flag;
    }

    private async Task<QualityFlagDto> One(QualityFlag flag, CancellationToken ct) => (await find.Dtos(db.QualityFlags.Where(f => f.Id == flag.Id), ct)).Single();

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
