using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Notifications;

/// <summary>{ "upToId": 123 } — marks the caller's unread notifications up to and including this id; none: all of them.</summary>
public sealed record ReadAllRequest(long? UpToId);

/// <summary>How many notifications this call marked read (0 when a repeat found them read already).</summary>
public sealed record ReadAllResult(int Marked);

/// <summary>
/// Read marks on the caller's own notifications — one message (the phone's tap), or all of them at once (全部已读 on the
/// phone and the console). Both are idempotent: a mark once set keeps its first time, so a phone that sends its queued
/// marks again after a lost answer changes nothing. "All" is bounded by the newest message the reader had seen
/// (<c>upToId</c>): a mark made offline and sent later never covers a message that arrived after the tap.
/// </summary>
public sealed class ReadNotifications(AppDbContext db, TimeProvider clock)
{
    /// <summary>False when the notification is not the caller's (or does not exist): the caller learns nothing of others'.</summary>
    public async Task<bool> One(CurrentUser user, long id, CancellationToken ct)
    {
        var n = await db.Notifications.FirstOrDefaultAsync(x => x.Id == id && x.UserId == user.UserId, ct);
        if (n is null) return false;
        n.ReadAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<ReadAllResult> All(CurrentUser user, long? upToId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var unread = db.Notifications.Where(n => n.UserId == user.UserId && n.ReadAt == null);
        if (upToId is { } last) unread = unread.Where(n => n.Id <= last);
        // One statement however many there are, inside this request's write (on SQLite the group commit's connection);
        // the save then commits it, or leaves it to the stored answer's commit when the request has an Idempotency-Key.
        await db.BeginWriteAsync(ct);
        var marked = await unread.ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        await db.SaveChangesAsync(ct);
        return new ReadAllResult(marked);
    }
}
