using System.Text.Json;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Quality;

public sealed record QualityFlagDto(long Id, long WorkOrderId, string WorkOrderCode, string WorkOrderType, int BranchId, string Kind, JsonElement Evidence,
    string RaisedOn, DateTimeOffset RaisedAt, string RaisedBy, int? TechnicianUserId, string? TechnicianName, string Status,
    DateTimeOffset? DecidedAt, string? DecidedBy, string? DecisionNote, long? PenaltyCaseId, int Version);

public sealed record QualityFlagQuery(int? BranchId, string? Status, long? WorkOrderId, int? Page, int? PageSize);

/// <summary>
/// The supervisor's review list of on-site flags: the caller's branch (head office: any branch), newest first, by status;
/// and the flags of one order, for its console page.
/// </summary>
public sealed class FindQualityFlags(AppDbContext db, BranchZones zones)
{
    /// <summary>Who reviews the flags: the supervisor and the managers.</summary>
    public static readonly string[] Reviewers = [Roles.Supervisor, Roles.Manager, Roles.Admin];

    public async Task<Page<QualityFlagDto>> Handle(CurrentUser user, QualityFlagQuery q, CancellationToken ct)
    {
        user.RequireAny("review quality flags", Reviewers);
        var v = new Validator();
        var status = v.Enum<QualityFlagStatus>(q.Status, "status", required: false, kind: "flagStatus");
        var (skip, take) = Paging.Check(q.Page, q.PageSize);
        v.ThrowIfInvalid();
        if (q.BranchId is { } b && !user.CanSeeBranch(b)) throw new NotFoundException("Branch", b);
        var flags = Visible(user);
        if (q.BranchId is { } branch) flags = flags.Where(f => f.BranchId == branch);
        if (status is { } s) flags = flags.Where(f => f.Status == s);
        if (q.WorkOrderId is { } order) flags = flags.Where(f => f.WorkOrderId == order);
        var total = await flags.CountAsync(ct);
        var page = await Dtos(flags.OrderByDescending(f => f.RaisedAt).ThenByDescending(f => f.Id).Skip(skip).Take(take), ct);
        return new Page<QualityFlagDto>(page, total);
    }

    /// <summary>The flags of an order the caller can already see (its console page), oldest first; none for a caller who may not review them.</summary>
    public async Task<IReadOnlyList<QualityFlagDto>> ForOrder(CurrentUser user, long workOrderId, CancellationToken ct) =>
        user.IsAny(Roles.Office) ? await Dtos(Visible(user).Where(f => f.WorkOrderId == workOrderId).OrderBy(f => f.Id), ct) : [];

    internal IQueryable<QualityFlag> Visible(CurrentUser user) =>
        user.IsHeadOffice ? db.QualityFlags : db.QualityFlags.Where(f => f.BranchId == user.BranchId);

    internal async Task<List<QualityFlagDto>> Dtos(IQueryable<QualityFlag> flags, CancellationToken ct)
    {
        var rows = await flags.AsNoTracking()
            .Select(f => new
            {
                Flag = f, Order = db.WorkOrders.Where(o => o.Id == f.WorkOrderId).Select(o => new { o.Code, o.Type }).First(),
                Technician = db.Users.Where(u => u.Id == f.TechnicianUserId).Select(u => u.DisplayName).FirstOrDefault(),
            }).ToListAsync(ct);
        var result = new List<QualityFlagDto>(rows.Count);
        foreach (var r in rows) result.Add(From(r.Flag, r.Order.Code, JsonNames.Of(r.Order.Type), r.Technician, await zones.For(r.Flag.BranchId, ct)));
        return result;
    }

    /// <summary>Times in the branch's zone, as every answer shows them.</summary>
    internal static QualityFlagDto From(QualityFlag f, string code, string type, string? technician, TimeZoneInfo zone)
    {
        using var evidence = JsonDocument.Parse(f.EvidenceJson);
        return new(f.Id, f.WorkOrderId, code, type, f.BranchId, f.Kind, evidence.RootElement.Clone(), f.RaisedOn, BranchTime.Local(f.RaisedAt, zone), f.RaisedBy,
            f.TechnicianUserId, technician, JsonNames.Of(f.Status), BranchTime.Local(f.DecidedAt, zone), f.DecidedBy, f.DecisionNote, f.PenaltyCaseId, f.Version);
    }
}
