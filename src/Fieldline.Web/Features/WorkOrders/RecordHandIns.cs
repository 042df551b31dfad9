using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record RemittanceRequest(decimal? Amount, int? Version);

public sealed record PartsReturnedRequest(string? Notes, int? Version);

/// <summary>
/// What comes back to the office after the job: finance receives the money collected (FEE-05, 3 days) and the warehouse
/// the old parts and repair documents (PRT-01, 3 days). Each stops its clock; late hand-ins are fined by the policy.
/// </summary>
public sealed class RecordHandIns(WorkOrderAccess access)
{
    public Task<WorkOrderDto> Remittance(CurrentUser user, long id, RemittanceRequest r, int? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record money handed in", Roles.Finance, Roles.Manager);
        if (r.Amount is null or < 0 || decimal.Round(r.Amount.Value, 2) != r.Amount)
            throw ValidationFailedException.For("amount", "'amount' is the CNY received, 0.00 or more with at most two decimals.");
        return access.Run(user, id, "record money handed in for", [Roles.Finance, Roles.Manager], r.Version, ifMatch, (order, actor, now) =>
        {
            var collected = order.Charges.Sum(c => c.Amount);
            if (r.Amount != collected) throw ValidationFailedException.For("amount", $"'amount' must be the {collected:0.00} CNY charged on the order.");
            order.RecordRemittance(r.Amount!.Value, actor, now);
            return Task.CompletedTask;
        }, ct);
    }

    public Task<WorkOrderDto> PartsReturned(CurrentUser user, long id, PartsReturnedRequest r, int? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record old parts returned", Roles.WarehouseKeeper, Roles.Manager);
        new Validator().MaxLength(r.Notes, 500, "notes").ThrowIfInvalid();
        return access.Run(user, id, "record old parts returned for", [Roles.WarehouseKeeper, Roles.Manager], r.Version, ifMatch, (order, actor, now) =>
        {
            order.RecordPartsReturned(r.Notes, actor, now);
            return Task.CompletedTask;
        }, ct);
    }
}
