using System.Threading.Channels;
using Fieldline.Web.Features.Identity;

namespace Fieldline.Web.Features.Notifications;

/// <summary>A live push; <see cref="Title"/> and <see cref="Body"/> are stored texts (<see cref="Infrastructure.Localization.StoredText"/>), rendered per receiver.</summary>
public sealed record LiveEvent(string Kind, int BranchId, long? WorkOrderId, string Title, string Body, long? NotificationId);

/// <summary>
/// An event and who may receive it: the named users, or — for a board update (no users named) — the office staff who see
/// the branch and the technician the order is assigned to. This is what crosses nodes.
/// </summary>
public sealed record LiveEnvelope(LiveEvent Event, IReadOnlyCollection<int>? UserIds, int? TechnicianId);

/// <summary>
/// Live push to open pages. Publishing hands the event to the transport (in-process on SQLite, PostgreSQL NOTIFY with
/// several nodes), which hands it back to <see cref="Deliver"/> on every node; each node writes it to the streams of
/// its own connected users who may see it.
/// </summary>
public sealed class LiveFeed(ILiveTransport transport)
{
    private readonly Lock _gate = new();
    private readonly List<Subscriber> _subscribers = [];

    public ILiveTransport Transport => transport;

    /// <param name="technicianId">The caller's technician record, if they are one: a technician sees only their own orders' updates.</param>
    public (ChannelReader<LiveEvent> Reader, IDisposable Subscription) Subscribe(CurrentUser user, int? technicianId)
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        var entry = new Subscriber(user, technicianId, channel);
        lock (_gate) _subscribers.Add(entry);
        return (channel.Reader, new Unsubscribe(() => { lock (_gate) _subscribers.Remove(entry); channel.Writer.TryComplete(); }));
    }

    /// <summary>
    /// To the named users, or to everyone who may see the order when <paramref name="userIds"/> is null (board updates).
    /// Best effort and immediate: a lost board update costs a redraw, not data (notifications are kept in-app).
    /// </summary>
    public void Publish(LiveEvent e, IReadOnlyCollection<int>? userIds, int? technicianId = null) =>
        transport.Post(new LiveEnvelope(e, userIds, technicianId));

    /// <summary>Writes an event that arrived from the transport to the local subscribers allowed to see it.</summary>
    public void Deliver(LiveEnvelope envelope)
    {
        lock (_gate)
            foreach (var s in _subscribers)
                if (s.MaySee(envelope)) s.Channel.Writer.TryWrite(envelope.Event);
    }

    /// <summary>Every open page redraws: events may have been missed while the transport was disconnected.</summary>
    public void Resync()
    {
        lock (_gate)
            foreach (var s in _subscribers) s.Channel.Writer.TryWrite(new LiveEvent("workOrderChanged", s.User.BranchId, null, "", "resync", null));
    }

    public int SubscriberCount
    {
        get { lock (_gate) return _subscribers.Count; }
    }

    private sealed record Subscriber(CurrentUser User, int? TechnicianId, Channel<LiveEvent> Channel)
    {
        // The same rule as WorkOrderAccess.Visible: a technician their own orders, office staff their branch, head office all.
        public bool MaySee(LiveEnvelope e)
        {
            if (e.UserIds is not null) return e.UserIds.Contains(User.UserId);
            if (User.IsOnlyTechnician) return TechnicianId is not null && e.TechnicianId == TechnicianId;
            return User.IsAny(Roles.Office) && User.CanSeeBranch(e.Event.BranchId);
        }
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

/// <summary>Carries live events to every node's <see cref="LiveFeed"/> (this node's included).</summary>
public interface ILiveTransport
{
    /// <summary>Sends without waiting (a use case's board update after its save).</summary>
    void Post(LiveEnvelope envelope);

    /// <summary>Sends and reports failure, so a live delivery of the outbox can be retried.</summary>
    Task SendAsync(LiveEnvelope envelope, CancellationToken ct);

    /// <summary>Whether events reach the other nodes now (readiness).</summary>
    bool Connected { get; }
}

/// <summary>One node (SQLite): events go straight to this process's subscribers.</summary>
public sealed class InProcessLiveTransport(IServiceProvider services) : ILiveTransport
{
    private LiveFeed Feed => services.GetRequiredService<LiveFeed>();
    public bool Connected => true;
    public void Post(LiveEnvelope envelope) => Feed.Deliver(envelope);

    public Task SendAsync(LiveEnvelope envelope, CancellationToken ct)
    {
        Feed.Deliver(envelope);
        return Task.CompletedTask;
    }
}
