namespace Fieldline.Routing.Dispatch;

public readonly record struct GeoPoint(double Latitude, double Longitude);
