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
    public async Task<WorkOrder> Load(CurrentUser user, long id, CancellationToken ct) =>
        await Visible(user).Include(o => o.Timeline.OrderBy(t => t.Id)).Include(o => o.Parts).Include(o => o.Charges).AsSplitQuery()
            .FirstOrDefaultAsync(o => o.Id == id, ct)
        ?? throw new NotFoundException("Work order", id);

    public async Task<WorkOrderDto> Run(CurrentUser user, long id, string action, string[] roles, int? version, int? ifMatch,
        Func<WorkOrder, Actor, DateTimeOffset, Task> apply, CancellationToken ct)
    {
        var role = user.RequireAny(action, roles);
        var order = await Load(user, id, ct);
        Concurrency.Check("Work order", order.Version, version, ifMatch);
        var now = clock.GetUtcNow();
        await apply(order, new Actor(user.UserId, user.UserName, role, DeviceTime()), now);
        await sla.Apply(order, now, ct);
        await db.SaveChangesAsync(ct);
        Changed(order, action);
        return await Answer(order, null, ct);
    }

    /// <summary>
    /// Tells every open page that may see the order — the branch's office staff and its technician — that it changed
    /// (live push, on every node; the page reloads the order).
    /// </summary>
    public void Changed(WorkOrder order, string action) =>
        live.Publish(new LiveEvent("workOrderChanged", order.BranchId, order.Id, order.Code, action, null), null, order.TechnicianId);

    /// <summary>The phone's own time of an action (X-Device-Time, ISO-8601), recorded beside the server's receipt time.</summary>
    private DateTimeOffset? DeviceTime()
    {
        var header = http.HttpContext?.Request.Headers["X-Device-Time"].ToString();
        if (string.IsNullOrEmpty(header)) return null;
        if (!DateTimeOffset.TryParse(header, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t))
            throw ValidationFailedException.For("X-Device-Time", "{0} must be an ISO-8601 time with offset.");
        return t.ToUniversalTime();
    }

    /// <summary>
    /// The answer to a change, built from what this request saved rather than read back: SlaEngine.Apply loaded or made
    /// the order's clocks, so they are tracked here; only what the change did not touch is read (none of it for a new order).
    /// </summary>
    public async Task<WorkOrderDto> Answer(WorkOrder order, Customers.RegisteredProduct? product, CancellationToken ct)
    {
        var customer = order.Customer ?? db.Customers.Local.FirstOrDefault(c => c.Id == order.CustomerId)
            ?? await db.Customers.AsNoTracking().SingleAsync(c => c.Id == order.CustomerId, ct);
        if (order.ProductId is { } pid)
            product ??= db.Products.Local.FirstOrDefault(p => p.Id == pid) ?? await db.Products.AsNoTracking().SingleAsync(p => p.Id == pid, ct);
        var policy = await policies.ById(db, order.PolicyVersionId, ct);
        var clocks = db.SlaClocks.Local.Where(c => c.WorkOrderId == order.Id).OrderBy(c => c.Id).ToList();
        var created = order.Timeline.Count == 1;
        var attachments = created ? [] : await Attachments(order.Id, ct);
        var zone = await zones.For(order.BranchId, ct);
        var now = clock.GetUtcNow();
        var dto = order.ToDto(customer, product, policy.Number, zone, attachments);
        return dto with { Clocks = clocks.Select(c => ClockDto.From(c, now, zone)).ToList() };
    }

    private Task<List<AttachmentDto>> Attachments(long orderId, CancellationToken ct) =>
        db.Attachments.AsNoTracking().Where(a => a.WorkOrderId == orderId).OrderBy(a => a.Id)
            .Select(a => new AttachmentDto(a.Id, a.Kind, a.ContentType, a.Size, $"/api/work-orders/{orderId}/attachments/{a.Id}"))
            .ToListAsync(ct);

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
