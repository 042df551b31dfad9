using Fieldline.Web.Features.Customers;

namespace Fieldline.Web.Features.Notifications;

/// <summary>A message to a person by SMS (the dispatch order to a technician).</summary>
public interface ISmsSender
{
    /// <param name="deliveryId">Stable across retries of the same message, so a gateway that honours it never sends twice.</param>
    Task SendAsync(string phone, string text, string deliveryId, CancellationToken ct);
}

/// <summary>The default SMS provider: records the message in the log (number masked) instead of sending it.</summary>
public sealed class LogSmsSender(ILogger<LogSmsSender> log) : ISmsSender
{
    public Task SendAsync(string phone, string text, string deliveryId, CancellationToken ct)
    {
        log.LogInformation("SMS {DeliveryId} to {Phone}: {Text}", deliveryId, PhoneNumber.Mask(phone), text);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A generic HTTP SMS gateway: POSTs {"to","text"} as JSON to Fieldline:Sms:Url with an optional bearer key and the
/// delivery's Idempotency-Key. The call has its own time-out (Fieldline:Deliveries:SmsTimeoutSeconds, set where the
/// client is registered); a slow gateway fails this attempt, which is retried later.
/// </summary>
public sealed class HttpSmsSender(HttpClient http, IConfiguration config) : ISmsSender
{
    public async Task SendAsync(string phone, string text, string deliveryId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, config["Fieldline:Sms:Url"]) { Content = JsonContent.Create(new { to = phone, text }) };
        if (config["Fieldline:Sms:ApiKey"] is { Length: > 0 } key) request.Headers.Authorization = new("Bearer", key);
        request.Headers.Add("Idempotency-Key", deliveryId);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
    }
}
