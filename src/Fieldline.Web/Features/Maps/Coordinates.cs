namespace Fieldline.Web.Features.Maps;

/// <summary>
/// WGS-84 (what GPS and the phones report, and what Fieldline stores) and GCJ-02 (the offset datum Chinese map services —
/// AutoNavi/Gaode, Tencent — draw their tiles in and answer their APIs in). Outside mainland China the two are the same.
/// The forward formula is the published one (Krasovsky ellipsoid); there is no closed-form inverse, so
/// <see cref="Gcj02ToWgs84"/> iterates the forward one until it lands on the given point (well under a centimetre).
/// </summary>
public static class Coordinates
{
    private const double A = 6378245.0;
    private const double Ee = 0.00669342162296594323;

    /// <summary>The rough rectangle the offset applies to (the usual bound; it includes some neighbours' border areas).</summary>
    public static bool OutsideChina(double lat, double lng) => lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;

    public static (double Lat, double Lng) Wgs84ToGcj02(double lat, double lng)
    {
        if (OutsideChina(lat, lng)) return (lat, lng);
        var (dLat, dLng) = Offset(lat, lng);
        return (lat + dLat, lng + dLng);
    }

    public static (double Lat, double Lng) Gcj02ToWgs84(double lat, double lng)
    {
        if (OutsideChina(lat, lng)) return (lat, lng);
        var (wLat, wLng) = (lat, lng);
        for (var i = 0; i < 10; i++)
        {
            var (gLat, gLng) = Wgs84ToGcj02(wLat, wLng);
            var (eLat, eLng) = (gLat - lat, gLng - lng);
            (wLat, wLng) = (wLat - eLat, wLng - eLng);
            if (Math.Abs(eLat) < 1e-10 && Math.Abs(eLng) < 1e-10) break;
        }
        return (wLat, wLng);
    }

    private static (double DLat, double DLng) Offset(double lat, double lng)
    {
        double x = lng - 105.0, y = lat - 35.0;
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x))
            + (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0
            + (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0
            + (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        var dLng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x))
            + (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0
            + (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0
            + (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        var radLat = lat / 180.0 * Math.PI;
        var magic = 1 - Ee * Math.Sin(radLat) * Math.Sin(radLat);
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (A * (1 - Ee) / (magic * sqrtMagic) * Math.PI);
        dLng = dLng * 180.0 / (A / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (dLat, dLng);
    }
}
