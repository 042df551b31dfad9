using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.WorkOrders;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Dispatch;

/// <summary>
/// The dispatcher's board: the queue by urgency with live countdowns, the technicians and their day, orders nobody has
/// accepted. Assign and transfer post through the same use cases as the API; every open board redraws on the live feed.
/// </summary>
public sealed class BoardModel(ShowBoard show, DispatchWorkOrder dispatch, TransferWorkOrder transfer) : ConsolePage
{
    [BindProperty(SupportsGet = true)]
    public int? BranchId { get; set; }

    public BoardDto Board { get; private set; } = null!;

    public async Task OnGet(CancellationToken ct) => Board = await show.Handle(Me, BranchId, ct);

    /// <summary>htmx: the board alone, redrawn on every change in the branch.</summary>
    public async Task<IActionResult> OnGetPanel(CancellationToken ct)
    {
        Board = await show.Handle(Me, BranchId, ct);
        return Partial("_Board", this);
    }

    public async Task<IActionResult> OnPostAssign(long orderId, int? technicianId, int? version, CancellationToken ct)
    {
        await Attempt(async () =>
        {
            var order = await dispatch.Handle(Me, orderId, new DispatchRequest(technicianId, version), null, ct);
            Flash = T["{0} dispatched.", order.Code];
        });
        return await Redraw(ct);
    }

    public async Task<IActionResult> OnPostTransfer(long orderId, int? technicianId, string? reason, int? version, CancellationToken ct)
    {
        await Attempt(async () =>
        {
            var order = await transfer.Handle(Me, orderId, new TransferRequest(technicianId, reason, version), null, ct);
            Flash = T["{0} transferred.", order.Code];
        });
        return await Redraw(ct);
    }

    /// <summary>Skills as "ac.repair"; the order needs its product line's install or repair skill (DSP-20).</summary>
    public static bool Qualified(BoardTechnicianDto t, BoardOrderDto o) =>
        t.Skills.Contains(Features.Technicians.Technician.SkillFor(o.ProductLine, o.Type == "install"));

    private async Task<IActionResult> Redraw(CancellationToken ct)
    {
        Board = await show.Handle(Me, BranchId, ct);
        if (Request.Headers.ContainsKey("HX-Request")) return Partial("_Board", this);
        return Page();
    }
}
