namespace Fieldline.Routing.Dispatch;

public readonly record struct TravelLeg(double Kilometres, double Minutes);

// Where travel times come from. The default estimates them from coordinates; a routing server can be plugged in later.
public interface ITravelTimeSource
{
    TravelLeg Leg(GeoPoint from, GeoPoint to);
}

// Great-circle distance × a road factor (streets are not straight lines) ÷ an average urban speed.
public sealed class GreatCircleTravelTime : ITravelTimeSource
{
    private const double EarthRadiusKm = 6371.0088;

    public GreatCircleTravelTime(double roadFactor = 1.3, double speedKmh = 30)
    {
        if (roadFactor < 1) throw new ArgumentOutOfRangeException(nameof(roadFactor), "Roads are never shorter than the straight line.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speedKmh);
        RoadFactor = roadFactor;
        SpeedKmh = speedKmh;
    }

    public double RoadFactor { get; }
    public double SpeedKmh { get; }

    public TravelLeg Leg(GeoPoint from, GeoPoint to)
    {
        var km = GreatCircleKm(from, to) * RoadFactor;
        return new TravelLeg(km, km / SpeedKmh * 60.0);
    }

    public static double GreatCircleKm(GeoPoint a, GeoPoint b)
    {
        const double rad = Math.PI / 180;
        var dLat = (b.Latitude - a.Latitude) * rad;
        var dLng = (b.Longitude - a.Longitude) * rad;
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(a.Latitude * rad) * Math.Cos(b.Latitude * rad) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
