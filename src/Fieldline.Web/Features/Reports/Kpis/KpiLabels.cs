using System.Globalization;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Features.Reports.Kpis;

/// <summary>Each figure's name and value as a reader sees them (the dashboard, the workbook, the archived reports), through the catalogue.</summary>
public static class KpiLabels
{
    public static Msg Of(string key)
    {
        var parts = key.Split('.');
        return parts switch
        {
            ["received"] => Msg.Of("Orders received"),
            ["completed"] => Msg.Of("Orders completed"),
            ["complaintRate"] => Msg.Of("Complaint rate"),
            ["firstTimeFix"] => Msg.Of("First-time fix rate"),
            ["waitingHours"] => Msg.Of("Waiting time from call to visit (hours)"),
            ["repairHours"] => Msg.Of("Repair time on site (hours)"),
            ["satisfaction"] => Msg.Of("Customer satisfaction (1–5)"),
            ["emptyTrips"] => Msg.Of("Empty trips"),
            ["revenue"] => Msg.Of("Revenue"),
            ["leaks"] => Msg.Of("Leaks caused by installation"),
            ["fines"] => Msg.Of("Fines deducted"),
            ["bonuses"] => Msg.Of("Bonuses and subsidies"),
            ["partsSupply"] => Msg.Of("Parts supply rate"),
            ["claimApproval"] => Msg.Of("Warranty claim approval rate"),
            ["slaCompliance", var clock] => Msg.Of("On time: {0}", Msg.Code("clock", clock)),
            ["received", "type", var t] => Msg.Of("Received: {0}", Msg.Code("type", t)),
            ["completed", "type", var t] => Msg.Of("Completed: {0}", Msg.Code("type", t)),
            ["received", "line", var l] => Msg.Of("Received: {0}", Msg.Code("line", l)),
            ["completed", "line", var l] => Msg.Of("Completed: {0}", Msg.Code("line", l)),
            _ => Msg.Of(key),
        };
    }

    /// <summary>A value as shown: counts whole, percentages with %, hours and scores with two decimals, money as ¥.</summary>
    public static string Format(decimal? value, string unit) => value is not { } v ? "—" : unit switch
    {
        KpiUnit.Percent => v.ToString("0.##", CultureInfo.InvariantCulture) + " %",
        KpiUnit.Cny => Infrastructure.Localization.Format.Money(v),
        KpiUnit.Hours or KpiUnit.Score => v.ToString("0.00", CultureInfo.InvariantCulture),
        _ => v.ToString("0", CultureInfo.InvariantCulture),
    };
}
