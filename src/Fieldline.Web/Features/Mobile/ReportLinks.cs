using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Fieldline.Web.Infrastructure.Auth;

namespace Fieldline.Web.Features.Mobile;

/// <summary>
/// Signed, expiring links to an order's service report for the customer, who has no login (sent by SMS or shown as a
/// QR code on the phone). The HMAC key is derived from the token signing key, so every app node checks the same links
/// and a link signature can never be mistaken for a token signature.
/// </summary>
public sealed class ReportLinks(TokenKeys keys, TimeProvider clock, MobileOptions options)
{
    /// <summary>The report's link (/r/…).</summary>
    public const string Report = "report-link";
    /// <summary>The customer's rating page (/v/…): the same signature under its own key, so one link never opens the other.</summary>
    public const string Rating = "rating-link";

    public (string Url, DateTimeOffset ExpiresAt) Create(long orderId) => Create(orderId, Report);

    public (string Url, DateTimeOffset ExpiresAt) Create(long orderId, string purpose)
    {
        var expires = clock.GetUtcNow().AddDays(purpose == Rating ? options.RatingLinkDays : options.ReportLinkDays);
        var e = expires.ToUnixTimeSeconds();
        return ($"/{(purpose == Rating ? "v" : "r")}/{orderId}?e={e.ToString(CultureInfo.InvariantCulture)}&s={Sign(orderId, e, purpose)}", expires);
    }

    /// <summary>True when the signature is ours for this order and expiry, and the expiry has not passed.</summary>
    public bool IsValid(long orderId, long expires, string? signature, string purpose = Report)
    {
        if (string.IsNullOrEmpty(signature) || expires < clock.GetUtcNow().ToUnixTimeSeconds()) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(orderId, expires, purpose));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private string Sign(long orderId, long expires, string purpose)
    {
        var key = HMACSHA256.HashData(keys.Key.Key, Encoding.ASCII.GetBytes($"fieldline/{purpose}/v1"));
        var mac = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{orderId}:{expires}")));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
