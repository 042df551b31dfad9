using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record MealReportBody(string? Note, int? Version);

/// <summary>
/// ONS-12's variant (第19篇 §5): where the policy allows a meal the customer insists on, provided it is reported to the
/// company afterwards, the technician reports it from the phone (what, and why it could not be declined). The
/// supervisors are told; the return-visit agent sees it beside the question on water and cigarettes (RV-05, whose
/// answer decides the fine). Under any other policy a meal is not accepted at all: a 409.
/// </summary>
public sealed class ReportMeal(TechnicianActions actions, AppDbContext db, PolicyStore policies)
{
    public Task<WorkOrderDto> Handle(CurrentUser user, long id, MealReportBody r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("report a meal at the customer's", TechnicianActions.AllowedRoles);
        new Validator().RequiredText(r.Note, 500, "note").ThrowIfInvalid();
        return actions.Run(user, id, "report a meal at the customer's on", r.Version, ifMatch, async (order, actor, now) =>
        {
            if (!(await policies.ById(db, order.PolicyVersionId, ct)).MealMustBeReported)
                throw new ConflictException(Msg.Of("Under this policy no meal is accepted at the customer's (ONS-12): there is nothing to report."));
            order.ReportMeal(r.Note!.Trim(), actor, now);
            Notify.Queue(db, now, "mealReported", order.BranchId, order.Id, Msg.Of("{0}: meal at the customer's reported", order.Code),
                Msg.Of("{0} reports a meal the customer insisted on: {1}", actor.Name, r.Note!.Trim()), [], [Roles.Supervisor]);
        }, ct);
    }
}
