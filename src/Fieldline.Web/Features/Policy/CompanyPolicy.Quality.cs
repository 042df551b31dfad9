using System.Text.Json.Nodes;

namespace Fieldline.Web.Features.Policy;

public sealed partial class CompanyPolicy
{
    /// <summary>
    /// WAR-01/WAR-02: the warranty of a unit of <paramref name="productLine"/> this version gives — warranty.monthsByProductLine
    /// for the line, else warranty.months; 0 when the policy names no length (the unit is then registered out of warranty).
    /// </summary>
    public int WarrantyMonthsFor(string productLine) =>
        (Parameters["warranty"]?["monthsByProductLine"] as JsonObject)?[productLine] is JsonValue v && v.TryGetValue<int>(out var months)
            ? months : WarrantyMonths ?? 0;

    /// <summary>
    /// RV-02: every how many days a registered unit's customer is visited again after the last service (returnVisit.periodicIntervalDays).
    /// The sources give no number: a policy that only says returnVisit.periodic = true (ccec) visits once a year
    /// (<see cref="DefaultPeriodicVisitIntervalDays"/>, an assumption: the purifier's warranty year, WAR-01); none without either.
    /// </summary>
    public int? PeriodicVisitIntervalDays =>
        Get<int?>("returnVisit.periodicIntervalDays") is > 0 and var days ? days
            : Get<bool?>("returnVisit.periodic") == true ? DefaultPeriodicVisitIntervalDays : null;

    public const int DefaultPeriodicVisitIntervalDays = 365;

    /// <summary>
    /// DSP-28 ("closed after return visit"): whether a reached or refused return visit closes the order at once
    /// (returnVisit.closeWhenVisited) rather than leaving it for the manager to close. The sources leave it open: off by default.
    /// </summary>
    public bool CloseWhenVisited => Get<bool?>("returnVisit.closeWhenVisited") ?? false;

    /// <summary>WAR-01: the parts the warranty does not cover (warranty.excludedComponents), as the registered unit keeps them.</summary>
    public IReadOnlyList<string> WarrantyExclusions =>
        (Parameters["warranty"]?["excludedComponents"] as JsonArray)?.Select(x => (string?)x).OfType<string>().ToList() ?? [];

    /// <summary>
    /// ONS-22 / SC-14: how far from the customer's location a check-in may be before a supervisor reviews it
    /// (completion.checkInRadiusMeters, the tenant's geofence); none when the policy sets no radius.
    /// </summary>
    public int? CheckInRadiusMeters => Get<int?>("completion.checkInRadiusMeters");

    /// <summary>
    /// INS-01: the document the unit's model is checked against before installing (installation.modelVerification) —
    /// Gree's invoice, the carton label not being proof; Binchun's purchase order, the carton label being the reference.
    /// Null when the policy has no model check.
    /// </summary>
    public ModelVerification? ModelVerification =>
        Parameters["installation"]?["modelVerification"] is JsonObject o
            ? new((string?)o["document"] ?? "invoice", (bool?)o["trustCartonLabel"] ?? false) : null;

    /// <summary>PEN-52 / INS-01: the fine key of a wrong model installed (at least installation.misinstallMinLiabilityCNY).</summary>
    public const string WrongModelRule = "wrongModelInstalled";
}

/// <summary>INS-01's check: the reference document (invoice or purchaseOrder) and whether the carton label counts as proof.</summary>
public sealed record ModelVerification(string Document, bool TrustCartonLabel);
