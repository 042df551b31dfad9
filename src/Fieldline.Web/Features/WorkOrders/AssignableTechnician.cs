using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>Who may receive an order (dispatch and transfer): a technician of the order's branch, on duty, with the skill (DSP-20).</summary>
public sealed class AssignableTechnician(AppDbContext db, PolicyStore policies)
{
    public async Task<Technician> Check(WorkOrder order, int? technicianId, CancellationToken ct)
    {
        if (technicianId is null) throw ValidationFailedException.For("technicianId", "{0} is required.");
        var tech = await db.Technicians.Include(t => t.User).FirstOrDefaultAsync(t => t.Id == technicianId && t.BranchId == order.BranchId, ct)
            ?? throw ValidationFailedException.For("technicianId", "Technician {1} does not exist in this branch.", technicianId);
        var name = tech.User?.DisplayName ?? $"#{tech.Id}";
        if (!tech.OnDuty) throw ValidationFailedException.For("technicianId", "Technician {1} is off duty.", name);
        var policy = await policies.ById(db, order.PolicyVersionId, ct);
        var skill = Technician.SkillFor(order.ProductLine, order.Type == WorkOrderType.Install);
        if (policy.SkillMatching && !tech.Skills.Contains(skill))
            throw ValidationFailedException.For("technicianId", "Technician {1} lacks the skill this order needs: {2}.", name, Msg.Skill(skill));
        return tech;
    }
}
