using Fieldline.Web.Features.Mobile;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.ReturnVisits;

/// <summary>
/// Issue 16: when an order is completed the customer gets, by SMS through the outbox (so only if the completion commits),
/// the signed link to rate the job (/v/{id}); an answer there is a reached return visit. Once per order: a completion
/// that is retried, or an order completed again, queues nothing more.
/// </summary>
public sealed class SendRatingLink(AppDbContext db, ReportLinks links, MobileOptions options)
{
    public const string Kind = "ratingLink";

    /// <summary>Queues the SMS in the caller's unit of work, unless the order has no phone to text or was sent its link already.</summary>
    public async Task Queue(WorkOrder order, DateTimeOffset now, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(order.ContactPhone)) return;
        if (db.Outbox.Local.Any(m => m.WorkOrderId == order.Id && m.Kind == Kind)
            || await db.Outbox.AnyAsync(m => m.WorkOrderId == order.Id && m.Kind == Kind, ct)) return;
        var (url, _) = links.Create(order.Id, ReportLinks.Rating);
        var link = options.PublicLink(url);
        Notify.SmsTo(db, now, Kind, order.BranchId, order.Id, order.ContactPhone.Trim(), Msg.Of("Please rate our service"),
            Msg.Of("Work order {0} is complete. Please tell us how the technician did: {1}", Msg.Verbatim(order.Code), Msg.Verbatim(link)));
    }
}
