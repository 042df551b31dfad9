using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Features.Maps;

/// <param name="Found">False when the service knows no such place.</param>
/// <param name="Location">WGS-84, like every location Fieldline stores.</param>
/// <param name="Precision">What the match is exact to: building, street, area, district, city or region.</param>
public sealed record GeocodeDto(bool Found, GeoPoint? Location, double? Confidence, string? Precision, string? FormattedAddress);

/// <summary>
/// Where a customer's address is, from the configured map service, for the clerk to check and correct by moving the pin.
/// No service configured, or one that does not answer, is a 503: the pin on the map is then the way.
/// </summary>
public sealed class GeocodeAddress(IGeocoder geocoder, ILogger<GeocodeAddress> log)
{
    public async Task<GeocodeDto> Handle(CurrentUser user, string? address, string? city, CancellationToken ct)
    {
        user.RequireAny("register customers", Roles.Intake);
        new Validator().RequiredText(address, 300, "address").MaxLength(city, 50, "city").ThrowIfInvalid();
        if (!geocoder.IsConfigured) throw new UnavailableException(Msg.Of("No address lookup is configured: drop the pin on the map."));
        GeocodeResult? found;
        try
        {
            found = await geocoder.Locate(address!.Trim(), city, ct);
        }
        catch (GeocoderFailedException e)
        {
            log.LogWarning("Address lookup failed: {Reason}", e.Message);
            throw new UnavailableException(Msg.Of("The map service did not answer: drop the pin on the map."));
        }
        return found is null ? new GeocodeDto(false, null, null, null, null)
            : new GeocodeDto(true, new GeoPoint(Math.Round(found.Lat, 6), Math.Round(found.Lng, 6)), found.Confidence, found.Precision, found.FormattedAddress);
    }
}
