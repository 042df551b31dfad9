using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Mobile;

public sealed record ColleagueDto(int Id, string Name, bool OnDuty);

/// <summary>
/// 申请转单 (DSP-11) names the colleague who would take the order, but a technician may not list technician profiles
/// (skills, home, pay grade are office business): the phone gets only who works in the same branch, by name. Left
/// staff are not offered; whether the colleague is free is the dispatcher's decision, so off-duty ones are shown, marked.
/// </summary>
public sealed class ListColleagues(AppDbContext db)
{
    public async Task<IReadOnlyList<ColleagueDto>> Handle(CurrentUser user, CancellationToken ct)
    {
        user.RequireAny("list their colleagues", Roles.Technician);
        var me = await db.Technicians.AsNoTracking().Where(t => t.UserId == user.UserId).Select(t => new { t.Id, t.BranchId }).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("Technician profile");
        var rows = await db.Technicians.AsNoTracking()
            .Where(t => t.BranchId == me.BranchId && t.Id != me.Id && t.Employment != EmploymentStatus.Left)
            .Select(t => new { t.Id, Name = t.User!.DisplayName, t.OnDuty }).ToListAsync(ct);
        return rows.OrderByDescending(r => r.OnDuty).ThenBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id)
            .Select(r => new ColleagueDto(r.Id, r.Name, r.OnDuty)).ToList();
    }
}
