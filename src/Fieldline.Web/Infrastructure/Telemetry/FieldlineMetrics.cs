using System.Diagnostics;
using System.Diagnostics.Metrics;
using Fieldline.Web.Features.Notifications;

namespace Fieldline.Web.Infrastructure.Telemetry;

/// <summary>
/// The app's own measurements, next to ASP.NET Core's, EF Core's and HttpClient's (TelemetrySetup): what the business
/// did (orders created, breaches recorded, deliveries by channel and outcome) and how long each background tick took.
/// </summary>
public static class FieldlineMetrics
{
    public const string Name = "Fieldline";
    public static readonly ActivitySource Activities = new(Name);
    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> OrdersCreated = Meter.CreateCounter<long>("fieldline.orders.created", description: "Work orders created");
    private static readonly Counter<long> Breaches = Meter.CreateCounter<long>("fieldline.sla.breaches", description: "SLA breaches recorded");
    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>("fieldline.deliveries", description: "Delivery attempts by channel and outcome");
    private static readonly Histogram<double> TickTime = Meter.CreateHistogram<double>("fieldline.tick.duration", unit: "s", description: "Time of one background tick");

    public static void OrderCreated(string channel) => OrdersCreated.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public static void BreachesRecorded(int count)
    {
        if (count > 0) Breaches.Add(count);
    }

    public static void Delivered(DeliveryChannel channel, string outcome) =>
        Deliveries.Add(1, new("channel", channel.ToString()), new("outcome", outcome));

    public static void Ticked(string work, TimeSpan elapsed) => TickTime.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("work", work));
}
