using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>
/// An appointment being agreed — with the customer reached (contact) or moved with their consent (reschedule) — lies
/// ahead of the moment it is agreed. One in the past starts no on-time-visit clock (DSP-09, F9) and, as a postponement,
/// would make the order overdue the instant it is agreed (CMP-03/04, F10).
/// </summary>
public static class Appointments
{
    /// <summary>"Come now" agreed on the doorstep, a form filled in over a minute or two: the start may be this much behind.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Refuses (400, naming <c>{field}.start</c>) a window starting before the action: at the phone's credible time when
    /// it stamped one — an action queued offline arrives late, and "this afternoon" may have begun by then — else at the
    /// server's receipt (<see cref="Actor.ActedAt"/>).
    /// </summary>
    public static void Ahead(TimeWindow window, string field, Actor actor, DateTimeOffset now)
    {
        if (window.Start is { } start && start < actor.ActedAt(now) - Tolerance)
            throw ValidationFailedException.For($"{field}.start", "{0} cannot be in the past: an appointment is agreed for a time still to come.");
    }
}
