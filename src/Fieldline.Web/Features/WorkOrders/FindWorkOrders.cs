using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record WorkOrderQuery(string? Status, int? TechnicianId, bool? Overdue, DateTimeOffset? From, DateTimeOffset? To, string? Q,
    int? BranchId, int? Page, int? PageSize, string? ProductLine = null, int? CustomerId = null, string? Type = null, string? Clock = null);

/// <summary>Reads one order, or a filtered page of the orders the caller may see (newest first).</summary>
public sealed class FindWorkOrders(WorkOrderAccess access, BranchZones zones, TimeProvider clock, Infrastructure.Data.AppDbContext db)
{
    public async Task<WorkOrderDto> Get(CurrentUser user, long id, CancellationToken ct)
    {
        var order = await access.Load(user, id, ct);
        return await access.ToDto(order, ct);
    }

    public async Task<Page<WorkOrderSummaryDto>> List(CurrentUser user, WorkOrderQuery q, CancellationToken ct)
    {
        var (skip, take) = Paging.Check(q.Page, q.PageSize);
        var v = new Validator();
        var statuses = new List<WorkOrderStatus>();
        foreach (var s in (q.Status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (v.Enum<WorkOrderStatus>(s, "status") is { } status) statuses.Add(status);
        if (q is { From: { } f, To: { } t } && t < f) v.Add("to", "{0} must not be before {1}.", Msg.Field("from"));
        var type = v.Enum<WorkOrderType>(q.Type, "type", required: false);
        v.MaxLength(q.Q, 100, "q").MaxLength(q.ProductLine, 32, "productLine").MaxLength(q.Clock, 32, "clock").ThrowIfInvalid();

        var query = access.Visible(user).AsNoTracking();
        if (statuses.Count > 0) query = query.Where(o => statuses.Contains(o.Status));
        if (q.TechnicianId is { } tech) query = query.Where(o => o.TechnicianId == tech);
        if (!string.IsNullOrWhiteSpace(q.ProductLine)) query = query.Where(o => o.ProductLine == q.ProductLine);
        if (q.CustomerId is { } customer) query = query.Where(o => o.CustomerId == customer);
        if (type is { } t2) query = query.Where(o => o.Type == t2);
        if (q.BranchId is { } branch) query = query.Where(o => o.BranchId == branch);
        if (q.From is { } from) query = query.Where(o => o.CreatedAt >= from.ToUniversalTime());
        if (q.To is { } to) query = query.Where(o => o.CreatedAt < to.ToUniversalTime());
        if (q.Overdue == true)
        {
            // Overdue: a hard SLA clock of the order is running past its deadline.
            var now = clock.GetUtcNow();
            // With a clock named (Today's "overdue by clock" links), only orders overdue on that deadline.
            query = query.Where(o => db.SlaClocks.Any(c => c.WorkOrderId == o.Id && c.State == Sla.ClockState.Running && !c.IsTarget && c.DueAt <= now
                && (q.Clock == null || c.Name == q.Clock)));
        }
        if (!string.IsNullOrWhiteSpace(q.Q))
        {
            var text = q.Q.Trim();
            query = query.Where(o => o.Code.Contains(text) || o.ContactPhone.Contains(text) || o.ContactPerson.Contains(text)
                || o.Customer!.Name.Contains(text) || o.Address.Contains(text));
        }
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Skip(skip).Take(take)
            .Select(o => new { Order = o, CustomerName = o.Customer!.Name }).ToListAsync(ct);
        var items = new List<WorkOrderSummaryDto>(rows.Count);
        foreach (var row in rows) items.Add(row.Order.ToSummary(row.CustomerName, await zones.For(row.Order.BranchId, ct)));
        return new Page<WorkOrderSummaryDto>(items, total);
    }
}
