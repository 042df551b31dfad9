using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;

namespace Fieldline.Web.Features.WorkOrders;

/// <summary>The SMS dispatch order (派工短信单, DSP-01) to the technician, queued with the dispatch itself.</summary>
public static class SmsDispatchOrder
{
    public static void Queue(AppDbContext db, WorkOrder order, Technician tech, DateTimeOffset now) =>
        Notify.Queue(db, now, "dispatchOrder", order.BranchId, order.Id, Msg.Of("Dispatch order {0}", order.Code),
            Msg.Of("{0} {1} {2} {3} {4} Please accept it in the app.", order.Address, order.ContactPerson, order.ContactPhone, order.ProductModel, order.FaultDescription),
            [tech.UserId], [], OutboxChannel.Sms);
}
