using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Complaints;

public sealed record ComplaintQuery(string? Status, string? Type, int? CustomerId, string? Phone, long? WorkOrderId, int? PersonUserId, int? BranchId,
    int? Page, int? PageSize);

/// <summary>Reads one complaint, or a filtered page of those the caller may see (newest first): a customer's history at intake, an order's complaints.</summary>
public sealed class FindComplaints(ComplaintAccess access, BranchZones zones)
{
    public async Task<ComplaintDto> Get(CurrentUser user, long id, CancellationToken ct) =>
        await access.ToDto(await access.Load(user, id, ct), ct);

    /// <summary>The findings of those of these complaints the caller may see (the desk's and the order page's lists).</summary>
    public async Task<Dictionary<long, IReadOnlyList<FindingDto>>> Findings(CurrentUser user, IReadOnlyCollection<long> complaintIds, CancellationToken ct)
    {
        var visible = await access.Visible(user).Where(c => complaintIds.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct);
        return await access.Findings(visible, ct);
    }

    /// <param name="received">Only those registered in [From, To) (the dashboard's complaint rate drills down to its period's).</param>
    public async Task<Page<ComplaintSummaryDto>> List(CurrentUser user, ComplaintQuery q, CancellationToken ct, (DateTimeOffset From, DateTimeOffset To)? received = null)
    {
        var (skip, take) = Paging.Check(q.Page, q.PageSize);
        var v = new Validator("complaint");
        var statuses = new List<ComplaintStatus>();
        foreach (var s in (q.Status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (v.Enum<ComplaintStatus>(s, "status", kind: "complaintStatus") is { } status) statuses.Add(status);
        var type = v.Enum<ComplaintType>(q.Type, "type", required: false, kind: "complaintType");
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(q.Phone) && (phone = PhoneNumber.Normalize(q.Phone)) is null) v.Add("phone", PhoneNumber.Rule);
        v.ThrowIfInvalid();

        var query = access.Visible(user).AsNoTracking();
        if (statuses.Count > 0) query = query.Where(c => statuses.Contains(c.Status));
        if (type is { } t) query = query.Where(c => c.Type == t);
        if (q.CustomerId is { } customer) query = query.Where(c => c.CustomerId == customer);
        if (phone is not null) query = query.Where(c => c.Phone == phone);
        if (q.WorkOrderId is { } order) query = query.Where(c => c.WorkOrderId == order);
        if (q.PersonUserId is { } person) query = query.Where(c => c.PersonUserId == person);
        if (q.BranchId is { } branch) query = query.Where(c => c.BranchId == branch);
        if (received is { } period) query = query.Where(c => c.CreatedAt >= period.From && c.CreatedAt < period.To);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).Skip(skip).Take(take).ToListAsync(ct);
        var items = new List<ComplaintSummaryDto>(rows.Count);
        foreach (var c in rows) items.Add(ComplaintSummaryDto.From(c, await zones.For(c.BranchId, ct)));
        return new Page<ComplaintSummaryDto>(items, total);
    }
}
