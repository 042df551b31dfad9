using Fieldline.Web.Features.Notifications;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Notifications;

/// <summary>Admins: the deliveries that failed (dead or waiting to be retried), and a dead one sent again.</summary>
public sealed class DeliveriesModel(ManageDeliveries manage) : ConsolePage
{
    public IReadOnlyList<DeliveryDto> Deliveries { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => Deliveries = (await manage.List(Me, null, 1, 200, ct)).Items;

    public async Task<IActionResult> OnPostRetry(long id, CancellationToken ct)
    {
        if (await Attempt(() => manage.Retry(Me, id, ct)))
        {
            Flash = T["Sent again."];
            return Redirect("/manage/deliveries");
        }
        await OnGet(ct);
        return Page();
    }
}
