using System.Text.Json.Nodes;

namespace Fieldline.Web.Features.Policy;

public sealed partial class CompanyPolicy
{
    /// <summary>
    /// WAR-01/WAR-02: the warranty of a unit of <paramref name="productLine"/> this version gives — warranty.monthsByProductLine
    /// for the line, else warranty.months; 0 when the policy names no length (the unit is then registered out of warranty).
    /// </summary>
    public int WarrantyMonthsFor(string productLine) =>
        _warrantyMonthsByProductLine?[productLine] is JsonValue v && v.TryGetValue<int>(out var months)
            ? months : WarrantyMonths ?? 0;

    private readonly JsonObject? _warrantyMonthsByProductLine = At(document, "warranty.monthsByProductLine") as JsonObject;

    /// <summary>
    /// RV-02: every how many days a registered unit's customer is visited again after the last service (returnVisit.periodicIntervalDays).
    /// The sources give no number: a policy that only says returnVisit.periodic = true (ccec) visits once a year
    /// (<see cref="DefaultPeriodicVisitIntervalDays"/>, an assumption: the purifier's warranty year, WAR-01); none without either.
    /// </summary>
    public int? PeriodicVisitIntervalDays { get; } =
        Value<int>(document, "returnVisit.periodicIntervalDays") is > 0 and var days ? days
            : Value<bool>(document, "returnVisit.periodic") == true ? DefaultPeriodicVisitIntervalDays : null;

    public const int DefaultPeriodicVisitIntervalDays = 365;

    /// <summary>
    /// DSP-28 ("closed after return visit"): whether a reached or refused return visit closes the order at once
    /// (returnVisit.closeWhenVisited) rather than leaving it for the manager to close. The sources leave it open: off by default.
    /// </summary>
    public bool CloseWhenVisited { get; } = Value<bool>(document, "returnVisit.closeWhenVisited") ?? false;

    /// <summary>WAR-01: the parts the warranty does not cover (warranty.excludedComponents), as the registered unit keeps them.</summary>
    public IReadOnlyList<string> WarrantyExclusions { get; } = Texts(document, "warranty.excludedComponents");

    /// <summary>
    /// ONS-22 / SC-14: how far from the customer's location a check-in may be before a supervisor reviews it
    /// (completion.checkInRadiusMeters, the tenant's geofence); none when the policy sets no radius.
    /// </summary>
    public int? CheckInRadiusMeters { get; } = Value<int>(document, "completion.checkInRadiusMeters");

    /// <summary>
    /// INS-01: the document the unit's model is checked against before installing (installation.modelVerification) —
    /// Gree's invoice, the carton label not being proof; Binchun's purchase order, the carton label being the reference.
    /// Null when the policy has no model check.
    /// </summary>
    public ModelVerification? ModelVerification { get; } =
        At(document, "installation.modelVerification") is JsonObject
            ? new(Text(document, "installation.modelVerification.document") ?? "invoice", Value<bool>(document, "installation.modelVerification.trustCartonLabel") ?? false) : null;

    /// <summary>
    /// INS-16: on a pre-laid copper pipe job the customer signs that the model matches the pipes laid before completion
    /// (installation.preLaidPipeCustomerConfirmationRequired; off where the policy does not say).
    /// </summary>
    /// <summary>
    /// INS-03 / SC-19: the tenant's capacity-to-room table (<c>installation.capacityRoomAreaTable</c>, rows
    /// <c>{"hp": 1, "maxAreaM2": 15}</c>: a unit of that many HP suits a room up to that area). The source gives only the
    /// principle, so every preset leaves it empty; a company fills it in. Sorted by HP.
    /// </summary>
    public IReadOnlyList<(decimal Hp, decimal MaxAreaM2)> CapacityRoomAreaTable { get; } =
        (At(document, "installation.capacityRoomAreaTable") as JsonArray ?? []).OfType<JsonObject>()
            .Select(r => (Hp: DecimalOf(r["hp"]), Max: DecimalOf(r["maxAreaM2"])))
            .Where(r => r.Hp > 0 && r.Max > 0).Select(r => (r.Hp!.Value, r.Max!.Value)).OrderBy(r => r.Item1).ToList();

    /// <summary>The largest room a unit of <paramref name="hp"/> suits: the table's row for the largest capacity not above it; null when the table does not say.</summary>
    public decimal? MaxRoomAreaFor(decimal hp) =>
        CapacityRoomAreaTable.LastOrDefault(r => r.Hp <= hp) is { Hp: > 0 } row ? row.MaxAreaM2 : null;

    private static decimal? DecimalOf(JsonNode? node) => node is JsonValue v && v.TryGetValue<decimal>(out var d) ? d : null;

    public bool PreLaidPipeConfirmationRequired { get; } = Value<bool>(document, "installation.preLaidPipeCustomerConfirmationRequired") ?? false;

    /// <summary>
    /// INS-16: who keeps the pre-laid pipe confirmation — the <c>dispatcher</c> (第8篇 Ch7 §13, the default) or the
    /// <c>materialsAdministrator</c> (§24) (installation.preLaidPipeConfirmationKeptBy).
    /// </summary>
    public string PreLaidPipeConfirmationKeptBy { get; } = Text(document, "installation.preLaidPipeConfirmationKeptBy") ?? "dispatcher";

