using System.Text.RegularExpressions;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Dispatch;

/// <summary>
/// An order in the pool as a technician sees it before taking it: where (the district, never the street or the number),
/// what, and when — no customer name, phone or full address (they come with the order once it is theirs). For a
/// technician, whether the one eligibility rule lets them take it, and every reason why not (shown greyed on the phone).
/// </summary>
public sealed record PoolOrderDto(long Id, string Code, int Version, string Type, string Priority, string ProductLine, string? ProductModel, bool InWarranty,
    string? Area, string? FaultDescription, TimeWindow? RequestedWindow, DateTimeOffset PooledAt, bool? Eligible, IReadOnlyList<EligibilityReasonDto> Reasons);

/// <summary>The orders in a branch's pool (抢单池), oldest first: a technician's own branch, or the branch an office user picks.</summary>
public sealed partial class ShowPool(AppDbContext db, TechnicianEligibility eligibility, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Viewers = [Roles.Technician, .. ShowBoard.Viewers];

    public async Task<Page<PoolOrderDto>> Handle(CurrentUser user, int? branchId, int? page, int? pageSize, CancellationToken ct)
    {
        user.RequireAny("see the order pool", Viewers);
        var (skip, take) = Paging.Check(page, pageSize);
        Features.Technicians.Technician? tech = null;
        int branch;
        if (user.IsOnlyTechnician)
        {
            tech = await db.Technicians.Include(t => t.User).FirstOrDefaultAsync(t => t.UserId == user.UserId, ct)
                ?? throw new ForbiddenException("Only a technician with a technician profile takes orders from the pool.");
            branch = tech.BranchId;
            if (branchId is { } asked && asked != branch) throw new NotFoundException("Branch", asked);
        }
        else
        {
            branch = branchId ?? user.BranchId;
            if (!user.CanSeeBranch(branch)) throw new NotFoundException("Branch", branch);
        }
        var pooled = db.WorkOrders.AsNoTracking().Where(o => o.BranchId == branch && o.PooledAt != null
            && (o.Status == WorkOrderStatus.New || o.Status == WorkOrderStatus.Returned));
        var total = await pooled.CountAsync(ct);
        var orders = await pooled.OrderBy(o => o.PooledAt).ThenBy(o => o.Id).Skip(skip).Take(take).ToListAsync(ct);
        var zone = await zones.For(branch, ct);
        var today = BranchTime.Today(clock.GetUtcNow(), zone);
        var items = new List<PoolOrderDto>();
        foreach (var o in orders)
        {
            var reasons = tech is null ? null : await eligibility.ForOrder(tech, o, today, zone, ct);
            items.Add(new PoolOrderDto(o.Id, o.Code, o.Version, JsonNames.Of(o.Type), JsonNames.Of(o.Priority), o.ProductLine, o.ProductModel, o.InWarranty,
                Area(o.Address), Masked(o.FaultDescription),
                o.RequestedStart is null && o.RequestedEnd is null ? null : new TimeWindow(BranchTime.Local(o.RequestedStart, zone), BranchTime.Local(o.RequestedEnd, zone)),
                BranchTime.Local(o.PooledAt!.Value, zone), reasons is null ? null : reasons.Count == 0, reasons?.Select(EligibilityReasonDto.From).ToList() ?? []));
        }
        return new Page<PoolOrderDto>(items, total);
    }

    /// <summary>
    /// The district of an address, which is all a technician sees before taking the order: "长沙市岳麓区麓山南路1号" →
    /// "长沙市岳麓区" (up to the first 区/县/旗 near the start, not an estate's 小区), else the city; for an address written
    /// the Western way ("12 Main St, Springfield") the part after the last comma; null when none can be told.
    /// </summary>
    public static string? Area(string? address)
    {
        if (string.IsNullOrWhiteSpace(address)) return null;
        var a = address.Trim();
        for (var i = 2; i < Math.Min(a.Length, 16); i++)
            if (a[i] is '区' or '县' or '旗' && a[i - 1] != '小') return a[..(i + 1)];
        var city = a.IndexOf('市', StringComparison.Ordinal);
        if (city is > 0 and < 12) return a[..(city + 1)];
        var comma = a.LastIndexOf(',');
        return comma > 0 && comma < a.Length - 1 && !a[(comma + 1)..].Any(char.IsDigit) ? a[(comma + 1)..].Trim() : null;
    }

    /// <summary>The fault as the clerk wrote it, with any run of digits long enough to be a phone number hidden.</summary>
    public static string? Masked(string? fault) => fault is null ? null : Digits().Replace(fault, "***");

    [GeneratedRegex(@"\d[\d\s\-]{5,}\d")]
    private static partial Regex Digits();
}
