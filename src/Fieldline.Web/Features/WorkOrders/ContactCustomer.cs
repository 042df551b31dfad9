using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record ContactRequest(string? Outcome, TimeWindow? Appointment, string? Notes, int? Version);

/// <summary>The technician's call to the customer (DSP-02/03): reached with an appointment, or unreachable.</summary>
public sealed class ContactCustomer(TechnicianActions actions)
{
    public Task<WorkOrderDto> Handle(CurrentUser user, long id, ContactRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("contact the customer", TechnicianActions.AllowedRoles);
        var v = new Validator("contact");
        var outcomes = Msg.Join([Msg.Choice("outcome", "reached"), Msg.Choice("outcome", "unreachable")]);
        var reached = r.Outcome switch
        {
            "reached" => true,
            "unreachable" => false,
            null => v.Add("outcome", "{0} is required. Allowed: {1}.", outcomes).IsValid,
            _ => v.Add("outcome", "{0}: '{1}' is not one of the allowed values: {2}.", r.Outcome, outcomes).IsValid,
        };
        if (r.Outcome == "reached") TimeWindow.Validate(v, r.Appointment, "appointment", required: true);
        v.MaxLength(r.Notes, 1000, "notes").ThrowIfInvalid();
        return actions.Run(user, id, "contact the customer of", r.Version, ifMatch, (order, actor, now) =>
        {
            // The state first (409 from Contact), then the appointment against the moment of the call.
            if (reached && order.Status == WorkOrderStatus.Accepted) Appointments.Ahead(r.Appointment!, "appointment", actor, now);
            order.Contact(reached, r.Appointment?.Start?.ToUniversalTime(), r.Appointment?.End?.ToUniversalTime(), r.Notes, actor, now);
        }, ct);
    }
}
