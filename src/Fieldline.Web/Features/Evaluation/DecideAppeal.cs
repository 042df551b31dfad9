using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <param name="Outcome">upheld, reduced or dismissed.</param>
/// <param name="Amount">For reduced: what the person bears now, in CNY (below the fine, at least 0).</param>
public sealed record AppealDecisionRequest(string? Outcome, decimal? Amount, string? Reason, int? Version);

/// <summary>
/// A manager decides an appeal: upheld (the fine stands), reduced, or dismissed, always with a reason. The pay ledger follows
/// by a reversal line that gives back the difference (append-only: the fine's own line is never edited), in the fine's
/// month while it is open, else the first open month after it (a closed month never changes). The person is told.
/// </summary>
public sealed class DecideAppeal(AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock)
{
    public async Task<PenaltyCaseDto> Handle(CurrentUser user, long id, AppealDecisionRequest r, CancellationToken ct)
    {
        user.RequireAny("decide appeals", ManagePenaltyCases.Deciders);
        var v = new Validator().RequiredText(r.Reason, 1000, "reason");
        var outcome = v.Enum<AppealState>(r.Outcome, "outcome", kind: "appeal", allowed: [AppealState.Upheld, AppealState.Reduced, AppealState.Dismissed]);
        var c = await db.PenaltyCases.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null || !user.CanSeeBranch(c.BranchId)) throw new NotFoundException("Penalty case", id);
        if (outcome == AppealState.Reduced && (r.Amount is not { } a || a < 0 || a >= c.Amount || decimal.Round(a, 2) != a))
            v.Add("amount", "{0} is what the person bears after the reduction: at least 0 and below the fine of {1}.", Format.Money(c.Amount));
        else if (outcome != AppealState.Reduced && r.Amount is not null) v.Add("amount", "{0} is only given when the fine is reduced.");
        v.ThrowIfInvalid();
        Concurrency.Check("Penalty case", c.Version, r.Version, null);
        var posting = await db.PayLedger.FirstOrDefaultAsync(e => e.PenaltyCaseId == c.Id, ct);
        if (posting is null) throw new DecisionConflictException(Msg.Of("There is no pending appeal on this penalty case."));
        var now = clock.GetUtcNow();
        var reversal = c.DecideAppeal(outcome!.Value, r.Amount, r.Reason!.Trim(), user.UserName, now, posting, await PayLedger.PeriodFor(db, c.BranchId, posting.Period, ct));
        if (reversal is not null) db.PayLedger.Add(reversal);
        Notify.Queue(db, now, "appealDecided", c.BranchId, c.WorkOrderId, Msg.Of("Your appeal was decided"),
            Msg.Of("{0} ({1}): {2}", Msg.Code("fine", c.PenaltyKey), c.RuleIds.Split(',')[0], Msg.Code("appeal", JsonNames.Of(outcome.Value))), [c.PersonUserId], []);
        await db.SaveChangesAsync(ct);
        return PenaltyCaseDto.From(c, await zones.For(c.BranchId, ct), await policies.ById(db, c.PolicyVersionId, ct));
    }
}
