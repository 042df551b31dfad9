using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record TripCategoryRequest(string? Category, int? Version);

/// <summary>
/// RPT-17 / WAR-08: the after-sales supervisor names a trip's category for the year-end statistics where the order's facts
/// cannot (another manufacturer's unit, misuse, a modification after installation). Only a key of the order's policy
/// (statistics.tripCategories), and only for a trip that was made (a completed order).
/// </summary>
public sealed class SetTripCategory(WorkOrderAccess access, PolicyStore policies, AppDbContext db)
{
    public static readonly string[] AllowedRoles = [Roles.Supervisor, Roles.Manager, Roles.Admin];

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, TripCategoryRequest r, IfMatchVersions? ifMatch, CancellationToken ct) =>
        access.Run(user, id, "set the trip category of", AllowedRoles, r.Version, ifMatch, async (order, actor, now) =>
        {
            var keys = TripCategories.Keys(await policies.ById(db, order.PolicyVersionId, ct));
            var v = new Validator().Required(r.Category, "category");
            if (r.Category is { Length: > 0 } c && !keys.Contains(c))
                v.Add("category", "{0}: '{1}' is not one of the allowed values: {2}.", c, Infrastructure.Localization.Msg.Join(keys.Select(k => Infrastructure.Localization.Msg.Choice("tripCategory", k))));
            v.ThrowIfInvalid();
            order.SetTripCategory(r.Category!, actor, now);
        }, ct);
}

/// <summary>The trip categories of a policy (statistics.tripCategories, RPT-17), in its order.</summary>
public static class TripCategories
{
    public const string PartReplacementWithinOneYear = "partReplacementWithinOneYear", PaidService = "paidService";

    public static IReadOnlyList<string> Keys(CompanyPolicy policy) => policy.TripCategoryKeys;

    /// <summary>
    /// The category the order's own facts give, when they give one: money charged is a paid service; a part replaced under
    /// warranty within a year of purchase is a part replacement within one year (不到一年换件). Anything else the supervisor names.
    /// </summary>
    public static string? FromFacts(bool charged, bool inWarranty, bool partsUsed, DateOnly? purchased, DateOnly completedOn) =>
        charged ? PaidService
        : inWarranty && partsUsed && purchased is { } p && completedOn < p.AddYears(1) ? PartReplacementWithinOneYear
        : null;
}
