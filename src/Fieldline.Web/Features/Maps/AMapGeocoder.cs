using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Fieldline.Web.Features.Maps;

/// <summary>
/// AutoNavi/Gaode's geocoding web service (<c>GET restapi.amap.com/v3/geocode/geo?key=…&amp;address=…</c>). It answers
/// <c>{"status":"1","geocodes":[{"location":"lng,lat","level":"门牌号",…}]}</c> in GCJ-02, converted here to WGS-84.
/// AMap gives no score, only the level it matched to; the confidence is read from that level.
/// The key travels in the query string: IHttpClientFactory's logs redact query strings (since .NET 9).
/// </summary>
internal sealed class AMapGeocoder(HttpClient http, MapOptions options) : IGeocoder
{
    public bool IsConfigured => true;

    public async Task<GeocodeResult?> Locate(string address, string? city, CancellationToken ct)
    {
        var url = $"{options.GeocoderUrl}?key={Uri.EscapeDataString(options.GeocoderKey ?? "")}&address={Uri.EscapeDataString(address)}&output=JSON"
                  + (string.IsNullOrWhiteSpace(city) ? "" : $"&city={Uri.EscapeDataString(city)}");
        JsonNode? body;
        try
        {
            using var response = await http.GetAsync(url, ct);
            if (!response.IsSuccessStatusCode) throw new GeocoderFailedException($"AMap answered HTTP {(int)response.StatusCode}");
            body = await response.Content.ReadFromJsonAsync<JsonNode>(ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
        {
            throw new GeocoderFailedException($"AMap did not answer: {e.Message}", e);
        }
        if (Text(body?["status"]) != "1") throw new GeocoderFailedException($"AMap refused the request: {Text(body?["info"])} ({Text(body?["infocode"])})");
        var first = (body?["geocodes"] as JsonArray)?.FirstOrDefault();
        var location = Text(first?["location"])?.Split(',');
        if (location is not [var lngText, var latText]
            || !double.TryParse(lngText, NumberStyles.Float, CultureInfo.InvariantCulture, out var lng)
            || !double.TryParse(latText, NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)) return null;
        var (wLat, wLng) = Coordinates.Gcj02ToWgs84(lat, lng);
        var (confidence, precision) = Level(Text(first?["level"]));
        return new GeocodeResult(wLat, wLng, confidence, precision, Text(first?["formatted_address"]));
    }

    /// <summary>AMap's match levels, from a house number down to the province.</summary>
    internal static (double Confidence, string Precision) Level(string? level) => level switch
    {
        "门牌号" or "单元号" or "兴趣点" or "楼栋" => (0.9, "building"),
        "道路交叉路口" or "道路" or "公交站台、地铁站" or "公交站台" or "地铁站" => (0.6, "street"),
        "热点商圈" or "村庄" or "乡镇" or "开发区" => (0.4, "area"),
        "区县" => (0.25, "district"),
        "市" => (0.15, "city"),
        _ => (0.05, "region"),
    };

    // Empty fields come back as [] instead of "": only a string is a value.
    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
