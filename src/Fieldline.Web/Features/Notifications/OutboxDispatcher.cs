using Fieldline.Web.Infrastructure.Localization;
using System.Threading.Channels;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Notifications;

/// <summary>A message to a person by SMS (the dispatch order to a technician).</summary>
public interface ISmsSender
{
    Task SendAsync(string phone, string text, CancellationToken ct);
}

/// <summary>The default SMS provider: records the message in the log (number masked) instead of sending it.</summary>
public sealed class LogSmsSender(ILogger<LogSmsSender> log) : ISmsSender
{
    public Task SendAsync(string phone, string text, CancellationToken ct)
    {
        log.LogInformation("SMS to {Phone}: {Text}", PhoneNumber.Mask(phone), text);
        return Task.CompletedTask;
    }
}

/// <summary>A generic HTTP SMS gateway: POSTs {"to","text"} as JSON to Fieldline:Sms:Url with an optional bearer key.</summary>
public sealed class HttpSmsSender(HttpClient http, IConfiguration config) : ISmsSender
{
    public async Task SendAsync(string phone, string text, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, config["Fieldline:Sms:Url"]) { Content = JsonContent.Create(new { to = phone, text }) };
        if (config["Fieldline:Sms:ApiKey"] is { Length: > 0 } key) request.Headers.Authorization = new("Bearer", key);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>Live push to open pages: each connected user gets the notifications addressed to them as they are delivered.</summary>
public sealed class LiveFeed
{
    private readonly Lock _gate = new();
    private readonly List<(int UserId, int BranchId, bool HeadOffice, Channel<LiveEvent> Channel)> _subscribers = [];

    public (ChannelReader<LiveEvent> Reader, IDisposable Subscription) Subscribe(CurrentUser user)
    {
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        var entry = (user.UserId, user.BranchId, user.IsHeadOffice, channel);
        lock (_gate) _subscribers.Add(entry);
        return (channel.Reader, new Unsubscribe(() => { lock (_gate) _subscribers.Remove(entry); channel.Writer.TryComplete(); }));
    }

    /// <summary>To the named users, or to everyone watching the branch when <paramref name="userIds"/> is null (board updates).</summary>
    public void Publish(LiveEvent e, IReadOnlyCollection<int>? userIds)
    {
        lock (_gate)
            foreach (var s in _subscribers)
                if (userIds?.Contains(s.UserId) ?? (s.HeadOffice || s.BranchId == e.BranchId)) s.Channel.Writer.TryWrite(e);
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

/// <summary>A live push; <see cref="Title"/> and <see cref="Body"/> are stored texts (<see cref="StoredText"/>), rendered per receiver.</summary>
public sealed record LiveEvent(string Kind, int BranchId, long? WorkOrderId, string Title, string Body, long? NotificationId);

/// <summary>
/// Delivers the outbox at least once: in-app notification rows (unique per message and user, so a redelivery after a
/// crash adds nothing), live push to open pages, and SMS through the configured provider.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, TimeProvider clock, LiveFeed live, ILogger<OutboxDispatcher> log) : IDueWork
{
    public async Task RunDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var sms = scope.ServiceProvider.GetRequiredService<ISmsSender>();
        var pending = await db.Outbox.Where(m => m.DeliveredAt == null && m.Attempts < 10).OrderBy(m => m.Id).Take(500).ToListAsync(ct);
        foreach (var message in pending)
        {
            try
            {
                var recipients = await Recipients(db, message, ct);
                if (message.Channel == OutboxChannel.Sms)
                {
                    // Each person's SMS in the language they chose (Chinese unless they asked otherwise).
                    foreach (var to in await db.Users.Where(u => recipients.Contains(u.Id) && u.Phone != null).Select(u => new { u.Phone, u.Language }).ToListAsync(ct))
                    {
                        var culture = Catalogue.Match(to.Language) ?? Catalogue.Chinese;
                        await sms.SendAsync(to.Phone!, $"{StoredText.Render(message.Title, culture)} {StoredText.Render(message.Body, culture)}", ct);
                    }
                }
                var existing = await db.Notifications.Where(n => n.OutboxId == message.Id).Select(n => n.UserId).ToListAsync(ct);
                var added = recipients.Except(existing).Select(u => new Notification
                {
                    OutboxId = message.Id, UserId = u, CreatedAt = clock.GetUtcNow(), Kind = message.Kind, Title = message.Title, Body = message.Body, WorkOrderId = message.WorkOrderId,
                }).ToList();
                db.Notifications.AddRange(added);
                message.DeliveredAt = clock.GetUtcNow();
                await db.SaveChangesAsync(ct);
                foreach (var n in added) live.Publish(new LiveEvent(message.Kind, message.BranchId, message.WorkOrderId, message.Title, message.Body, n.Id), [n.UserId]);
                // A clock warned or breached: every open board of the branch redraws that order's countdown (it may be red now).
                if (message.WorkOrderId is not null && message.Kind.StartsWith("sla", StringComparison.Ordinal))
                    live.Publish(new LiveEvent("clockChanged", message.BranchId, message.WorkOrderId, message.Title, message.Kind, null), null);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                db.ChangeTracker.Clear();
                message.Attempts++;
                message.LastError = e.Message.Length > 500 ? e.Message[..500] : e.Message;
                db.Outbox.Attach(message).State = EntityState.Modified;
                await db.SaveChangesAsync(ct);
                log.LogWarning(e, "Delivering outbox message {Id} failed (attempt {Attempt})", message.Id, message.Attempts);
            }
        }
    }

    /// <summary>The named users, plus every active user of the branch or head office holding one of the roles.</summary>
    private static async Task<List<int>> Recipients(AppDbContext db, OutboxMessage m, CancellationToken ct)
    {
        var ids = new HashSet<int>(m.RecipientUserIds);
        if (m.RecipientRoles.Count > 0)
        {
            var headOffice = await db.Branches.Where(b => b.ParentId == null).Select(b => b.Id).ToListAsync(ct);
            var staff = await db.Users.Where(u => u.IsActive && (u.BranchId == m.BranchId || headOffice.Contains(u.BranchId)))
                .Select(u => new { u.Id, u.Roles }).ToListAsync(ct);
            ids.UnionWith(staff.Where(u => u.Roles.Any(m.RecipientRoles.Contains)).Select(u => u.Id));
        }
        return [.. ids];
    }
}
