using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record CreateWorkOrderRequest(
    string? Type, string? Channel, int? CustomerId, CustomerInput? Customer, string? ProductSerial, string? ProductLine,
    string? ProductModel, DateOnly? PurchaseDate, string? ContactPerson, string? ContactPhone, string? FaultDescription,
    string? Priority, bool? AngryCustomer, TimeWindow? RequestedWindow, int? BranchId, bool? SameFault = null, IReadOnlyList<string>? Jobs = null,
    bool? Draft = null);

/// <summary>
/// Intake (INT-02/03): records a customer's request with the fields the policy in force requires, computes the
/// warranty from the registered product, and gives the order its code, unique in the company, for the branch's local day. With <c>draft</c>
/// the request is kept although the caller could not yet give the model, the purchase date or the fault (SC-01): a draft
/// is not dispatchable until <see cref="SubmitWorkOrder"/> completes it; who called and how to reach them are required
/// all the same (INT-02).
/// </summary>
public sealed class CreateWorkOrder(AppDbContext db, TimeProvider clock, BranchZones zones, PolicyStore policies, ManageCustomers customers,
    WorkOrderAccess access, SlaEngine sla, Dispatch.AnnouncePoolOrder announce)
{
    public const int MaxFaultDescription = 2000;

    /// <summary>The policy's required fields a draft may still lack: what the request is about, not who asked (INT-02).</summary>
    internal static readonly HashSet<string> DraftableFields = new(StringComparer.Ordinal) { "productModel", "purchaseDate", "faultDescription", "serialNumber" };

    /// <summary>Required intake fields that an inline customer supplies, so one bad value is reported once.</summary>
    private static readonly Dictionary<string, string> CustomerFields = new(StringComparer.Ordinal)
    {
        ["customerName"] = "customer.name", ["contactPerson"] = "customer.name", ["address"] = "customer.address", ["contactPhone"] = "customer.phone",
    };

    public Task<WorkOrderDto> Handle(CurrentUser user, CreateWorkOrderRequest r, CancellationToken ct) =>
        Handle(user, r, user.RequireAny("create work orders", Roles.Intake), ct);

    /// <summary>The intake itself, for a caller whose right to create this order was checked by <paramref name="role"/>'s use case.</summary>
    internal async Task<WorkOrderDto> Handle(CurrentUser user, CreateWorkOrderRequest r, string role, CancellationToken ct)
    {
        var v = new Validator();
        var type = v.Enum<WorkOrderType>(r.Type, "type");
        var channel = v.Enum<Channel>(r.Channel, "channel");
        var priority = v.Enum<Priority>(r.Priority, "priority", required: false) ?? Priority.Normal;
        v.MaxLength(r.FaultDescription, MaxFaultDescription, "faultDescription").MaxLength(r.ContactPerson, 100, "contactPerson")
         .MaxLength(r.ProductModel, 64, "productModel").MaxLength(r.ProductSerial, 64, "productSerial");
        TimeWindow.Validate(v, r.RequestedWindow, "requestedWindow", required: false);
        string? contactPhone = null;
        if (!string.IsNullOrWhiteSpace(r.ContactPhone) && (contactPhone = PhoneNumber.Normalize(r.ContactPhone)) is null)
            v.Add("contactPhone", PhoneNumber.Rule);
        if (r.ProductLine is not null && !RegisterProduct.ProductLinePattern().IsMatch(r.ProductLine))
            v.Add("productLine", "{0} is a lower-camel word such as ac, purifier, waterHeater.");

        // The customer: an existing one by id, or the caller's details matched by phone within the branch, or a new one.
        Customer? customer = null;
        CustomerInput? newCustomer = null;
        if (r.CustomerId is { } cid)
        {
            customer = await Reads.Of(db).CustomerById(db, cid, ct);
            if (customer is null || !user.CanSeeBranch(customer.BranchId)) { v.Add("customerId", "Customer {1} does not exist.", cid); customer = null; }
        }
        else if (r.Customer is not null)
        {
            var phone = ManageCustomers.Validate(v, r.Customer, "customer.");
            newCustomer = r.Customer with { Phone = phone };
        }
        else v.Add("customerId", "Choose an existing customer, or fill in a new customer's details.");

        var branchId = r.BranchId ?? customer?.BranchId ?? user.BranchId;
        if (!user.CanSeeBranch(branchId) || !await zones.Exists(branchId, ct)) v.Add("branchId", "Branch {1} does not exist.", branchId);
        if (customer is not null && customer.BranchId != branchId) v.Add("branchId", "The customer belongs to another branch.");
        if (customer is null && newCustomer?.Phone is { } p)
            customer = await db.Customers.FirstOrDefaultAsync(c => c.BranchId == branchId && c.Phone == p, ct);

        RegisteredProduct? product = null;
        if (!string.IsNullOrWhiteSpace(r.ProductSerial))
        {
            product = await Reads.Of(db).ProductBySerial(db, r.ProductSerial, ct);
            if (product is null || (customer is not null && product.CustomerId != customer.Id) || customer is null)
            { v.Add("productSerial", "No product '{1}' is registered to this customer.", r.ProductSerial); product = null; }
        }
        var productLine = product?.ProductLine ?? r.ProductLine;
        if (productLine is null) v.Add("productLine", "{0} is required when no registered product is named.");
        else if (product is not null && r.ProductLine is not null && r.ProductLine != product.ProductLine)
            v.Add("productLine", "The product '{1}' is of line '{2}', not '{3}'.", product.SerialNumber, product.ProductLine, r.ProductLine);

        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        var resolved = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["customerName"] = customer?.Name ?? newCustomer?.Name,
            ["address"] = customer?.Address ?? newCustomer?.Address,
            ["contactPerson"] = r.ContactPerson ?? customer?.Name ?? newCustomer?.Name,
            ["contactPhone"] = contactPhone ?? customer?.Phone ?? newCustomer?.Phone,
            ["productModel"] = r.ProductModel ?? product?.Model,
            ["purchaseDate"] = r.PurchaseDate ?? product?.PurchaseDate,
            ["faultDescription"] = r.FaultDescription,
            ["productLine"] = productLine,
            ["serialNumber"] = r.ProductSerial,
        };
        var draft = r.Draft == true;
        foreach (var field in MissingFields(policy, type, resolved))
        {
            if (draft && DraftableFields.Contains(field)) continue;
            if (v.Has(field) || CustomerFields.TryGetValue(field, out var inline) && v.Has(inline)) continue; // already reported
            v.Add(field, "{0} is required by the policy in force (intake.requiredFields, version {1}).", policy.Number);
        }
        if (r.Jobs?.FirstOrDefault(j => !policy.CertificateForJob.ContainsKey(j ?? "")) is { } job)
            v.Add("jobs", "{0}: '{1}' is not one of the allowed values: {2}.", Msg.Verbatim(job), Msg.Join(policy.CertificateForJob.Keys.Select(k => Msg.Choice("job", k))));
        v.ThrowIfInvalid();

        var zone = await zones.For(branchId, ct);
        var today = BranchTime.Today(now, zone);
        var purchaseDate = r.PurchaseDate ?? product?.PurchaseDate;
        var inWarranty = product?.IsInWarrantyOn(today)
            ?? (policy.WarrantyMonths is { } months && purchaseDate is { } bought && today <= bought.AddMonths(months).AddDays(-1));

        var repeated = type == WorkOrderType.Repair && product is not null ? await RepeatedRepair(product.Id, policy, r, now, ct) : null;

        // From here on this request writes. On SQLite a write is a turn of the one writer (SqliteGroupCommit), which every
        // other create waits for: so the order, its timeline and its clocks are built first, and only the day's number,
        // what names it and the save run in the turn (issue 14: building them in it kept a third of the CPU idle at 50
        // clerks). A caller registered inline is the exception: they are looked up again inside the write, so that two
        // clerks registering one new number at once find each other's customer instead of colliding on it (SQLite writes
        // one at a time; PostgreSQL's unique phone index still refuses the rare exact tie, as a 409).
        string? code = null;
        if (customer is null)
        {
            code = await WorkOrderCodeCounter.Next(db, today, ct);
            await db.BeginWriteAsync(ct);
            if (newCustomer?.Phone is { } inlinePhone)
                customer = await db.Customers.FirstOrDefaultAsync(c => c.BranchId == branchId && c.Phone == inlinePhone, ct);
            customer ??= await customers.Add(branchId, newCustomer!, ct);
        }
        var order = new WorkOrder
        {
            Code = code ?? "", BranchId = branchId, Type = type!.Value, Channel = channel!.Value, Priority = priority,
            AngryCustomer = r.AngryCustomer ?? false, PolicyVersionId = policy.VersionId, CustomerId = customer.Id, Customer = customer,
            ProductId = product?.Id, ProductLine = productLine!, ProductModel = r.ProductModel ?? product?.Model,
            SerialNumber = product?.SerialNumber ?? r.ProductSerial, PurchaseDate = purchaseDate, InWarranty = inWarranty,
            ContactPerson = (string)resolved["contactPerson"]!, ContactPhone = (string)resolved["contactPhone"]!,
            Address = (string)resolved["address"]!, Lat = customer.Lat, Lng = customer.Lng, FaultDescription = r.FaultDescription,
            RequestedStart = r.RequestedWindow?.Start?.ToUniversalTime(), RequestedEnd = r.RequestedWindow?.End?.ToUniversalTime(), CreatedAt = now,
            Jobs = string.Join(",", (r.Jobs ?? []).Distinct()),
        };
        order.Receive(new Actor(user.UserId, user.UserName, role), now, new
        {
            channel = JsonNames.Of(order.Channel), priority = JsonNames.Of(priority), order.AngryCustomer, repeatOf = repeated?.Id, repeatOfCode = repeated?.Code,
            draft = draft ? true : (bool?)null,
        }, repeated?.Id, draft);
        // 抢单池: where the policy says so, the order is offered to the branch's technicians at once (a draft once completed).
        var pooled = !draft && ToPool(policy, order);
        if (pooled) order.ReleaseToPool(new Actor(user.UserId, user.UserName, role), now);
        db.WorkOrders.Add(order);
        await sla.Apply(order, now, ct);

        // The day's number: on SQLite in the same commit as the order (Next opens the write), on PostgreSQL in a short
        // commit of its own so that concurrent creates do not queue behind each other's (WorkOrderCodeCounter). The order
        // is tracked already; its number is set through the tracker (Code is init-only: an order is never renumbered).
        if (code is null)
        {
            code = await WorkOrderCodeCounter.Next(db, today, ct);
            db.WithoutDetect((order, code), static (d, s) => d.Entry(s.order).Property(o => o.Code).CurrentValue = s.code);
        }
        await db.BeginWriteAsync(ct);
        if (pooled) await announce.Queue(order, now, ct);
        if (!draft) ReportUrgent(db, order, now);
        await db.SaveChangesAsync(ct);
        Infrastructure.Telemetry.FieldlineMetrics.OrderCreated(JsonNames.Of(order.Channel));
        access.Changed(order, "created");
        if (order.InPool) await announce.PoolChanged(order, "pooled", ct);
        return await access.Answer(order, product, ct);
    }

    /// <summary>The policy's required intake fields that have no value, by their request names (INT-03).</summary>
    internal static IEnumerable<string> MissingFields(CompanyPolicy policy, WorkOrderType? type, IReadOnlyDictionary<string, object?> values)
    {
        foreach (var field in policy.RequiredIntakeFields)
        {
            // An installation has no fault to describe: INT-03 lists the fault for repair requests.
            if (field == "faultDescription" && type == WorkOrderType.Install) continue;
            if (values.TryGetValue(field, out var value) && (value is null || value is string s && string.IsNullOrWhiteSpace(s))) yield return field;
        }
    }

    /// <summary>抢单池: the policy offers new orders to the branch's technicians — never an angry customer's, which the manager dispatches personally (INT-16).</summary>
    internal static bool ToPool(CompanyPolicy policy, WorkOrder order) => policy.NewOrdersToPool && !(order.AngryCustomer && policy.AngryCustomerToManager);

    /// <summary>An urgent order goes to the dispatchers and managers at once, an angry customer's to the manager (INT-05, INT-16).</summary>
    internal static void ReportUrgent(AppDbContext db, WorkOrder order, DateTimeOffset now)
    {
        if (!order.AngryCustomer && order.Priority != Priority.Urgent) return;
        Notifications.Notify.Queue(db, now, order.AngryCustomer ? "angryCustomer" : "urgentOrder", order.BranchId, order.Id == 0 ? null : order.Id, Msg.Of(order.AngryCustomer ? "{0}: angry customer" : "{0}: urgent order", order.Code),
            Msg.Verbatim(order.FaultDescription ?? ""), [], order.AngryCustomer ? [Roles.Manager] : [Roles.Dispatcher, Roles.Manager]);
    }

    /// <summary>
    /// 返修 (PEN-86, SC-22): the latest repair of the same unit completed within the policy's window
    /// (repeatRepair.windowDays; no window, no detection) for the same fault — the same description, or the clerk says so
    /// (<c>sameFault</c>). An empty trip repaired nothing, so it is never repeated.
    /// </summary>
    private async Task<(long Id, string Code)?> RepeatedRepair(int productId, CompanyPolicy policy, CreateWorkOrderRequest r, DateTimeOffset now, CancellationToken ct)
    {
        if (policy.RepeatRepairWindowDays is not { } days) return null;
        var since = now.AddDays(-days);
        var earlier = new List<EarlierRepair>();
        await foreach (var o in Reads.Of(db).CompletedRepairsOf(db, productId, since).WithCancellation(ct)) earlier.Add(o);
        static string Norm(string? s) => new((s ?? "").Where(c => !char.IsWhiteSpace(c) && !char.IsPunctuation(c)).ToArray());
        var match = earlier
            .Where(o => r.SameFault == true || (Norm(o.FaultDescription).Length > 0 && Norm(o.FaultDescription) == Norm(r.FaultDescription)))
            .OrderByDescending(o => o.CompletedAt).FirstOrDefault();
        return match is null ? null : (match.Id, match.Code);
    }

    private sealed record EarlierRepair(long Id, string Code, DateTimeOffset? CompletedAt, string? FaultDescription);

    /// <summary>
    /// The intake's reads, compiled once per model (one per provider): every create runs them, and a compiled query skips
    /// EF Core's per-call expression building, parameter extraction and query-cache lookup (issue 14, session 11). The
    /// same SQL as the LINQ they replace; the customer and the product are tracked, as before (the order refers to them).
    /// </summary>
    private sealed class Reads
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel, Reads> PerModel = new();

        public static Reads Of(AppDbContext db) => PerModel.GetOrAdd(db.Model, static _ => new Reads());

        public readonly Func<AppDbContext, int, CancellationToken, Task<Customer?>> CustomerById =
            EF.CompileAsyncQuery((AppDbContext c, int id, CancellationToken ct) => c.Customers.FirstOrDefault(x => x.Id == id));

        public readonly Func<AppDbContext, string, CancellationToken, Task<RegisteredProduct?>> ProductBySerial =
            EF.CompileAsyncQuery((AppDbContext c, string serial, CancellationToken ct) => c.Products.FirstOrDefault(x => x.SerialNumber == serial));

        // Served by IX_WorkOrders_ProductId_CompletedAt (partial: completed orders only), not by every order of the unit.
        public readonly Func<AppDbContext, int, DateTimeOffset, IAsyncEnumerable<EarlierRepair>> CompletedRepairsOf =
            EF.CompileAsyncQuery((AppDbContext c, int productId, DateTimeOffset since) => c.WorkOrders.AsNoTracking()
                .Where(o => o.ProductId == productId && o.Type == WorkOrderType.Repair && !o.EmptyTrip && o.CompletedAt >= since
                            && (o.Status == WorkOrderStatus.Completed || o.Status == WorkOrderStatus.Visited || o.Status == WorkOrderStatus.Closed))
                .Select(o => new EarlierRepair(o.Id, o.Code, o.CompletedAt, o.FaultDescription)));
    }
}
