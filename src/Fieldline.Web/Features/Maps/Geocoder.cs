namespace Fieldline.Web.Features.Maps;

/// <summary>
/// Where an address is, in WGS-84 (whatever datum the service answers in), with how sure the service is:
/// <see cref="Confidence"/> 0…1 and the <see cref="Precision"/> it matched to (building, street, area, city).
/// </summary>
public sealed record GeocodeResult(double Lat, double Lng, double Confidence, string Precision, string? FormattedAddress);

/// <summary>Address → location. None is configured by default: then the clerk drops the pin on the map.</summary>
public interface IGeocoder
{
    bool IsConfigured { get; }

    /// <summary>The best match, or null when the service knows no such place; throws <see cref="GeocoderFailedException"/> when it cannot answer.</summary>
    Task<GeocodeResult?> Locate(string address, string? city, CancellationToken ct);
}

/// <summary>The service did not answer usefully (network, timeout, refused key, quota): the reason is for the log.</summary>
public sealed class GeocoderFailedException(string reason, Exception? inner = null) : Exception(reason, inner);

internal sealed class NoGeocoder : IGeocoder
{
    public bool IsConfigured => false;

    public Task<GeocodeResult?> Locate(string address, string? city, CancellationToken ct) => Task.FromResult<GeocodeResult?>(null);
}
