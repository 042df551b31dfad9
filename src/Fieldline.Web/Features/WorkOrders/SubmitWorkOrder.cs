using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record SubmitWorkOrderRequest(string? ProductModel, DateOnly? PurchaseDate, string? FaultDescription, string? ContactPerson,
    string? Priority, bool? AngryCustomer, int? Version);

/// <summary>
/// The clerk completes a draft (SC-01, INT-03): what the caller could not say at first is filled in, the policy's required
/// fields are checked against the completed request — each one still missing is named, and the order stays a draft —
/// and the order becomes ready for dispatch: its 30-minute dispatch clock starts (INT-14), an urgent or angry call is
/// reported upward (INT-05, INT-16) and, where the policy pools new orders, it is offered to the branch's technicians.
/// </summary>
public sealed class SubmitWorkOrder(WorkOrderAccess access, AppDbContext db, PolicyStore policies, BranchZones zones, Dispatch.AnnouncePoolOrder announce)
{
    public Task<WorkOrderDto> Handle(CurrentUser user, long id, SubmitWorkOrderRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("submit", Roles.Intake);
        var v = new Validator();
        v.MaxLength(r.FaultDescription, CreateWorkOrder.MaxFaultDescription, "faultDescription").MaxLength(r.ContactPerson, 100, "contactPerson")
         .MaxLength(r.ProductModel, 64, "productModel");
        var priority = v.Enum<Priority>(r.Priority, "priority", required: false);
        v.ThrowIfInvalid();
        return Run(user, id, r, priority, ifMatch, ct);
    }

    private async Task<WorkOrderDto> Run(CurrentUser user, long id, SubmitWorkOrderRequest r, Priority? priority, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        WorkOrder? pooled = null;
        var answer = await access.Run(user, id, "submit", Roles.Intake, r.Version, ifMatch, async (order, actor, now) =>
        {
            if (order.Status != WorkOrderStatus.Draft) throw new IllegalTransitionException(order.Status, "submit");
            var policy = await policies.ById(db, order.PolicyVersionId, ct);
            var completed = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["productModel"] = Text(r.ProductModel) ?? order.ProductModel,
                ["purchaseDate"] = r.PurchaseDate ?? order.PurchaseDate,
                ["faultDescription"] = Text(r.FaultDescription) ?? order.FaultDescription,
                ["serialNumber"] = order.SerialNumber,
            };
            var v = new Validator();
            foreach (var field in CreateWorkOrder.MissingFields(policy, order.Type, completed))
                v.Add(field, "{0} is required by the policy in force (intake.requiredFields, version {1}).", policy.Number);
            v.ThrowIfInvalid();

            // Without a registered unit the warranty is the policy's months from the purchase date, as at intake.
            bool? inWarranty = null;
            if (order.ProductId is null && r.PurchaseDate is { } bought && policy.WarrantyMonths is { } months)
                inWarranty = BranchTime.Today(now, await zones.For(order.BranchId, ct)) <= bought.AddMonths(months).AddDays(-1);
            order.Submit(new DraftCompletion(Text(r.ProductModel), r.PurchaseDate, Text(r.FaultDescription), Text(r.ContactPerson),
                priority, r.AngryCustomer, inWarranty), actor, now);
            CreateWorkOrder.ReportUrgent(db, order, now);
            if (CreateWorkOrder.ToPool(policy, order))
            {
                order.ReleaseToPool(actor, now);
                await announce.Queue(order, now, ct);
                pooled = order;
            }
        }, ct);
        if (pooled is not null) await announce.PoolChanged(pooled, "pooled", ct);
        return answer;
    }

    private static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
