using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>
/// Which orders a caller may see, and the shared path of every lifecycle action: role (403), visibility (404),
/// version (409/412), the entity's transition rule (409), one save.
/// </summary>
public sealed class WorkOrderAccess(AppDbContext db, TimeProvider clock, BranchZones zones, PolicyStore policies, IHttpContextAccessor http,
    SlaEngine sla, LiveFeed live)
{
    /// <summary>A technician sees only the orders assigned to them; branch staff their branch; head office everything.</summary>
    public IQueryable<WorkOrder> Visible(CurrentUser user)
    {
        var query = db.WorkOrders.AsQueryable();
        if (user.IsOnlyTechnician)
            return query.Where(o => db.Technicians.Any(t => t.Id == o.TechnicianId && t.UserId == user.UserId));
        if (!user.IsAny(Roles.Office)) return query.Where(_ => false);
        return user.IsHeadOffice ? query : query.Where(o => o.BranchId == user.BranchId);
    }

    // The timeline in the order it was written: entity methods read "the last request" from it (Transfer), and a split
    // query orders only by the parent key, so PostgreSQL may otherwise hand the rows back in any order.
    // Every action loads its order this way: the query is compiled once per model and visibility (Visible's three cases),
    // which skips EF Core's per-call work on this large expression (issue 14, session 11); the same SQL as Visible(user).
    // The customer and the unit come joined to the order's row, for the answer (Answer): two round trips fewer an action.
    public async Task<WorkOrder> Load(CurrentUser user, long id, CancellationToken ct)
    {
        var loads = Loads.Of(db);
        var order = user.IsOnlyTechnician ? await loads.OfTechnicianUser(db, id, user.UserId, ct)
            : !user.IsAny(Roles.Office) ? null
            : user.IsHeadOffice ? await loads.Any(db, id, ct)
            : await loads.InBranch(db, id, user.BranchId, ct);
        return order ?? throw new NotFoundException("Work order", id);
    }

    private sealed class Loads
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel, Loads> PerModel = new();

        public static Loads Of(AppDbContext db) => PerModel.GetOrAdd(db.Model, static _ => new Loads());

        public readonly Func<AppDbContext, long, int, CancellationToken, Task<WorkOrder?>> OfTechnicianUser =
            EF.CompileAsyncQuery((AppDbContext c, long id, int userId, CancellationToken ct) => c.WorkOrders
                .Where(o => c.Technicians.Any(t => t.Id == o.TechnicianId && t.UserId == userId))
                .Include(o => o.Customer).Include(o => o.Product)
                .Include(o => o.Timeline.OrderBy(t => t.Id)).Include(o => o.Parts).Include(o => o.Charges).AsSplitQuery()
                .FirstOrDefault(o => o.Id == id));

        public readonly Func<AppDbContext, long, int, CancellationToken, Task<WorkOrder?>> InBranch =
            EF.CompileAsyncQuery((AppDbContext c, long id, int branchId, CancellationToken ct) => c.WorkOrders
                .Where(o => o.BranchId == branchId)
                .Include(o => o.Customer).Include(o => o.Product)
                .Include(o => o.Timeline.OrderBy(t => t.Id)).Include(o => o.Parts).Include(o => o.Charges).AsSplitQuery()
                .FirstOrDefault(o => o.Id == id));

        // The answer's reads (Answer): what an action did not load with the order.
        public readonly Func<AppDbContext, int, CancellationToken, Task<Customers.Customer>> CustomerById =
            EF.CompileAsyncQuery((AppDbContext c, int id, CancellationToken ct) => c.Customers.AsNoTracking().Single(x => x.Id == id));

        public readonly Func<AppDbContext, int, CancellationToken, Task<Customers.RegisteredProduct>> ProductById =
            EF.CompileAsyncQuery((AppDbContext c, int id, CancellationToken ct) => c.Products.AsNoTracking().Single(x => x.Id == id));

        public readonly Func<AppDbContext, long, IAsyncEnumerable<AttachmentDto>> AttachmentsOf =
            EF.CompileAsyncQuery((AppDbContext c, long orderId) => c.Attachments.AsNoTracking().Where(a => a.WorkOrderId == orderId).OrderBy(a => a.Id)
                .Select(a => new AttachmentDto(a.Id, a.Kind, a.ContentType, a.Size, $"/api/work-orders/{orderId}/attachments/{a.Id}")));

        public readonly Func<AppDbContext, long, CancellationToken, Task<WorkOrder?>> Any =
            EF.CompileAsyncQuery((AppDbContext c, long id, CancellationToken ct) => c.WorkOrders
                .Include(o => o.Customer).Include(o => o.Product)
                .Include(o => o.Timeline.OrderBy(t => t.Id)).Include(o => o.Parts).Include(o => o.Charges).AsSplitQuery()
                .FirstOrDefault(o => o.Id == id));
    }

    public async Task<WorkOrderDto> Run(CurrentUser user, long id, string action, string[] roles, int? version, IfMatchVersions? ifMatch,
        Func<WorkOrder, Actor, DateTimeOffset, Task> apply, CancellationToken ct)
    {
        var role = user.RequireAny(action, roles);
        var order = await Load(user, id, ct);
        Concurrency.Check("Work order", order.Version, version, ifMatch);
        var now = clock.GetUtcNow();
        var (deviceAt, sentAt) = DeviceTimes();
        var offset = DeviceClock.Offset(sentAt, now);
        var actor = new Actor(user.UserId, user.UserName, role, deviceAt)
        {
            DeviceOffset = offset, CredibleAt = DeviceClock.Credible(order.Timeline, user.UserId, deviceAt, offset, now),
        };
        await apply(order, actor, now);
        await sla.Apply(order, now, ct);
        await db.SaveChangesAsync(ct);
        Changed(order, action);
        return await Answer(order, null, ct);
    }

    /// <summary>
    /// Tells every open page that may see the order — the branch's office staff and its technician — that it changed
    /// (live push, on every node; the page reloads the order). Once the change is committed, not before: a request with an
    /// Idempotency-Key commits after its answer is built, and a page that read the order on an earlier push would have
    /// read it unchanged and kept it so (a rolled-back change pushes nothing).
    /// </summary>
    public void Changed(WorkOrder order, string action)
    {
        var e = new LiveEvent("workOrderChanged", order.BranchId, order.Id, order.Code, action, null);
        var technicianId = order.TechnicianId;
        db.AfterCommit(() => live.Publish(e, null, technicianId));
    }

    /// <summary>
    /// The phone's own time of an action (X-Device-Time, ISO-8601), recorded beside the server's receipt time, and the
    /// phone's time when it sent the request (X-Device-Sent-Time), which tells how far its clock is off (see DeviceClock).
    /// </summary>
    private (DateTimeOffset? At, DateTimeOffset? SentAt) DeviceTimes() => (DeviceTime("X-Device-Time"), DeviceTime("X-Device-Sent-Time"));

    private DateTimeOffset? DeviceTime(string name)
    {
        var header = http.HttpContext?.Request.Headers[name].ToString();
        if (string.IsNullOrEmpty(header)) return null;
        if (!DateTimeOffset.TryParse(header, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t))
            throw ValidationFailedException.For(name, "{0} must be an ISO-8601 time with offset.");
        return t.ToUniversalTime();
    }

    /// <summary>
    /// The answer to a change, built from what this request saved rather than read back: SlaEngine.Apply loaded or made
    /// the order's clocks, so they are tracked here; only what the change did not touch is read (none of it for a new order).
    /// Called after the save: the tracker is read as saved, without another scan of every tracked entity (DetectChanges).
    /// </summary>
    public async Task<WorkOrderDto> Answer(WorkOrder order, Customers.RegisteredProduct? product, CancellationToken ct)
    {
        var customer = order.Customer ?? db.WithoutDetect(order.CustomerId, static (d, id) => d.Customers.Local.FirstOrDefault(c => c.Id == id))
            ?? await Loads.Of(db).CustomerById(db, order.CustomerId, ct);
        if (order.ProductId is { } pid)
            product ??= db.WithoutDetect(pid, static (d, id) => d.Products.Local.FirstOrDefault(p => p.Id == id))
                ?? await Loads.Of(db).ProductById(db, pid, ct);
        var policy = await policies.ById(db, order.PolicyVersionId, ct);
        var clocks = db.WithoutDetect(order.Id, static (d, id) => d.SlaClocks.Local.Where(c => c.WorkOrderId == id).OrderBy(c => c.Id).ToList());
        var created = order.Timeline.Count == 1;
        var attachments = created ? [] : await Attachments(order.Id, ct);
        var zone = await zones.For(order.BranchId, ct);
        var now = clock.GetUtcNow();
        var dto = order.ToDto(customer, product, policy.Number, zone, attachments);
        return dto with { Clocks = clocks.Select(c => ClockDto.From(c, now, zone)).ToList() };
    }

    private async Task<List<AttachmentDto>> Attachments(long orderId, CancellationToken ct)
    {
        var list = new List<AttachmentDto>();
        await foreach (var a in Loads.Of(db).AttachmentsOf(db, orderId).WithCancellation(ct)) list.Add(a);
        return list;
    }

    public async Task<WorkOrderDto> ToDto(WorkOrder order, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == order.CustomerId, ct);
        var product = order.ProductId is { } pid ? await db.Products.AsNoTracking().SingleAsync(p => p.Id == pid, ct) : null;
        var policy = await policies.ById(db, order.PolicyVersionId, ct);
        var clocks = await db.SlaClocks.AsNoTracking().Include(c => c.Pauses).Where(c => c.WorkOrderId == order.Id).OrderBy(c => c.Id).ToListAsync(ct);
        var attachments = await db.Attachments.AsNoTracking().Where(a => a.WorkOrderId == order.Id).OrderBy(a => a.Id)
            .Select(a => new AttachmentDto(a.Id, a.Kind, a.ContentType, a.Size, $"/api/work-orders/{order.Id}/attachments/{a.Id}"))
            .ToListAsync(ct);
        var zone = await zones.For(order.BranchId, ct);
        var now = clock.GetUtcNow();
        var dto = order.ToDto(customer, product, policy.Number, zone, attachments);
        return dto with { Clocks = clocks.Select(c => ClockDto.From(c, now, zone)).ToList() };
    }
}
