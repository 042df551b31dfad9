using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Claims;

public sealed record WarrantyClaimDto(long Id, int BranchId, long WorkOrderId, string WorkOrderCode, string? Brand, decimal LabourAmount, decimal PartsAmount,
    decimal Total, string PartsSummary, string Description, IReadOnlyList<long> EvidenceAttachmentIds, IReadOnlyList<long> EvidenceOldPartIds, string Status,
    DateTimeOffset SubmittedAt, DateTimeOffset? DecidedAt, string? RejectionReason, int Version);

/// <summary>KPI-04: approved ÷ submitted claims (null while there are none).</summary>
public sealed record WarrantyClaimList(IReadOnlyList<WarrantyClaimDto> Items, int Submitted, int Approved, int Rejected, int Pending, decimal? ApprovalRate);

/// <summary>The branch's claims to the brand, newest first, with the approval rate (WAR-09, KPI-04).</summary>
public sealed class FindWarrantyClaims(AppDbContext db, BranchZones zones)
{
    public static readonly string[] Readers = [Roles.Admin, Roles.Manager, Roles.Supervisor, Roles.WarehouseKeeper, Roles.Finance];

    public async Task<WarrantyClaimList> List(CurrentUser user, int? branchId, string? status, CancellationToken ct)
    {
        user.RequireAny("read warranty claims", Readers);
        var v = new Validator();
        var wanted = string.IsNullOrWhiteSpace(status) ? (WarrantyClaimStatus?)null : v.Enum<WarrantyClaimStatus>(status, "status", kind: "claimStatus");
        v.ThrowIfInvalid();
        var branch = branchId ?? user.BranchId;
        if (!user.CanSeeBranch(branch)) throw new NotFoundException("Branch", branch);
        var all = db.Set<WarrantyClaim>().AsNoTracking().Where(c => c.BranchId == branch);
        var counts = await all.GroupBy(c => c.Status).Select(g => new { g.Key, N = g.Count() }).ToListAsync(ct);
        int N(WarrantyClaimStatus s) => counts.FirstOrDefault(c => c.Key == s)?.N ?? 0;
        var total = counts.Sum(c => c.N);
        var shown = wanted is { } w ? all.Where(c => c.Status == w) : all;
        var items = await Dtos(shown.OrderByDescending(c => c.Id).Take(500), ct);
        return new WarrantyClaimList(items, total, N(WarrantyClaimStatus.Approved), N(WarrantyClaimStatus.Rejected), N(WarrantyClaimStatus.Submitted),
            total == 0 ? null : decimal.Round(N(WarrantyClaimStatus.Approved) * 100m / total, 1));
    }

    public async Task<WarrantyClaimDto> One(CurrentUser user, long id, CancellationToken ct)
    {
        var claim = (await Dtos(db.Set<WarrantyClaim>().AsNoTracking().Where(c => c.Id == id), ct)).SingleOrDefault();
        return claim is not null && user.CanSeeBranch(claim.BranchId) ? claim : throw new NotFoundException("Warranty claim", id);
    }

    private async Task<List<WarrantyClaimDto>> Dtos(IQueryable<WarrantyClaim> claims, CancellationToken ct)
    {
        var list = await claims.Join(db.WorkOrders, c => c.WorkOrderId, o => o.Id, (c, o) => new { c, o.Code }).ToListAsync(ct);
        var result = new List<WarrantyClaimDto>();
        foreach (var x in list)
        {
            var zone = await zones.For(x.c.BranchId, ct);
            result.Add(new WarrantyClaimDto(x.c.Id, x.c.BranchId, x.c.WorkOrderId, x.Code, x.c.Brand, x.c.LabourAmount, x.c.PartsAmount, x.c.LabourAmount + x.c.PartsAmount,
                x.c.PartsSummary, x.c.Description, x.c.EvidenceAttachmentIds, x.c.EvidenceOldPartIds, JsonNames.Of(x.c.Status), BranchTime.Local(x.c.SubmittedAt, zone),
                BranchTime.Local(x.c.DecidedAt, zone), x.c.RejectionReason, x.c.Version));
        }
        return result;
    }
}
