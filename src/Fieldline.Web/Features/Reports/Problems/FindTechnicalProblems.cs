using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Problems;

/// <summary>A problem sent to the technical department (RPT-02/09) as shown; times in the branch's zone; <c>open</c> until answered;
/// <c>photoAttachmentId</c>: the photo sent with it, one of the order's attachments.</summary>
public sealed record TechnicalProblemDto(long Id, int BranchId, string ProductModel, string? ProductLine, string? FaultCategory, string Description,
    long? WorkOrderId, string? WorkOrderCode, DateTimeOffset RaisedAt, string? RaisedBy, string? Answer, DateTimeOffset? AnsweredAt, string? AnsweredBy,
    bool Open, int Version, long? PhotoAttachmentId = null);

/// <summary>
/// The register of problems sent to the technical department and their answers (RPT-02/09), for the branches the caller
/// may see (a branch its own, head office all): <c>open=true</c> only the unanswered; <c>from</c>/<c>to</c> (the branch's
/// days) those raised in the period or still open at its end — what the fault statistics and the monthly reports list.
/// <c>mine=true</c>: only those the caller raised; a technician sees only those (the phone's 技术问题 with the answers).
/// </summary>
public sealed class FindTechnicalProblems(AppDbContext db, BranchZones zones, ComputeKpis kpis)
{
    public static readonly string[] Readers = ComputeKpis.Readers;
    private const int Limit = 500;

    public async Task<IReadOnlyList<TechnicalProblemDto>> Handle(CurrentUser user, int? branchId, bool? open, DateOnly? from, DateOnly? to, CancellationToken ct,
        bool mine = false)
    {
        user.RequireAny("see reports", [.. Readers, Roles.Technician]);
        if (user.IsOnlyTechnician) // their own, wherever the order was (the branch of each problem is its order's)
            return await Of(await db.Set<TechnicalProblem>().Where(p => p.RaisedByUserId == user.UserId).Select(p => p.BranchId).Distinct().ToListAsync(ct),
                from, to, open ?? false, ct, user.UserId);
        var scope = await kpis.Scope(user, branchId, ct);
        return await Of(scope, from, to, open ?? false, ct, mine ? user.UserId : null);
    }

    /// <summary>The problems of these branches raised in [from, to) or still open at <paramref name="to"/>, newest first (only <paramref name="raisedBy"/>'s when given).</summary>
    public async Task<IReadOnlyList<TechnicalProblemDto>> Of(IReadOnlyList<int> branches, DateOnly? from, DateOnly? to, bool openOnly, CancellationToken ct, int? raisedBy = null)
    {
        var list = new List<TechnicalProblemDto>();
        foreach (var branch in branches)
        {
            var zone = await zones.For(branch, ct);
            var query = db.Set<TechnicalProblem>().AsNoTracking().Where(p => p.BranchId == branch);
            if (raisedBy is { } by) query = query.Where(p => p.RaisedByUserId == by);
            if (openOnly) query = query.Where(p => p.AnsweredAt == null);
            if (to is { } t)
            {
                var end = SlaMath.At(t, TimeOnly.MinValue, zone);
                query = query.Where(p => p.RaisedAt < end);
                if (from is { } f)
                {
                    var start = SlaMath.At(f, TimeOnly.MinValue, zone);
                    query = query.Where(p => p.RaisedAt >= start || p.AnsweredAt == null || p.AnsweredAt >= end);
                }
            }
            else if (from is { } f)
            {
                var start = SlaMath.At(f, TimeOnly.MinValue, zone);
                query = query.Where(p => p.RaisedAt >= start || p.AnsweredAt == null);
            }
            var rows = await query.OrderByDescending(p => p.RaisedAt).ThenByDescending(p => p.Id).Take(Limit).ToListAsync(ct);
            list.AddRange(await Dtos(rows, zone, to is { } until ? SlaMath.At(until, TimeOnly.MinValue, zone) : null, ct));
        }
        return list.OrderByDescending(p => p.RaisedAt).ThenByDescending(p => p.Id).ToList();
    }

    /// <summary>The rows as shown; an answer given after <paramref name="asOf"/> is not shown (a report of a period shows what was known at its end).</summary>
    public async Task<IReadOnlyList<TechnicalProblemDto>> Dtos(IReadOnlyList<TechnicalProblem> rows, TimeZoneInfo zone, DateTimeOffset? asOf, CancellationToken ct)
    {
        var userIds = rows.Select(p => p.RaisedByUserId).Concat(rows.Select(p => p.AnsweredByUserId).OfType<int>()).Distinct().ToList();
        var names = userIds.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var orderIds = rows.Select(p => p.WorkOrderId).OfType<long>().Distinct().ToList();
        var codes = orderIds.Count == 0 ? [] : await db.WorkOrders.AsNoTracking().Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Code, ct);
        return rows.Select(p =>
        {
            var answered = p.AnsweredAt is { } at && (asOf is null || at < asOf);
            return new TechnicalProblemDto(p.Id, p.BranchId, p.ProductModel, p.ProductLine, p.FaultCategory, p.Description, p.WorkOrderId,
                p.WorkOrderId is { } o ? codes.GetValueOrDefault(o) : null, BranchTime.Local(p.RaisedAt, zone), names.GetValueOrDefault(p.RaisedByUserId),
                answered ? p.Answer : null, answered ? BranchTime.Local(p.AnsweredAt, zone) : null,
                answered && p.AnsweredByUserId is { } by ? names.GetValueOrDefault(by) : null, !answered, p.Version, p.PhotoAttachmentId);
        }).ToList();
    }
}
