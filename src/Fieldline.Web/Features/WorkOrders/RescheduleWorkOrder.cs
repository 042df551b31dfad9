using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record RescheduleRequest(TimeWindow? Appointment, string? Reason, bool? CustomerConsent, int? Version);

/// <summary>
/// A new appointment, only with the customer's consent recorded (CMP-06): by the technician on the phone, or by the office
/// side — the dispatcher, or the after-sales manager who took the customer's call.
/// </summary>
public sealed class RescheduleWorkOrder(WorkOrderAccess access, TechnicianActions technician)
{
    public static readonly string[] AllowedRoles = [Roles.Technician, Roles.Dispatcher, Roles.Manager];
    private static readonly string[] Office = [Roles.Dispatcher, Roles.Manager];

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, RescheduleRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("reschedule", AllowedRoles);
        var v = new Validator();
        TimeWindow.Validate(v, r.Appointment, "appointment", required: true);
        v.RequiredText(r.Reason, 500, "reason");
        if (r.CustomerConsent != true) v.Add("customerConsent", "{0} must be true: an appointment moves only with the customer's consent.");
        v.ThrowIfInvalid();
        void Apply(WorkOrder order, Actor actor, DateTimeOffset now)
        {
            // The state first (409 from Reschedule), then the new appointment against the moment it was agreed.
            if (order.Status == WorkOrderStatus.Scheduled) Appointments.Ahead(r.Appointment!, "appointment", actor, now);
            order.Reschedule(r.Appointment!.Start!.Value.ToUniversalTime(), r.Appointment.End!.Value.ToUniversalTime(), r.Reason!.Trim(), actor, now);
        }
        return user.IsAny(Office)
            ? access.Run(user, id, "reschedule", Office, r.Version, ifMatch, (o, a, n) => { Apply(o, a, n); return Task.CompletedTask; }, ct)
            : technician.Run(user, id, "reschedule", r.Version, ifMatch, Apply, ct);
    }
}
