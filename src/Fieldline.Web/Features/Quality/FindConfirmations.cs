using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Quality;

/// <summary><c>imageUrl</c>: the signature image, an attachment of the order.</summary>
public sealed record ConfirmationDto(long Id, long WorkOrderId, string WorkOrderCode, int BranchId, string Topic, string Rule, string SignerName,
    string? CustomerName, string? TechnicianName, DateTimeOffset SignedAt, string KeeperRole, string Status, DateTimeOffset? FiledAt, string? FiledBy,
    long AttachmentId, string ImageUrl, int Version);

public sealed record ConfirmationQuery(int? BranchId, string? Status, long? WorkOrderId, int? Page, int? PageSize);

/// <summary>
/// The customers' signed confirmations of a branch (head office: any branch), newest first, pending or filed: the keepers'
/// list — the dispatcher's, and the materials administrator's where the policy gives them the pre-laid pipe ones.
/// </summary>
public sealed class FindConfirmations(AppDbContext db, BranchZones zones)
{
    /// <summary>Who reads them: the keepers, and the supervisor and managers who answer for the installations.</summary>
    public static readonly string[] Readers = [Roles.Dispatcher, Roles.WarehouseKeeper, Roles.Supervisor, Roles.Manager, Roles.Admin];

    public async Task<Page<ConfirmationDto>> Handle(CurrentUser user, ConfirmationQuery q, CancellationToken ct)
    {
        user.RequireAny("read customer confirmations", Readers);
        var v = new Validator();
        var status = v.Enum<ConfirmationStatus>(q.Status, "status", required: false, kind: "confirmationStatus");
        var (skip, take) = Paging.Check(q.Page, q.PageSize);
        v.ThrowIfInvalid();
        if (q.BranchId is { } b && !user.CanSeeBranch(b)) throw new NotFoundException("Branch", b);
        var rows = Visible(user);
        if (q.BranchId is { } branch) rows = rows.Where(c => c.BranchId == branch);
        if (status is { } s) rows = rows.Where(c => c.Status == s);
        if (q.WorkOrderId is { } order) rows = rows.Where(c => c.WorkOrderId == order);
        var total = await rows.CountAsync(ct);
        return new Page<ConfirmationDto>(await Dtos(rows.OrderByDescending(c => c.SignedAt).ThenByDescending(c => c.Id).Skip(skip).Take(take), ct), total);
    }

    /// <summary>
    /// The caller's branch (head office: any); a warehouse keeper who is nothing more sees only the confirmations they keep —
    /// a customer's signature is shown to those who need it.
    /// </summary>
    internal IQueryable<CustomerConfirmation> Visible(CurrentUser user)
    {
        var rows = user.IsHeadOffice ? db.CustomerConfirmations : db.CustomerConfirmations.Where(c => c.BranchId == user.BranchId);
        return user.IsAny(Roles.Dispatcher, Roles.Supervisor, Roles.Manager, Roles.Admin) ? rows : rows.Where(c => c.KeeperRole == Roles.WarehouseKeeper);
    }

    internal async Task<List<ConfirmationDto>> Dtos(IQueryable<CustomerConfirmation> confirmations, CancellationToken ct)
    {
        var rows = await confirmations.AsNoTracking()
            .Select(c => new
            {
                C = c,
                Order = db.WorkOrders.Where(o => o.Id == c.WorkOrderId).Select(o => new
                {
                    o.Code,
                    Customer = db.Customers.Where(x => x.Id == o.CustomerId).Select(x => x.Name).FirstOrDefault(),
                }).First(),
                Technician = db.Users.Where(u => u.Id == c.RecordedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
                FiledBy = db.Users.Where(u => u.Id == c.FiledByUserId).Select(u => u.DisplayName).FirstOrDefault(),
            }).ToListAsync(ct);
        var result = new List<ConfirmationDto>(rows.Count);
        foreach (var r in rows)
        {
            var zone = await zones.For(r.C.BranchId, ct);
            result.Add(new(r.C.Id, r.C.WorkOrderId, r.Order.Code, r.C.BranchId, JsonNames.Of(r.C.Topic), CustomerConfirmation.Rule(r.C.Topic), r.C.SignerName,
                r.Order.Customer, r.Technician, BranchTime.Local(r.C.SignedAt, zone), r.C.KeeperRole, JsonNames.Of(r.C.Status),
                BranchTime.Local(r.C.FiledAt, zone), r.FiledBy, r.C.AttachmentId, $"/api/work-orders/{r.C.WorkOrderId}/attachments/{r.C.AttachmentId}", r.C.Version));
        }
        return result;
    }
}
