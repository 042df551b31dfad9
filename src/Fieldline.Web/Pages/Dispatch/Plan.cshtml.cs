using System.Globalization;
using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Dispatch;

/// <summary>
/// "Plan the day": the optimiser proposes a technician and a place in their route for every open order of the branch,
/// each with its explanation; the dispatcher ticks the proposals to accept (all by default) and they are dispatched
/// through the same use case as a click on the board. Orders already assigned stay where they are (pinned).
/// </summary>
public sealed class PlanModel(PlanDay plan, DispatchWorkOrder dispatch, Features.Identity.BranchZones zones, TimeProvider clock) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public int? BranchId { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Date { get; set; }

    public PlanDto? Result { get; private set; }
    public List<string> Outcomes { get; } = [];

    public async Task OnGet(CancellationToken ct)
    {
        Me.RequireAny("plan the day's routes", PlanDay.Planners);
        Date ??= BranchTime.Today(clock.GetUtcNow(), await zones.For(BranchId ?? Me.BranchId, ct));
    }

    public async Task<IActionResult> OnPostPlan(CancellationToken ct)
    {
        await Attempt(async () => Result = await plan.Handle(Me, new PlanRequest(Date, BranchId, 3, 1), ct));
        return Page();
    }

    /// <summary>Dispatches the ticked proposals ("orderId:technicianId"); one refused order does not stop the others.</summary>
    public async Task<IActionResult> OnPostAccept(List<string> accept, CancellationToken ct)
    {
        foreach (var pair in accept)
        {
            var parts = pair.Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var orderId) || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var techId)) continue;
            WorkOrderDto? done = null;
            if (await Attempt(async () => done = await dispatch.Handle(Me, orderId, new DispatchRequest(techId, null), null, ct)))
                Outcomes.Add(T["{0} dispatched.", done!.Code]);
            else
                Outcomes.Add($"#{orderId}: {Problem ?? string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage))}");
            Problem = null;
            ModelState.Clear();
        }
        Flash = string.Join(";", Outcomes);
        return Redirect($"/board{(BranchId is { } b ? $"?branchId={b}" : "")}");
    }
}
