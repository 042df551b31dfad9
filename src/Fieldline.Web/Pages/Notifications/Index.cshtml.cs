using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Notifications;

/// <summary>The signed-in user's notifications (breaches, warnings, angry customers, transfer requests), newest first, a page at a time.</summary>
public sealed class IndexModel(AppDbContext db, Features.Identity.BranchZones zones) : ConsolePage
{
    public const int PageSize = 100;

    public IReadOnlyList<Notification> Items { get; private set; } = [];

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    // Not "page": Razor Pages' route value of that name (the page's path) would be bound instead of the query.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public int Pages { get; private set; } = 1;

    public int Unread { get; private set; }

    public async Task OnGet(CancellationToken ct)
    {
        Zone = await zones.For(Me.BranchId, ct);
        var mine = db.Notifications.AsNoTracking().Where(n => n.UserId == Me.UserId);
        Pages = Math.Max(1, (await mine.CountAsync(ct) + PageSize - 1) / PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Unread = await mine.CountAsync(n => n.ReadAt == null, ct);
        Items = await mine.OrderByDescending(n => n.Id).Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);
    }

    public string Link(int page) => page == 1 ? "/notifications" : $"/notifications?p={page}";

    /// <summary>htmx: the unread count in the header bell.</summary>
    public async Task<IActionResult> OnGetBadge(CancellationToken ct)
    {
        var unread = await db.Notifications.CountAsync(n => n.UserId == Me.UserId && n.ReadAt == null, ct);
        return Content(unread == 0 ? "" : unread.ToString(System.Globalization.CultureInfo.InvariantCulture), "text/plain");
    }

    /// <summary>全部标为已读, bounded by the newest message the page showed: one that arrived meanwhile stays unread.</summary>
    public async Task<IActionResult> OnPostReadAll([FromForm] long? upToId, [FromServices] ReadNotifications read, CancellationToken ct)
    {
        await read.All(Me, upToId, ct);
        return Redirect("/notifications");
    }
}
