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
        if (technicianId is null) throw ValidationFailedException.For("technicianId", "'technicianId' is required.");
        var tech = await db.Technicians.FirstOrDefaultAsync(t => t.Id == technicianId && t.BranchId == order.BranchId, ct)
            ?? throw ValidationFailedException.For("technicianId", $"Technician {technicianId} does not exist in this branch.");
        if (!tech.OnDuty) throw ValidationFailedException.For("technicianId", $"Technician {technicianId} is off duty.");
        var policy = await policies.ById(db, order.PolicyVersionId, ct);
        var skill = Technician.SkillFor(order.ProductLine, order.Type == WorkOrderType.Install);
        if (policy.SkillMatching && !tech.Skills.Contains(skill))
            throw ValidationFailedException.For("technicianId", $"Technician {technicianId} lacks the skill '{skill}' this order needs (dispatch.skillMatching).");
        return tech;
    }
}
