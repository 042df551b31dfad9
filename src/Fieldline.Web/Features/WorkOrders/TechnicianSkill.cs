namespace Fieldline.Web.Features.WorkOrders;

/// <summary>The skill an order needs (DSP-20): "line.install" for installations, "line.repair" for everything else.</summary>
public static class TechnicianSkill
{
    public static string For(WorkOrder order) => Technicians.Technician.SkillFor(order.ProductLine, order.Type == WorkOrderType.Install);
}
