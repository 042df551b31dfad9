using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record RemittanceRequest(decimal? Amount, int? Version);

/// <param name="WithSlip">The repair slip came with the parts (default); false when it is still missing (PEN-02 runs on).</param>
/// <param name="NonGenuine">PRT-03: the warehouse found a returned part non-genuine.</param>
public sealed record PartsReturnedRequest(string? Notes, bool? WithSlip, bool? NonGenuine, int? Version);

public sealed record SlipHandedInRequest(string? Notes, int? Version);

/// <summary>
/// What comes back to the office after the job: finance receives the money collected (FEE-05, 3 days) and the warehouse
/// the old parts and repair documents (PRT-01, 3 days), the office the installation card or repair slip (FEE-03, PEN-02).
/// Each stops its clock; late hand-ins are fined by the policy.
/// </summary>
public sealed class RecordHandIns(WorkOrderAccess access)
{
    public Task<WorkOrderDto> Remittance(CurrentUser user, long id, RemittanceRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record money handed in", Roles.Finance, Roles.Manager);
        if (r.Amount is null or < 0 || decimal.Round(r.Amount.Value, 2) != r.Amount)
            throw ValidationFailedException.For("amount", "{0} is the amount received in CNY: 0.00 or more, with at most two decimals.");
        return access.Run(user, id, "record money handed in for", [Roles.Finance, Roles.Manager], r.Version, ifMatch, (order, actor, now) =>
        {
            var collected = order.Charges.Sum(c => c.Amount);
            if (r.Amount != collected) throw ValidationFailedException.For("amount", "{0} must be the ¥{1} charged on the order.", collected.ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture));
            order.RecordRemittance(r.Amount!.Value, actor, now);
            return Task.CompletedTask;
        }, ct);
    }

    public Task<WorkOrderDto> PartsReturned(CurrentUser user, long id, PartsReturnedRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record old parts returned", Roles.WarehouseKeeper, Roles.Manager);
        new Validator().MaxLength(r.Notes, 500, "notes").ThrowIfInvalid();
        return access.Run(user, id, "record old parts returned for", [Roles.WarehouseKeeper, Roles.Manager], r.Version, ifMatch, (order, actor, now) =>
        {
            order.RecordPartsReturned(r.Notes, r.WithSlip ?? true, r.NonGenuine ?? false, actor, now);
            return Task.CompletedTask;
        }, ct);
    }

    public static readonly string[] SlipReceivers = [Roles.WarehouseKeeper, Roles.Finance, Roles.InfoClerk, Roles.Manager];

    public Task<WorkOrderDto> SlipHandedIn(CurrentUser user, long id, SlipHandedInRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record a slip handed in", SlipReceivers);
        new Validator().MaxLength(r.Notes, 500, "notes").ThrowIfInvalid();
        return access.Run(user, id, "record the slip handed in for", SlipReceivers, r.Version, ifMatch, (order, actor, now) =>
        {
            order.RecordSlipHandedIn(r.Notes, actor, now);
            return Task.CompletedTask;
        }, ct);
    }
}
