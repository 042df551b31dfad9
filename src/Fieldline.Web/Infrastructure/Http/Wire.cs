using Fieldline.Web.Infrastructure.Localization;
namespace Fieldline.Web.Infrastructure.Http;

public sealed record GeoPoint(double? Lat, double? Lng)
{
    public static void Validate(Validator v, GeoPoint? p, string field, bool required)
    {
        if (p is null)
        {
            if (required) v.Add(field, "{0} is required.");
            return;
        }
        if (p.Lat is null) v.Add($"{field}.lat", "{0} is required.");
        if (p.Lng is null) v.Add($"{field}.lng", "{0} is required.");
        v.Range(p.Lat, -90, 90, $"{field}.lat").Range(p.Lng, -180, 180, $"{field}.lng");
    }
}

public sealed record TimeWindow(DateTimeOffset? Start, DateTimeOffset? End)
{
    /// <summary>Checks both ends are present and the window ends after it starts.</summary>
    public static void Validate(Validator v, TimeWindow? w, string field, bool required)
    {
        if (w is null)
        {
            if (required) v.Add(field, "{0} is required.");
            return;
        }
        if (w.Start is null) v.Add($"{field}.start", "{0} is required.");
        if (w.End is null) v.Add($"{field}.end", "{0} is required.");
        if (w is { Start: { } s, End: { } e } && e <= s) v.Add($"{field}.end", "{0} must be after {1}.", Msg.Field($"{field}.start"));
    }
}

/// <summary>Times are stored in UTC and shown in the branch's time zone (Asia/Shanghai by default).</summary>
public static class BranchTime
{
    public const string DefaultZone = "Asia/Shanghai";

    public static TimeZoneInfo Zone(string? id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id ?? DefaultZone); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.FindSystemTimeZoneById(DefaultZone); }
    }

    public static DateTimeOffset Local(DateTimeOffset utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(utc, zone);

    public static DateTimeOffset? Local(DateTimeOffset? utc, TimeZoneInfo zone) => utc is { } u ? TimeZoneInfo.ConvertTime(u, zone) : null;

    public static DateOnly Today(DateTimeOffset utc, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(utc, zone).DateTime);
}
