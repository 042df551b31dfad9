namespace Fieldline.Web.Features.WorkOrders;

/// <summary>
/// What the server believes of the phone's clock. The phone stamps every action with its own time (<c>X-Device-Time</c>)
/// when the technician takes it, and — from the outbox — its clock at the moment of sending (<c>X-Device-Sent-Time</c>).
/// An action queued offline reaches the server hours after it was taken, so a stamp earlier than the receipt is normal,
/// and the phone's stamp is then the only witness of when the technician checked in or finished (CMP-09's test run, the
/// appointment agreed "for this afternoon"). But the stamp is the client's word: it is believed only where it can be true.
/// <list type="bullet">
/// <item>Placed on the server's clock: the difference between the receipt and the sending time is how far the phone's
/// clock is behind (or ahead); without a sending time the phone's clock is taken as right.</item>
/// <item>Not after the receipt (give or take <see cref="Skew"/>): nothing reaches the server before it happened.</item>
/// <item>Not before the step it follows (give or take <see cref="Skew"/>): the phone cannot act on an order before it
/// was dispatched to it, nor before its own previous step — the office's status changes count at the server's time, the
/// same user's earlier steps at their own stamps (one phone, one clock).</item>
/// </list>
/// An incredible stamp is kept on the timeline as what the phone said, but proves nothing: the server's receipt time is
/// used instead. It is not refused, because the stamp is frozen in the phone's outbox with the action: a phone whose
/// clock was wrong would otherwise never get its day's work through, while the fallback only loses the phone's claim.
/// </summary>
public static class DeviceClock
{
    /// <summary>How far the phone's placed time may stray from what the server knows (clock drift, network time).</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    /// <summary>How far the server's clock is ahead of the phone's, measured on a request that says when it was sent.</summary>
    public static TimeSpan Offset(DateTimeOffset? sentAt, DateTimeOffset received) => sentAt is { } sent ? received - sent : TimeSpan.Zero;

    /// <summary>
    /// When an action stamped <paramref name="deviceAt"/> by <paramref name="userId"/>'s phone happened, on the server's
    /// clock, or null when there is no stamp or it cannot be true. <paramref name="before"/> is the order's timeline before it.
    /// </summary>
    public static DateTimeOffset? Credible(IEnumerable<TimelineEntry> before, int? userId, DateTimeOffset? deviceAt, TimeSpan offset, DateTimeOffset received)
    {
        if (deviceAt is not { } stamp) return null;
        var at = stamp + offset;
        if (at > received + Skew) return null;
        foreach (var e in before)
        {
            var mine = userId is not null && e.ActorUserId == userId;
            DateTimeOffset? floor = mine && e.DeviceAt is { } earlier ? earlier + offset
                : mine || e.FromStatus != e.ToStatus ? e.At
                : null; // another person's note (a price approval, a progress call) may come while the phone is offline
            if (floor is { } f && at < f - Skew) return null;
        }
        return at > received ? received : at;
    }

    /// <summary>
    /// The credible time of a step already on the order's timeline, judged again with this request's measure of the
    /// phone's clock (a forged stamp stays incredible however late the completion that relies on it comes).
    /// </summary>
    public static DateTimeOffset? Credible(WorkOrder order, TimelineEntry entry, TimeSpan offset) =>
        Credible(order.Timeline.TakeWhile(t => !ReferenceEquals(t, entry)), entry.ActorUserId, entry.DeviceAt, offset, entry.At);
}
