using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Billing;

/// <param name="Kind"><c>inWarrantyCharge</c> (FEE-08, PEN-87) or <c>overcharge</c> (FEE-04, PEN-10: collected off-system above 2× the standard).</param>
/// <param name="Collected">What the customer paid, in CNY.</param>
/// <param name="StandardPrice">For an overcharge: the standard price of the work (the refund is what was collected above it).</param>
/// <param name="Source">Where it came to light: <c>returnVisit</c>, <c>complaint</c> or <c>audit</c>.</param>
public sealed record ChargeFindingRequest(string? Kind, decimal? Collected, decimal? StandardPrice, string? Source, string? Note);

public sealed record RefundDto(long Id, int BranchId, long WorkOrderId, int PersonUserId, decimal Amount, string RuleId, string Reason, long? PenaltyCaseId,
    DateTimeOffset ProposedAt, string ProposedBy, string State, DateTimeOffset? DecidedAt, string? DecidedBy, string? Note, int Version)
{
    public static RefundDto From(CustomerRefund r, TimeZoneInfo zone) => new(r.Id, r.BranchId, r.WorkOrderId, r.PersonUserId, r.Amount, r.RuleId, r.Reason,
        r.PenaltyCaseId, BranchTime.Local(r.ProposedAt, zone), r.ProposedBy, JsonNames.Of(r.State), BranchTime.Local(r.DecidedAt, zone), r.DecidedBy, r.Note, r.Version);
}

public sealed record ChargeFindingResult(PenaltyCaseDto? Case, RefundDto Refund, bool EligibilityRevoked);

/// <summary>
/// A charge found wrong after the job, by the return visit, a complaint or an audit (SC-23):
/// <list type="bullet">
/// <item>an in-warranty order charged for what should be free (FEE-08): PEN-87 — the whole charge refunded to the customer
/// and the technician's evaluation eligibility of the month revoked (EVL-16); the case is certain and confirmed at once;</item>
/// <item>money collected off-system above 2× the standard (FEE-04): PEN-10's fine (200 CNY) and a refund of the difference
/// to the standard (260 − 120 = 140).</item>
/// </list>
/// The refund is proposed for a manager's decision (<see cref="DecideRefund"/>); the fine goes through the one factory.
/// </summary>
public sealed class RecordChargeFinding(AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock, ProposePenaltyCase penalties)
{
    public static readonly string[] Finders = [Roles.Manager, Roles.Supervisor, Roles.Admin];
    private static readonly string[] Sources = ["returnVisit", "complaint", "audit"];

    public async Task<ChargeFindingResult> Handle(CurrentUser user, long workOrderId, ChargeFindingRequest r, CancellationToken ct)
    {
        user.RequireAny("record a charging finding", Finders);
        var order = await db.WorkOrders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == workOrderId, ct);
        if (order is null || !user.CanSeeBranch(order.BranchId)) throw new NotFoundException("Work order", workOrderId);
        var v = new Validator().MaxLength(r.Note, 500, "note");
        if (r.Kind is not ("inWarrantyCharge" or "overcharge")) v.Add("kind", "{0} must be inWarrantyCharge or overcharge.");
        if (r.Collected is null or <= 0 or > 100_000m || decimal.Round(r.Collected.Value, 2) != r.Collected) v.Add("collected", "{0} must be between 0.00 and 100000.00 CNY with at most two decimals.");
        if (r.Source is not null && !Sources.Contains(r.Source)) v.Add("source", "{0} must be returnVisit, complaint or audit.");
        var policy = await policies.ById(db, order.PolicyVersionId, ct);
        if (r.Kind == "overcharge")
        {
            if (r.StandardPrice is null or <= 0 || decimal.Round(r.StandardPrice.Value, 2) != r.StandardPrice) v.Add("standardPrice", "{0} is the standard price of the work in CNY, above 0.");
            else if (v.IsValid && policy.OverchargeMaxMultiple is { } m && r.Collected <= m * r.StandardPrice)
                v.Add("collected", "{0}: {1} is not more than {2}× the standard price {3}, so it is not an overcharge (FEE-04).", Format.Money(r.Collected!.Value), m, Format.Money(r.StandardPrice.Value));
        }
        else if (r.Kind == "inWarrantyCharge" && !order.InWarranty) v.Add("kind", "{0}: the order is out of warranty.");
        v.ThrowIfInvalid();
        if (order.Status is not (WorkOrderStatus.Completed or WorkOrderStatus.Visited or WorkOrderStatus.Closed))
            throw new IllegalTransitionException(order.Status, "record a charging finding for");
        var person = await db.Technicians.AsNoTracking().Where(t => t.Id == order.TechnicianId).Select(t => (int?)t.UserId).FirstOrDefaultAsync(ct)
            ?? throw new IllegalTransitionException(order.Status, "record a charging finding for");