    /// <summary>
    /// INS-09 / ONS-09: whether a customer who insists on a bad position (or above a TV or computer) <c>preferably</c> signs
    /// (the sources: 最好是) or is <c>required</c> to (installation.customerWaiverForBadPosition).
    /// </summary>
    public bool BadPositionWaiverRequired { get; } = Text(document, "installation.customerWaiverForBadPosition") == "required";

    /// <summary>PEN-52 / INS-01: the fine key of a wrong model installed (at least installation.misinstallMinLiabilityCNY).</summary>
    public const string WrongModelRule = "wrongModelInstalled";

    /// <summary>CMP-09 / ONS-22: the evidence a completion must carry (<c>completion.evidenceRequired</c>: photos, gpsLocation, barcodeScan).</summary>
    public IReadOnlySet<string> CompletionEvidenceRequired { get; } = Texts(document, "completion.evidenceRequired").ToHashSet(StringComparer.Ordinal);

    /// <summary>ONS-20 / PEN-33: the customer signs the installation or repair card before the order is completed.</summary>
    public bool CustomerSignatureRequired { get; } = Value<bool>(document, "completion.customerSignatureRequired") == true;

    /// <summary>ONS-19 / PEN-30: the company's after-sales service sticker is applied before the order is completed.</summary>
    public bool ServiceStickerRequired { get; } = Value<bool>(document, "completion.serviceStickerRequired") == true;

    /// <summary>
    /// ONS-31 (第19篇 §8): a finished installation is reported to the company and acknowledged by it before the crew leaves
    /// the site (<c>completion.companyAcknowledgementBeforeLeavingSite</c>).
    /// </summary>
    public bool AcknowledgeBeforeLeavingSite { get; } = Value<bool>(document, "completion.companyAcknowledgementBeforeLeavingSite") == true;

    /// <summary>
    /// ONS-12's variant (第19篇 §5): a meal the customer insisted on is reported to the company afterwards
    /// (<c>onsite.mealAcceptedMustBeReported</c>); elsewhere no meal is accepted at all and there is nothing to report.
    /// </summary>
    public bool MealMustBeReported { get; } = Value<bool>(document, "onsite.mealAcceptedMustBeReported") == true;

    /// <summary>INS-23: the unit is test-run at least this long (30 minutes) before completion; null or 0 for no minimum.</summary>
    public int? TestRunMinMinutes { get; } = Value<int>(document, "completion.testRunMinMinutes");

    /// <summary>PEN-86 / A1 (返修): a repair of the same unit for the same fault within this many days is a repeat repair (30, an assumption); null = no detection.</summary>
    public int? RepeatRepairWindowDays { get; } = Value<int>(document, "repeatRepair.windowDays");

    /// <summary>RV-01: how many unreachable calls before the return-visit agent stops trying (3 when the policy does not say).</summary>
    public int ReturnVisitMaxAttempts { get; } = Value<int>(document, "returnVisit.maxAttempts") ?? 3;

    /// <summary>RV-01: how long after an unreachable call the next one is due (2 hours when the policy does not say).</summary>
    public int ReturnVisitRetryAfterMinutes { get; } = Value<int>(document, "returnVisit.retryAfterMinutes") ?? 120;

    /// <summary>SHOP-01: the depot repairs this many units a day (10): a batch of N is due ceil(N / 10) days after receipt.</summary>
    public int UnitsPerRepairDay { get; } = Value<int>(document, "shop.unitsPerRepairDay") is int perDay and > 0 ? perDay : 10;

    /// <summary>SHOP-05: a product return needs the general manager's approval (on unless the policy says false).</summary>
    public bool ReturnRequiresGMApproval { get; } = Value<bool>(document, "shop.returnRequiresGMApproval") ?? true;

    /// <summary>RPT-17 / WAR-08: the year-end statistics' trip categories (<c>statistics.tripCategories[].key</c>), in the policy's order.</summary>
    public IReadOnlyList<string> TripCategoryKeys { get; } =
        (At(document, "statistics.tripCategories") as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => c["key"] is JsonValue v && v.TryGetValue<string>(out var key) ? key : null).OfType<string>().ToList();

    /// <summary>RPT-17: the 2014 reference count of each trip category that has one (<c>statistics.tripCategories[].reference2014</c>).</summary>
    public IReadOnlyDictionary<string, int> TripCategoryReference2014 { get; } =
        (At(document, "statistics.tripCategories") as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => c["key"] is JsonValue k && k.TryGetValue<string>(out _) && c["reference2014"] is JsonValue r && r.TryGetValue<int>(out _))
            .DistinctBy(c => (string)c["key"]!).ToDictionary(c => (string)c["key"]!, c => (int)c["reference2014"]!, StringComparer.Ordinal);}

/// <summary>INS-01's check: the reference document (invoice or purchaseOrder) and whether the carton label counts as proof.</summary>
public sealed record ModelVerification(string Document, bool TrustCartonLabel);
