using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Dispatch;

/// <summary>The board's or the plan's map, with its legend and the same data as a table (_Map.cshtml).</summary>
public sealed record MapView(string Id, DispatchMapDto Map, bool IsPlan);

/// <summary>
/// The board's map, rendered inside the board's panel so that every live redraw brings fresh positions; the map itself
/// survives the redraw (hx-preserve) and only its layers are redrawn, so the dispatcher's zoom stays.
/// A view component, so that the board's page model stays as it is: <c>@await Component.InvokeAsync("BoardMap", new { board })</c>.
/// </summary>
public sealed class BoardMapViewComponent(ShowDispatchMap show) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(BoardDto board) =>
        View("/Pages/Dispatch/_Map.cshtml", new MapView("board-map", await show.ForBoard(CurrentUser.From(UserClaimsPrincipal), board, HttpContext.RequestAborted), false));
}

/// <summary>The plan's map: the proposed routes in order, the orders it could not place.</summary>
public sealed class PlanMapViewComponent(ShowDispatchMap show) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(PlanDto plan) =>
        View("/Pages/Dispatch/_Map.cshtml", new MapView("plan-map", await show.ForPlan(CurrentUser.From(UserClaimsPrincipal), plan, HttpContext.RequestAborted), true));
}