        var now = clock.GetUtcNow();
        var zone = await zones.For(order.BranchId, ct);
        var inWarranty = r.Kind == "inWarrantyCharge";
        var ruleId = inWarranty ? "PEN-87" : "PEN-10";
        var refundAmount = inWarranty ? r.Collected!.Value : r.Collected!.Value - r.StandardPrice!.Value;
        var evidence = new { workOrder = order.Code, kind = r.Kind, collected = r.Collected, standardPrice = r.StandardPrice, refund = refundAmount, source = r.Source, note = r.Note, recordedBy = user.UserName };
        // One fact about the order: the same finding again (a double click, a browser's retry, a second desk) is refused and
        // names the first, so the technician is fined and the customer refunded once. Checked and saved one finding at a
        // time per technician, which also counts their offences (the PEN-10 ladder) one after the other.
        var (penalty, refund) = await db.SerializedAsync(Lock, person, async () =>
        {
            if (await db.CustomerRefunds.AsNoTracking().Where(x => x.WorkOrderId == order.Id && x.RuleId == ruleId).OrderBy(x => x.Id).FirstOrDefaultAsync(ct) is { } first)
                throw await AlreadyRecorded(order, first, zone, ct);
            PenaltyCase? penalty = null;
            if (policy.RuleWithId(ruleId) is { } rule)
                penalty = (await penalties.Handle(new PenaltyFinding(policy, rule, person, order.BranchId, now, evidence)
                    { WorkOrderId = order.Id, RecordedBy = user.UserName, Established = true }, ct)).Case;
            var refund = new CustomerRefund
            {
                BranchId = order.BranchId, WorkOrderId = order.Id, PersonUserId = person, Amount = refundAmount, RuleId = ruleId,
                Reason = (r.Note?.Trim() is { Length: > 0 } note ? note : r.Kind!), ProposedAt = now, ProposedBy = user.UserName,
            };
            db.CustomerRefunds.Add(refund);
            Notifications.Notify.Queue(db, now, "refundProposed", order.BranchId, order.Id, Msg.Of("Refund to decide"),
                Msg.Of("{0}: a refund of {1} to the customer is proposed ({2}); please decide.", Msg.Verbatim(order.Code), Format.Money(refundAmount), ruleId), [], [Roles.Manager]);
            await db.SaveChangesAsync(ct);
            if (penalty is not null)
            {
                refund.PenaltyCaseId = penalty.Id;
                await db.SaveChangesAsync(ct);
            }
            return (penalty, refund);
        }, ct);
        var month = new DateOnly(BranchTime.Today(now, zone).Year, BranchTime.Today(now, zone).Month, 1);
        var revoked = await db.EligibilityCounters.AnyAsync(c => c.PersonUserId == person && c.Month == month && c.RuleId == ruleId && c.RevokedAt != null, ct);
        return new ChargeFindingResult(penalty is null ? null : PenaltyCaseDto.From(penalty, zone, policy), RefundDto.From(refund, zone), revoked);
    }

    /// <summary>Serialises the findings against one technician (<see cref="AppDbContext.SerializedAsync{T}"/>).</summary>
    private const string Lock = "charge-findings";

    /// <summary>409: the finding of this kind on this order is recorded already — when, by whom, and its refund and fine.</summary>
    private async Task<ConflictException> AlreadyRecorded(WorkOrder order, CustomerRefund first, TimeZoneInfo zone, CancellationToken ct)
    {
        var by = await db.Users.AsNoTracking().Where(u => u.UserName == first.ProposedBy).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? first.ProposedBy;
        var at = Format.Time(BranchTime.Local(first.ProposedAt, zone));
        return new ConflictException(first.PenaltyCaseId is { } fine
            ? Msg.Of("The charge finding {0} on {1} was already recorded on {2} by {3}: refund #{4} of {5} and penalty case #{6}. It is recorded once per order.",
                first.RuleId, Msg.Verbatim(order.Code), at, Msg.Verbatim(by), first.Id, Format.Money(first.Amount), fine)
            : Msg.Of("The charge finding {0} on {1} was already recorded on {2} by {3}: refund #{4} of {5}. It is recorded once per order.",
                first.RuleId, Msg.Verbatim(order.Code), at, Msg.Verbatim(by), first.Id, Format.Money(first.Amount)), Msg.Of("Already recorded"));
    }
}

public sealed record RefundDecision(bool? Approve, string? Note, int? Version);

/// <summary>The manager decides a proposed refund (approve: finance pays it back; reject: with a note). Own branch only.</summary>
public sealed class DecideRefund(AppDbContext db, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.Manager, Roles.Finance, Roles.Supervisor, Roles.Admin];

    public async Task<IReadOnlyList<RefundDto>> List(CurrentUser user, string? state, CancellationToken ct)
    {
        user.RequireAny("read refunds", Readers);
        var query = db.CustomerRefunds.AsNoTracking().Where(x => user.IsHeadOffice || x.BranchId == user.BranchId);
        if (state is not null)
        {
            if (!Enum.TryParse<RefundState>(state, true, out var s)) throw ValidationFailedException.For("state", "{0} must be proposed, approved or rejected.");
            query = query.Where(x => x.State == s);
        }
        var rows = await query.OrderByDescending(x => x.Id).Take(500).ToListAsync(ct);
        var zone = await zones.For(user.BranchId, ct);
        return rows.Select(x => RefundDto.From(x, zone)).ToList();
    }

    public async Task<RefundDto> Handle(CurrentUser user, long id, RefundDecision r, CancellationToken ct)
    {
        user.RequireAny("decide a refund", ManagePenaltyCases.Deciders);
        var refund = await db.CustomerRefunds.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (refund is null || !user.CanSeeBranch(refund.BranchId)) throw new NotFoundException("Refund", id);
        var v = new Validator().MaxLength(r.Note, 500, "note");
        if (r.Approve is null) v.Add("approve", "{0} is required.");
        else if (r.Approve == false && string.IsNullOrWhiteSpace(r.Note)) v.Add("note", "{0} is required when the refund is rejected.");
        v.ThrowIfInvalid();
        Concurrency.Check("Refund", refund.Version, r.Version, null);
        refund.Decide(r.Approve!.Value, r.Note?.Trim(), user.UserName, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return RefundDto.From(refund, await zones.For(refund.BranchId, ct));
    }
}
