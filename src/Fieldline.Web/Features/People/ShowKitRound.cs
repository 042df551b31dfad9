using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <summary>One person in the month's kit round: the kit the policy in force asks of them (all ticked as present, to untick what is missing) and their checks.</summary>
public sealed record KitRoundPersonDto(int TechnicianId, string Name, IReadOnlyList<KitItemDto> Kit, bool CheckedThisMonth, DateOnly? LastCheckedOn, bool? LastComplete);

public sealed record KitRoundDto(string Month, int BranchId, IReadOnlyList<KitRoundPersonDto> People)
{
    public int Unchecked => People.Count(p => !p.CheckedThisMonth);
}

/// <summary>
/// <c>GET /api/tool-checks/round</c>: the monthly spot check (TLS-04) as the supervisor walks it, on the phone (<c>/m#/kit</c>)
/// or the desk: everyone of the branch who must carry a kit, with that kit, and whether they were checked this month in
/// the branch's calendar. The month-end reminder (<see cref="RemindUncheckedKits"/>) reads the same list.
/// </summary>
public sealed class ShowKitRound(AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock)
{
    public async Task<KitRoundDto> Handle(CurrentUser user, int? branchId, CancellationToken ct)
    {
        user.RequireAny("walk the kit round", RecordToolCheck.Checkers);
        var branch = branchId ?? user.BranchId;
        if (!user.CanSeeBranch(branch)) throw ValidationFailedException.For("branchId", "Branch {1} does not exist.", branch);
        var now = clock.GetUtcNow();
        return await Round(branch, BranchTime.Today(now, await zones.For(branch, ct)), await policies.InForce(db, now, ct), ct);
    }

    /// <summary>The round of <paramref name="today"/>'s month: the active people of the branch whose kit the policy names.</summary>
    public async Task<KitRoundDto> Round(int branchId, DateOnly today, CompanyPolicy policy, CancellationToken ct)
    {
        var first = new DateOnly(today.Year, today.Month, 1);
        var staff = await db.Technicians.AsNoTracking().Include(t => t.User)
            .Where(t => t.BranchId == branchId && t.User!.IsActive && t.Employment != EmploymentStatus.Onboarding && t.Employment != EmploymentStatus.Left)
            .OrderBy(t => t.Id).ToListAsync(ct);
        var ids = staff.Select(t => t.Id).ToList();
        var checks = await db.Set<ToolCheck>().AsNoTracking().Where(c => ids.Contains(c.TechnicianId) && c.CheckedOn <= today
            && !db.Set<ToolCheck>().Any(n => n.TechnicianId == c.TechnicianId && n.CheckedOn <= today && n.Id > c.Id)).ToListAsync(ct);
        var people = new List<KitRoundPersonDto>();
        foreach (var t in staff)
        {
            var kit = policy.KitFor(StaffCategory.OfSkills(t.Skills));
            if (kit.Count == 0) continue;
            var last = checks.FirstOrDefault(c => c.TechnicianId == t.Id);
            people.Add(new KitRoundPersonDto(t.Id, t.User?.DisplayName ?? "", kit.Select(k => new KitItemDto(k.Code, RecordToolCheck.ItemName(k).Render(), true)).ToList(),
                last is not null && last.CheckedOn >= first, last?.CheckedOn, last?.Complete));
        }
        return new KitRoundDto(first.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), branchId, people);
    }
}
