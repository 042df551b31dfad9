using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

public sealed record EligibilityDto(int TechnicianId, string TechnicianName, DateOnly Date, long? WorkOrderId, bool Eligible, IReadOnlyList<EligibilityReasonDto> Reasons);

/// <summary>
/// <c>GET /api/technicians/{id}/eligibility?date=&amp;workOrderId=</c>: may this person get work on that day (today by
/// default) — and this order, when one is named — and every reason why not, in the reader's language.
/// </summary>
public sealed class ShowEligibility(AppDbContext db, TechnicianEligibility eligibility, WorkOrderAccess orders, BranchZones zones, TimeProvider clock)
{
    public async Task<EligibilityDto> Handle(CurrentUser user, int id, DateOnly? date, long? workOrderId, CancellationToken ct)
    {
        user.RequireAny("read a technician's eligibility", [Roles.Technician, .. Roles.Office]);
        var query = db.Technicians.AsNoTracking().Include(t => t.User).Where(t => t.Id == id);
        query = user.IsOnlyTechnician ? query.Where(t => t.UserId == user.UserId) : user.IsHeadOffice ? query : query.Where(t => t.BranchId == user.BranchId);
        var tech = await query.FirstOrDefaultAsync(ct) ?? throw new NotFoundException("Technician", id);
        var zone = await zones.For(tech.BranchId, ct);
        var today = BranchTime.Today(clock.GetUtcNow(), zone);
        var day = date ?? today;
        List<IneligibilityReason> reasons;
        if (workOrderId is { } w)
        {
            var order = await orders.Load(user, w, ct);
            if (order.BranchId != tech.BranchId) throw ValidationFailedException.For("workOrderId", "The order is not of this technician's branch.");
            reasons = await eligibility.ForOrder(tech, order, day, zone, ct);
        }
        else reasons = (await eligibility.Reasons([tech], [day], ct))[tech.Id];
        return new EligibilityDto(tech.Id, tech.User?.DisplayName ?? "", day, workOrderId, reasons.Count == 0, reasons.Select(EligibilityReasonDto.From).ToList());
    }
}
