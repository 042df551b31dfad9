using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Dispatch;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Maps;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.WorkOrders;

/// <summary>
/// The intake's pin drop: look an address up with the configured map service, and save an existing customer's pin.
/// Both in the tiles' datum on the page's side and WGS-84 on the use cases' side (<see cref="MapOptions"/> converts).
/// </summary>
public sealed class LocateModel(GeocodeAddress geocode, SetCustomerLocation locate, ManageCustomers customers, MapOptions maps) : ConsolePage
{
    public IActionResult OnGet() => NotFound();

    /// <summary>JSON for map.js: where the address is (the pin goes there for the clerk to check) and a sentence to show.</summary>
    public async Task<IActionResult> OnGetGeocode(string? address, CancellationToken ct)
    {
        Me.RequireAny("register customers", Roles.Intake);
        try
        {
            var found = await geocode.Handle(Me, address, null, ct);
            if (!found.Found || found.Location is not { Lat: { } lat, Lng: { } lng }) return new JsonResult(new { found = false, message = T["The map service does not know this address: drop the pin on the map."] });
            var (dLat, dLng) = maps.ToDisplay(lat, lng);
            var sure = found.Confidence >= 0.8;
            return new JsonResult(new
            {
                found = true, lat = dLat, lng = dLng,
                message = sure ? T["Found, exact to the {0}. Check the pin before saving.", T.Code("geoPrecision", found.Precision)]
                    : T["Found only roughly (to the {0}): move the pin to the customer's door.", T.Code("geoPrecision", found.Precision)],
            });
        }
        catch (ValidationFailedException e)
        {
            return new JsonResult(new { found = false, message = string.Join(" ", e.Rendered().SelectMany(x => x.Value)) });
        }
        catch (UnavailableException e)
        {
            return new JsonResult(new { found = false, message = T.Say(e.Text) });
        }
    }

    /// <summary>htmx: saves an existing customer's pin and answers with the pin drop redrawn (saved, or the reason why not).</summary>
    public async Task<IActionResult> OnPostSave(int pinCustomerId, int? pinVersion, string? pinLat, string? pinLng, CancellationToken ct)
    {
        Me.RequireAny("register customers", Roles.Intake);
        var shown = PinDropViewComponent.Number(pinLat) is { } a && PinDropViewComponent.Number(pinLng) is { } b ? new MapPoint(a, b) : null;
        GeoPoint? stored = null;
        if (shown is not null)
        {
            var (lat, lng) = maps.FromDisplay(shown.Lat, shown.Lng);
            stored = new GeoPoint(lat, lng);
        }
        CustomerDto? saved = null;
        var ok = await Attempt(async () => saved = await locate.Handle(Me, pinCustomerId, new SetLocationRequest(stored, pinVersion), null, ct));
        if (ok) return ViewComponent("PinDrop", new { customer = saved, pin = shown, saved = true });
        var customer = await customers.Get(Me, pinCustomerId, ct);
        var why = ModelState.IsValid ? Problem : (ModelState.ContainsKey("location") || ModelState.ContainsKey("location.lat") || ModelState.ContainsKey("location.lng")
            ? T["Drop the pin on the map first."] : string.Join(" ", ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage)));
        return ViewComponent("PinDrop", new { customer, pin = shown, message = why, isError = true });
    }
}
