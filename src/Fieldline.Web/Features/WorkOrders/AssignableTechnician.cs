using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>
/// Who may receive an order (dispatch and transfer): a technician of the order's branch whom the one eligibility rule
/// lets work on the order's days, with the skill it needs (<see cref="TechnicianEligibility"/>). Anyone the rule keeps
/// from work is a 409 that names every reason; a technician without the skill is a 400 on the field, as before.
/// </summary>
public sealed class AssignableTechnician(AppDbContext db, TechnicianEligibility eligibility, BranchZones zones, TimeProvider clock)
{
    /// <param name="byManager">
    /// The after-sales manager sends the technician: their approval, so part-time staff may be sent (DSP-21); every other
    /// reason still holds.
    /// </param>
    public async Task<Technician> Check(WorkOrder order, int? technicianId, bool byManager, CancellationToken ct)
    {
        if (technicianId is null) throw ValidationFailedException.For("technicianId", "{0} is required.");
        var tech = await db.Technicians.Include(t => t.User).FirstOrDefaultAsync(t => t.Id == technicianId && t.BranchId == order.BranchId, ct)
            ?? throw ValidationFailedException.For("technicianId", "Technician {1} does not exist in this branch.", technicianId);
        var zone = await zones.For(order.BranchId, ct);
        var reasons = await eligibility.ForOrder(tech, order, BranchTime.Today(clock.GetUtcNow(), zone), zone, ct);
        if (byManager) reasons.RemoveAll(r => r.Code == TechnicianEligibility.Codes.PartTime);
        // A missing skill alone is a wrong choice in the form (400 on the field, DSP-20); anything about the person is a 409.
        if (reasons.Count > 0 && reasons.All(r => r.Code == TechnicianEligibility.Codes.Skill))
            throw ValidationFailedException.For("technicianId", "Technician {1} lacks the skill this order needs: {2}.", tech.User?.DisplayName ?? $"#{tech.Id}",
                Msg.Skill(TechnicianSkill.For(order)));
        if (reasons.Count > 0)
            throw new NotEligibleException(tech.Id, Msg.Of("{0} cannot take this order: {1}", tech.User?.DisplayName ?? $"#{tech.Id}", Msg.Join(reasons.Select(r => r.Full))), reasons);
        return tech;
    }
}
