using Fieldline.Web.Features.Maps;

namespace Fieldline.Tests.Maps;

/// <summary>WGS-84 (GPS, stored) ↔ GCJ-02 (Chinese tiles and map services), and the map settings that rest on it.</summary>
public sealed class CoordinatesTests
{
    // Reference pairs published with the eviltransform library's tests (WGS-84 → GCJ-02).
    public static TheoryData<double, double, double, double> Published => new()
    {
        { 31.1774276, 121.5272106, 31.17530398364597, 121.531541859215 },  // Shanghai
        { 22.543847, 113.912316, 22.540796131694766, 113.9171764808363 },  // Shenzhen
        { 39.911954, 116.377817, 39.91334545536069, 116.38404722455657 },  // Beijing
    };

    [Theory]
    [MemberData(nameof(Published))]
    public void A_GPS_point_moves_to_where_Chinese_tiles_draw_it(double lat, double lng, double gcjLat, double gcjLng)
    {
        var (a, b) = Coordinates.Wgs84ToGcj02(lat, lng);
        Assert.Equal(gcjLat, a, 9);
        Assert.Equal(gcjLng, b, 9);
    }

    [Theory]
    [MemberData(nameof(Published))]
    public void A_point_picked_on_Chinese_tiles_goes_back_to_GPS(double lat, double lng, double gcjLat, double gcjLng)
    {
        var (a, b) = Coordinates.Gcj02ToWgs84(gcjLat, gcjLng);
        Assert.Equal(lat, a, 8);
        Assert.Equal(lng, b, 8);
    }

    [Fact]
    public void The_round_trip_is_exact_to_a_centimetre_anywhere_in_China_and_the_offset_is_hundreds_of_metres()
    {
        for (var lat = 18.0; lat <= 53.0; lat += 2.5)
            for (var lng = 74.0; lng <= 134.0; lng += 2.5)
            {
                var (gLat, gLng) = Coordinates.Wgs84ToGcj02(lat, lng);
                var (wLat, wLng) = Coordinates.Gcj02ToWgs84(gLat, gLng);
                Assert.True(Math.Abs(wLat - lat) < 1e-7 && Math.Abs(wLng - lng) < 1e-7, $"({lat}, {lng}) came back as ({wLat}, {wLng})");
            }
        // Changsha: the offset is what makes a GPS point land in the wrong street on AutoNavi's tiles.
        var (cLat, cLng) = Coordinates.Wgs84ToGcj02(28.1940, 112.9823);
        var metres = Math.Sqrt(Math.Pow((cLat - 28.1940) * 111_000, 2) + Math.Pow((cLng - 112.9823) * 111_000 * Math.Cos(28.19 * Math.PI / 180), 2));
        Assert.InRange(metres, 300, 800);
    }

    [Fact]
    public void Outside_China_nothing_moves()
    {
        Assert.Equal((48.8584, 2.2945), Coordinates.Wgs84ToGcj02(48.8584, 2.2945));
        Assert.Equal((48.8584, 2.2945), Coordinates.Gcj02ToWgs84(48.8584, 2.2945));
    }

    [Fact]
    public void The_map_converts_for_display_only_when_its_tiles_are_GCJ02()
    {
        var gps = new MapOptions();
        Assert.Equal((28.19, 112.98), gps.ToDisplay(28.19, 112.98));
        var amap = new MapOptions { CoordinateSystem = "gcj02" };
        Assert.Equal(Coordinates.Wgs84ToGcj02(28.19, 112.98), amap.ToDisplay(28.19, 112.98));
        var (lat, lng) = amap.FromDisplay(amap.ToDisplay(28.19, 112.98).Lat, amap.ToDisplay(28.19, 112.98).Lng);
        Assert.Equal(28.19, lat, 9);
        Assert.Equal(112.98, lng, 9);
    }

    [Fact]
    public void The_CSP_names_every_tile_host_and_a_tile_path_on_this_site_needs_none()
    {
        var amap = new MapOptions
        {
            TileUrl = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}", TileSubdomains = "1234",
        }.Validated();
        Assert.Equal(["https://webrd01.is.autonavi.com", "https://webrd02.is.autonavi.com", "https://webrd03.is.autonavi.com", "https://webrd04.is.autonavi.com"], amap.TileOrigins());
        Assert.Equal(["http://127.0.0.1:5080"], new MapOptions { TileUrl = "http://127.0.0.1:5080/{s}/{z}/{x}/{y}.png", TileSubdomains = "a,b" }.TileOrigins());
        Assert.Empty(new MapOptions { TileUrl = "/tiles/{z}/{x}/{y}.png" }.TileOrigins());
        Assert.Empty(new MapOptions().TileOrigins());
    }

    [Fact]
    public void A_wrong_map_setting_stops_the_start_naming_the_key()
    {
        Assert.Contains("CoordinateSystem", Assert.Throws<InvalidOperationException>(() => new MapOptions { CoordinateSystem = "BD09" }.Validated()).Message);
        Assert.Contains("TileSubdomains", Assert.Throws<InvalidOperationException>(() => new MapOptions { TileUrl = "https://t{s}.example.cn/{z}/{x}/{y}.png" }.Validated()).Message);
        Assert.Contains("GeocoderKey", Assert.Throws<InvalidOperationException>(() => new MapOptions { Geocoder = "AMap" }.Validated()).Message);
        Assert.Contains("TileUrl", Assert.Throws<InvalidOperationException>(() => new MapOptions { TileUrl = "javascript:alert(1)" }.Validated()).Message);
    }
}
