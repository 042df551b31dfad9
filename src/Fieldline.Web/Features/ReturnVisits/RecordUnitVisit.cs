using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.ReturnVisits;

/// <summary>
/// A visit without a work order: <c>depotUnitId</c> (a depot unit handed back without an order, SHOP-02) or <c>productId</c>
/// (a registered unit's periodic visit, RV-02); <c>outcome</c> reached / unreachable / refused, <c>satisfaction</c> 1–5 when
/// reached, <c>remarks</c>.
/// </summary>
public sealed record UnitVisitRequest(long? DepotUnitId, int? ProductId, string? Outcome, int? Satisfaction, string? Remarks);

/// <summary>The attempt as recorded.</summary>
public sealed record UnitVisitDto(long Id, string Purpose, long? DepotUnitId, int? ProductId, int Attempt, string Outcome, int? Satisfaction, string? Remarks,
    string By, DateTimeOffset At);

/// <summary>
/// Records one attempt of a depot (SHOP-02) or periodic (RV-02) visit, append-only like an order's: reached or refused ends
/// it, unreachable is tried again up to the policy's number of tries. Nothing is fined — there is no order and no script;
/// what the customer says is kept for the record (RV-03) and for the supervisor to act on.
/// </summary>
public sealed class RecordUnitVisit(AppDbContext db, FindDueVisits find, BranchZones zones, TimeProvider clock)
{
    public async Task<UnitVisitDto> Handle(CurrentUser user, UnitVisitRequest r, CancellationToken ct)
    {
        user.RequireAny("record a return visit", RecordReturnVisit.AllowedRoles);
        var outcome = RecordReturnVisit.Validate(new ReturnVisitRequest(r.Outcome, null, r.Satisfaction, r.Remarks, null));
        var v = new Validator();
        if ((r.DepotUnitId is null) == (r.ProductId is null)) v.Add("depotUnitId", "Give {0} or productId, one of them.");
        v.ThrowIfInvalid();

        // Only a visit that is in the caller's queue now may be recorded: anything else is another branch's (404) or not due (409).
        var row = await find.UnitVisit(user, r.DepotUnitId, r.ProductId, ct);
        if (row is null)
        {
            var exists = r.DepotUnitId is { } unit
                ? await db.Set<Depot.DepotUnit>().AnyAsync(x => x.Id == unit && (user.IsHeadOffice || x.BranchId == user.BranchId), ct)
                : await db.Products.AnyAsync(p => p.Id == r.ProductId && db.Customers.Any(c => c.Id == p.CustomerId && (user.IsHeadOffice || c.BranchId == user.BranchId)), ct);
            if (!exists) throw new NotFoundException(r.DepotUnitId is null ? "Product" : "Depot unit", (object?)r.DepotUnitId ?? r.ProductId!.Value);
            throw new ConflictException(Infrastructure.Localization.Msg.Of("No return visit is due for it now."));
        }
        if (outcome == RecordReturnVisit.Unreachable && row.Attempts >= row.MaxAttempts)
            throw new ConflictException(Infrastructure.Localization.Msg.Of("No return visit is due for it now."));
        // As for an order's visit: an unanswered call counts as a try only after returnVisit.retryAfterMinutes.
        if (outcome == RecordReturnVisit.Unreachable && row.NextAttemptAt is { } next)
            throw new ConflictException(Infrastructure.Localization.Msg.Of("The customer was called without answer not long ago; the next call counts from {0}.",
                next.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)), Infrastructure.Localization.Msg.Of("Too early to call again"));
        var now = clock.GetUtcNow();
        var attempt = r.DepotUnitId is { } id ? await db.ReturnVisits.CountAsync(x => x.DepotUnitId == id, ct) + 1 : row.Attempts + 1;
        var visit = new ReturnVisit
        {
            Purpose = row.Purpose, DepotUnitId = r.DepotUnitId, ProductId = r.ProductId, BranchId = row.BranchId, Attempt = attempt, Outcome = outcome,
            Channel = "agent", ScriptVersion = ReturnVisitScript.Version, Satisfaction = outcome == RecordReturnVisit.Reached ? r.Satisfaction : null,
            Remarks = string.IsNullOrWhiteSpace(r.Remarks) ? null : r.Remarks.Trim(), ByUserId = user.UserId, By = user.UserName, At = now,
        };
        db.ReturnVisits.Add(visit);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "ReturnVisits")) // the same attempt number, saved by someone else first
        { throw new ConflictException(Infrastructure.Localization.Msg.Of("Someone else recorded this visit at the same moment.")); }
        var zone = await zones.For(row.BranchId, ct);
        return new UnitVisitDto(visit.Id, visit.Purpose, visit.DepotUnitId, visit.ProductId, visit.Attempt, visit.Outcome, visit.Satisfaction, visit.Remarks,
            visit.By, BranchTime.Local(now, zone));
    }
}
