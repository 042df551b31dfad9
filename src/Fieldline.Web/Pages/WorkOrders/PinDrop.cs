using System.Globalization;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Maps;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.WorkOrders;

/// <param name="Prefix">"New" for a caller being registered (the pin goes with the order's form), "Pin" for an existing
/// customer (saved on its own, through <see cref="LocateModel"/>).</param>
/// <param name="Pin">Where the pin is, in the tiles' datum (as the map picked it).</param>
public sealed record PinDropView(string Prefix, CustomerDto? Customer, MapPoint? Pin, MapPoint Centre, bool CanLookUp, string? Message, bool IsError, bool Saved);

/// <summary>
/// The small map at intake on which the clerk drops a pin where a customer without a location lives (_PinDrop.cshtml):
/// for a new caller the pin is posted with the order (NewLat/NewLng), for an existing customer it is saved at once.
/// </summary>
public sealed class PinDropViewComponent(ShowDispatchMap maps, IGeocoder geocoder) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(CustomerDto? customer, MapPoint? pin = null, string? message = null, bool isError = false, bool saved = false)
    {
        var prefix = customer is null ? "New" : "Pin";
        // A new caller's pin survives a refused save: the form posted it back.
        if (pin is null && customer is null && Request.HasFormContentType && Number(Request.Form["NewLat"]) is { } lat && Number(Request.Form["NewLng"]) is { } lng)
            pin = new MapPoint(lat, lng);
        var branch = customer?.BranchId ?? Features.Identity.CurrentUser.From(UserClaimsPrincipal).BranchId;
        var centre = await maps.Centre(branch, HttpContext.RequestAborted);
        return View("/Pages/WorkOrders/_PinDrop.cshtml", new PinDropView(prefix, customer, pin, centre, geocoder.IsConfigured, message, isError, saved));
    }

    internal static double? Number(string? s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
}
