using System.Text.Json;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Quality;

/// <summary>
/// The on-site checks a supervisor can trust (INS-01, PEN-52, SC-20, ONS-22). What may have an innocent reason — a check-in
/// far from the customer's recorded location (the customer may have moved), a unit whose model or serial differs from the
/// order's — is flagged for review, never refused; what the policy blocks (INS-01's model check before installing) and what
/// cannot be true (a test run longer than the time on site) is refused, naming the field.
/// </summary>
public sealed class CheckOnSite(AppDbContext db)
{
    /// <summary>Where the model read off the unit came from: its own barcode or nameplate, or the carton it came in.</summary>
    public static readonly string[] ModelSources = ["unit", "cartonLabel"];

    /// <summary>ONS-22: a check-in farther than the policy's radius from the customer's location is flagged.</summary>
    public void CheckIn(WorkOrder order, CompanyPolicy policy, double lat, double lng, Actor actor, DateTimeOffset now)
    {
        if (policy.CheckInRadiusMeters is not { } radius || order.Lat is not { } customerLat || order.Lng is not { } customerLng) return;
        var meters = (int)Math.Round(DistanceMeters(customerLat, customerLng, lat, lng));
        if (meters <= radius) return;
        Raise(order, QualityFlagKinds.CheckInFarFromCustomer, "checkIn", actor, now, new
        {
            distanceMeters = meters, radiusMeters = radius, checkIn = new { lat, lng }, customerLocation = new { lat = customerLat, lng = customerLng },
        });
    }

    /// <summary>
    /// Before the completion changes anything: CMP-09's test run cannot be longer than the time since the check-in — by the
    /// phone's own clock where it is credible (X-Device-Time: a completion queued offline reaches the server together
    /// with its check-in), else by the server's — and
    /// INS-01 (SC-20) blocks installing a unit whose model differs from the policy's reference document — Gree's invoice,
    /// on which the carton label is no proof; Binchun's purchase order, compared with the carton label.
    /// </summary>
    public static void Refusals(Validator v, WorkOrder order, CompanyPolicy policy, int? testRunMinutes, string? unitModel, string? unitModelSource, Actor actor,
        DateTimeOffset now)
    {
        if (testRunMinutes is { } claimed && MinutesOnSite(order, actor, now) is { } spent && claimed > spent)
            v.Add("testRunMinutes", "The test run of {1} minutes is longer than the {2} minutes since the check-in.", claimed, spent);
        if (order.Type != WorkOrderType.Install || policy.ModelVerification is not { } check || string.IsNullOrWhiteSpace(unitModel)) return;
        if (unitModelSource == "cartonLabel" && !check.TrustCartonLabel)
        {
            v.Add("unitModelSource", "The carton label is no proof of the model under this policy (INS-01): read the model off the unit itself.");
            return;
        }
        if (order.ProductModel is { } reference && !SameModel(reference, unitModel))
            v.Add("unitModel", check.Document == "purchaseOrder"
                ? "The model on the unit ({1}) differs from the purchase order ({2}): do not install it (INS-01)."
                : "The model on the unit ({1}) differs from the invoice ({2}): do not install it (INS-01).", unitModel.Trim(), reference);
    }

    /// <summary>
    /// Whole minutes between the check-in and the completion: each at the phone's time where that is credible (an action
    /// queued offline arrives late), else at the server's receipt. A stamp the phone could not have made — before the order
    /// reached it, or after the server received it — proves no time on site (DeviceClock; F1: a check-in stamped three
    /// hours before the order existed "proved" a 45-minute test run 0.3 s after it).
    /// </summary>
    private static int? MinutesOnSite(WorkOrder order, Actor actor, DateTimeOffset now)
    {
        if (order.CheckedInAt is not { } arrived) return null;
        var checkIn = order.Timeline.LastOrDefault(t => t.Action == "checkedIn");
        var from = checkIn is null ? arrived : DeviceClock.Credible(order, checkIn, actor.DeviceOffset) ?? arrived;
        var to = actor.ActedAt(now);
        return (int)Math.Floor((to - from).TotalMinutes);
    }

    /// <summary>
    /// At completion, after the refusals: a model that differs from the order's (where INS-01 does not block), a barcode
    /// that differs from the unit's registered serial.
    /// </summary>
    public void Completion(WorkOrder order, string? barcode, string? unitModel, Actor actor, DateTimeOffset now)
    {
        if (!string.IsNullOrWhiteSpace(unitModel) && order.ProductModel is { } model && !SameModel(model, unitModel))
            Raise(order, QualityFlagKinds.ModelMismatch, "complete", actor, now, new { orderModel = model, unitModel = unitModel.Trim(), barcode });
        if (!string.IsNullOrWhiteSpace(barcode) && order.ProductId is not null && order.SerialNumber is { } serial
            && !string.Equals(serial, barcode.Trim(), StringComparison.OrdinalIgnoreCase))
            Raise(order, QualityFlagKinds.SerialMismatch, "complete", actor, now, new { registeredSerial = serial, barcode = barcode.Trim() });
    }

    /// <summary>An installation's barcode is already the serial of another customer's or another registered unit.</summary>
    public void SerialTaken(WorkOrder order, string barcode, Actor actor, DateTimeOffset now) =>
        Raise(order, QualityFlagKinds.SerialMismatch, "complete", actor, now, new { barcode, registeredElsewhere = true });

    private void Raise(WorkOrder order, string kind, string on, Actor actor, DateTimeOffset now, object evidence) =>
        db.QualityFlags.Add(new QualityFlag
        {
            WorkOrderId = order.Id, BranchId = order.BranchId, TechnicianUserId = actor.UserId, Kind = kind, RaisedOn = on, RaisedAt = now, RaisedBy = actor.Name,
            EvidenceJson = JsonSerializer.Serialize(evidence, JsonSerializerOptions.Web),
        });

    /// <summary>Models compare without case, spaces or dashes: "KFR-35GW" is "kfr 35gw".</summary>
    public static bool SameModel(string a, string b)
    {
        static string Norm(string s) => new(s.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return Norm(a) == Norm(b);
    }

    /// <summary>Great-circle distance (haversine) in metres.</summary>
    public static double DistanceMeters(double lat1, double lng1, double lat2, double lng2)
    {
        const double R = 6_371_000;
        double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLng = Rad(lng2 - lng1);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2);
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
