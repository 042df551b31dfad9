using System.Collections.Concurrent;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.ReturnVisits;

/// <summary>What the customer's page shows: that order's report in brief and the script's questions, nothing else.</summary>
public sealed record RatingPageDto(long WorkOrderId, string Code, string Type, string Status, DateTimeOffset? CompletedAt, string? TechnicianName,
    string? Resolution, IReadOnlyList<ChargeDto> Charges, decimal ChargedTotal, IReadOnlyList<ScriptQuestionDto> Questions)
{
    /// <summary>Answered already (by the customer or the agent): the page thanks instead of asking again.</summary>
    public bool Answered => Status != "completed";
}

/// <summary>
/// The customer rates the job through the signed link (no login): the answer counts as a reached return visit (channel
/// customer), so the order leaves the agent's queue, and what it shows is acted on exactly as the agent's call would be.
/// The link is the credential; <see cref="RatingThrottle"/> limits how often one address may use one order's link.
/// </summary>
public sealed class RateByCustomer(AppDbContext db, PolicyStore policies, RecordReturnVisit record, SlaEngine sla, WorkOrderAccess access, BranchZones zones, TimeProvider clock)
{
    public static readonly Actor Customer = new(null, "customer", "customer");

    public async Task<RatingPageDto?> Page(long id, CancellationToken ct)
    {
        var o = await db.WorkOrders.AsNoTracking().Include(x => x.Charges).AsSplitQuery().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (o is null || o.Status is not (WorkOrderStatus.Completed or WorkOrderStatus.Visited or WorkOrderStatus.Closed)) return null;
        var policy = await policies.ById(db, o.PolicyVersionId, ct);
        var zone = await zones.For(o.BranchId, ct);
        var technician = o.TechnicianId is { } tid ? await db.Technicians.AsNoTracking().Where(t => t.Id == tid).Select(t => t.User!.DisplayName).FirstOrDefaultAsync(ct) : null;
        var charges = o.Charges.OrderBy(c => c.Id).Select(c => new ChargeDto(c.Description, c.Amount)).ToList();
        // The customer is asked what a customer can tell: the agent's bookkeeping (units without a sticker) stays with the agent.
        var questions = ReturnVisitScript.For(o.Type, policy).Where(q => q.Key != ReturnVisitScript.UnitsWithoutSticker).ToList();
        return new RatingPageDto(o.Id, o.Code, Infrastructure.Http.JsonNames.Of(o.Type), Infrastructure.Http.JsonNames.Of(o.Status),
            Infrastructure.Http.BranchTime.Local(o.CompletedAt, zone), technician, o.Resolution, charges, charges.Sum(c => c.Amount), questions);
    }

    /// <summary>
    /// Records the customer's answer as a reached visit (one save); an order already visited answers 409 (answered twice),
    /// also when the agent's call was saved at the same moment (<see cref="RecordReturnVisit.RecordedMeanwhile"/>).
    /// </summary>
    public async Task Handle(long id, ReturnVisitRequest r, CancellationToken ct)
    {
        var request = r with { Outcome = RecordReturnVisit.Reached };
        // Said to the customer, not the agent ("… required when the customer was reached" means nothing to them).
        if (r.Satisfaction is null) throw Infrastructure.Http.ValidationFailedException.For("satisfaction", "Please choose how satisfied you are overall (1 to 5).");
        RecordReturnVisit.Validate(request);
        var order = await db.WorkOrders.Include(o => o.Timeline.OrderBy(t => t.Id)).Include(o => o.Parts).Include(o => o.Charges).AsSplitQuery()
            .FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new Infrastructure.Http.NotFoundException("Work order", id);
        var now = clock.GetUtcNow();
        await record.Apply(order, RecordReturnVisit.Reached, request, "customer", Customer, now, ct);
        await sla.Apply(order, now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "ReturnVisits"))
        {
            // The agent recorded the call (or the customer's other tab answered) at the same moment: theirs counts.
            throw RecordReturnVisit.RecordedMeanwhile();
        }
        access.Changed(order, "rated by the customer");
    }
}

/// <summary>
/// How often one address may open or answer one order's link: <see cref="Limit"/> requests per <see cref="Window"/>
/// (in memory, per node: enough to stop a script hammering a link, not a quota).
/// </summary>
public sealed class RatingThrottle(TimeProvider clock)
{
    public const int Limit = 30;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<(string, long), (DateTimeOffset Start, int Count)> _hits = new();

    /// <summary>Counts a request; false when the address used this link too often in the current window.</summary>
    public bool Allow(string? address, long orderId)
    {
        var now = clock.GetUtcNow();
        if (_hits.Count > 10_000) foreach (var old in _hits.Where(h => now - h.Value.Start > Window).Select(h => h.Key).ToList()) _hits.TryRemove(old, out _);
        var entry = _hits.AddOrUpdate((address ?? "", orderId), _ => (now, 1), (_, e) => now - e.Start > Window ? (now, 1) : (e.Start, e.Count + 1));
        return entry.Count <= Limit;
    }
}
