using System.Globalization;

namespace Fieldline.Web.Features.Maps;

/// <summary>
/// The console's maps (section Fieldline:Map). Tiles are configuration: a Chinese map service in production, none at all
/// by default (the markers and routes then draw on a plain background, with no network needed). Stored coordinates are
/// always WGS-84; <see cref="CoordinateSystem"/> says which datum the tiles are drawn in, and the server converts for display.
/// </summary>
public sealed class MapOptions
{
    public const string Wgs84 = "WGS84";
    public const string Gcj02 = "GCJ02";

    /// <summary>A Leaflet tile URL template, e.g. AutoNavi's <c>https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&amp;size=1&amp;scale=1&amp;style=8&amp;x={x}&amp;y={y}&amp;z={z}</c>.</summary>
    public string? TileUrl { get; set; }

    /// <summary>The tile provider's credit line, shown as plain text in the map's corner (e.g. "© 高德地图").</summary>
    public string? TileAttribution { get; set; }

    public int TileMaxZoom { get; set; } = 18;

    /// <summary>What <c>{s}</c> in the URL takes: each character ("1234"), or a comma-separated list ("a,b,c").</summary>
    public string? TileSubdomains { get; set; }

    /// <summary><see cref="Wgs84"/> (OpenStreetMap-style tiles) or <see cref="Gcj02"/> (AutoNavi/Gaode, Tencent).</summary>
    public string CoordinateSystem { get; set; } = Wgs84;

    /// <summary>The address lookup: empty (none: the clerk drops the pin) or "AMap" (AutoNavi/Gaode web service).</summary>
    public string? Geocoder { get; set; }

    public string? GeocoderKey { get; set; }

    /// <summary>The geocoding endpoint; the default is AMap's, a test points it at its own listener.</summary>
    public string GeocoderUrl { get; set; } = "https://restapi.amap.com/v3/geocode/geo";

    public double GeocoderTimeoutSeconds { get; set; } = 5;

    public bool TilesInGcj02 => string.Equals(CoordinateSystem, Gcj02, StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<string> Subdomains() =>
        string.IsNullOrEmpty(TileSubdomains) ? []
        : TileSubdomains.Contains(',', StringComparison.Ordinal) ? TileSubdomains.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : TileSubdomains.Select(c => c.ToString()).ToList();

    /// <summary>
    /// The origins the browser fetches tiles from, for the CSP's img-src: the URL's scheme and host with <c>{s}</c>
    /// expanded to each subdomain. A relative URL is this site ('self' already).
    /// </summary>
    public IReadOnlyList<string> TileOrigins()
    {
        if (string.IsNullOrWhiteSpace(TileUrl) || TileUrl.StartsWith('/')) return [];
        var hosts = TileUrl.Contains("{s}", StringComparison.Ordinal) ? Subdomains().Select(s => TileUrl.Replace("{s}", s, StringComparison.Ordinal)) : [TileUrl];
        return hosts.Select(u => new Uri(u.Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal)))
            .Select(u => u.GetLeftPart(UriPartial.Authority)).Distinct().ToList();
    }

    /// <summary>A stored (WGS-84) point as the tiles draw it.</summary>
    public (double Lat, double Lng) ToDisplay(double lat, double lng) => TilesInGcj02 ? Coordinates.Wgs84ToGcj02(lat, lng) : (lat, lng);

    /// <summary>A point picked on the map (a dropped pin) as it is stored.</summary>
    public (double Lat, double Lng) FromDisplay(double lat, double lng) => TilesInGcj02 ? Coordinates.Gcj02ToWgs84(lat, lng) : (lat, lng);

    /// <summary>A wrong setting stops the start with the key named, rather than drawing every marker a few hundred metres off.</summary>
    public MapOptions Validated()
    {
        if (!string.Equals(CoordinateSystem, Wgs84, StringComparison.OrdinalIgnoreCase) && !TilesInGcj02)
            throw new InvalidOperationException($"Fieldline:Map:CoordinateSystem must be {Wgs84} or {Gcj02}, not '{CoordinateSystem}'.");
        if (!string.IsNullOrWhiteSpace(TileUrl) && !TileUrl.StartsWith('/') && !(TileUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || TileUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase)))
            throw new InvalidOperationException("Fieldline:Map:TileUrl must be an http(s) URL template or a path on this site.");
        if (TileUrl?.Contains("{s}", StringComparison.Ordinal) == true && Subdomains().Count == 0)
            throw new InvalidOperationException("Fieldline:Map:TileUrl has {s}: set Fieldline:Map:TileSubdomains (e.g. 1234).");
        if (!string.IsNullOrEmpty(Geocoder) && !string.Equals(Geocoder, "AMap", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Fieldline:Map:Geocoder must be empty or AMap, not '{Geocoder}'.");
        if (string.Equals(Geocoder, "AMap", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(GeocoderKey))
            throw new InvalidOperationException("Fieldline:Map:Geocoder is AMap: set Fieldline:Map:GeocoderKey (an AMap web-service key).");
        return this;
    }

    internal static string Number(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
