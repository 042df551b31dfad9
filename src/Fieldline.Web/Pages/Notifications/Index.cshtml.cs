using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Notifications;

/// <summary>The signed-in user's notifications (breaches, warnings, angry customers, transfer requests), newest first.</summary>
public sealed class IndexModel(AppDbContext db, TimeProvider clock, Features.Identity.BranchZones zones) : ConsolePage
{
    public IReadOnlyList<Features.Notifications.Notification> Items { get; private set; } = [];

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task OnGet(CancellationToken ct)
    {
        Zone = await zones.For(Me.BranchId, ct);
        Items = await db.Notifications.AsNoTracking().Where(n => n.UserId == Me.UserId).OrderByDescending(n => n.Id).Take(100).ToListAsync(ct);
    }

    /// <summary>htmx: the unread count in the header bell.</summary>
    public async Task<IActionResult> OnGetBadge(CancellationToken ct)
    {
        var unread = await db.Notifications.CountAsync(n => n.UserId == Me.UserId && n.ReadAt == null, ct);
        return Content(unread == 0 ? "" : unread.ToString(System.Globalization.CultureInfo.InvariantCulture), "text/plain");
    }

    public async Task<IActionResult> OnPostReadAll(CancellationToken ct)
    {
        await db.Notifications.Where(n => n.UserId == Me.UserId && n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, clock.GetUtcNow()), ct);
        return Redirect("/notifications");
    }
}
