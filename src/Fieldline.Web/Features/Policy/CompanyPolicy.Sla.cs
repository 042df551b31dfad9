using System.Text.Json.Nodes;

namespace Fieldline.Web.Features.Policy;

/// <summary>The time limits the SLA timer runs (INT, DSP, CMP, CPL-16/17, RV-01, SHOP-02) and what a breach of them costs (CMP-04/05, DSP-09).</summary>
public sealed partial class CompanyPolicy
{
    /// <summary>INT-14: every piece of service information is dispatched to a technician within this time of receipt (30 working minutes).</summary>
    public double InfoDispatchWithinMinutes { get; } = Value<double>(document, "intake.infoDispatchWithinMinutes") ?? 30;

    /// <summary>INT-13: every piece of information is fully processed within this time of receipt (1440 minutes, 24 h).</summary>
    public double InfoProcessWithinMinutes { get; } = Value<double>(document, "intake.infoProcessWithinMinutes") ?? 1440;

    /// <summary>
    /// INT-17: the clerk checks a job's progress between these percentages of its planned duration (70 % – 80 %); every hard
    /// deadline warns at the first of them. A one-number window uses that number for both.
    /// </summary>
    public (double From, double To) ProgressCheckWindowPercent { get; } =
        Numbers(document, "intake.progressCheckWindowPercent") is { Count: > 0 } window ? (window[0], window[^1]) : (70, 80);

    /// <summary>DSP-01: the technician must accept the SMS dispatch order (the acknowledgement clock runs when the tenant sets its time).</summary>
    public bool SmsAcknowledgementRequired { get; } = Value<bool>(document, "dispatch.smsAcknowledgementRequired") == true;

    /// <summary>DSP-02: after an installation is dispatched, the technician contacts the customer within this time (120 minutes).</summary>
    public double ContactCustomerWithinMinutes { get; } = Value<double>(document, "dispatch.contactCustomerWithinMinutes") ?? 120;

    /// <summary>DSP-03: after a repair is dispatched, the technician contacts the customer within this target (20 minutes).</summary>
    public double RepairContactTargetMinutes { get; } = Value<double>(document, "dispatch.repairContactTargetMinutes") ?? 20;

    /// <summary>DSP-04 / PEN-88: a repair customer not contacted by this time (240 minutes) is fined if it causes a complaint; null = no such limit.</summary>
    public double? RepairContactPenaltyThresholdMinutes { get; } = Value<double>(document, "dispatch.repairContactPenaltyThresholdMinutes");

    /// <summary>DSP-09: this many no-visits in a calendar month (2) revoke the technician's evaluation eligibility; null = never.</summary>
    public int? NoVisitCountPerMonthRevokingEligibility { get; } = Value<int>(document, "dispatch.noVisitCountPerMonthRevokingEligibility");

    /// <summary>CMP-01 / CMP-02: the hard completion limit of an order (1440 minutes: never more than 24 h).</summary>
    public double CompleteWithinMinutes { get; } = Value<double>(document, "completion.completeWithinMinutes") ?? 1440;

    /// <summary>
    /// CMP-02, the half-day rule (a target): an order dispatched before this time is done that afternoon, one dispatched after
    /// it the next morning (<c>completion.halfDayRule.morningCutoff</c>, 12:00); null when the rule is not enabled.
    /// </summary>
    public TimeOnly? HalfDayMorningCutoff { get; } = Value<bool>(document, "completion.halfDayRule.enabled") == true
        ? TimeOnly.TryParse(Text(document, "completion.halfDayRule.morningCutoff") ?? "12:00", System.Globalization.CultureInfo.InvariantCulture, out var cutoff) ? cutoff : new TimeOnly(12, 0)
        : null;

    /// <summary>CMP-04: past this time (2880 minutes, 48 h) an overdue order is fined the severe amount; null = one amount only.</summary>
    public double? SevereOverdueAfterMinutes { get; } = Value<double>(document, "completion.severeOverdueAfterMinutes");

    /// <summary>CMP-04: the fine for an overdue order (30 CNY); null = the orderOverdue rule's own amount.</summary>
    public decimal? OverdueFine { get; } = Value<decimal>(document, "completion.overdueFineCNY");

    /// <summary>CMP-04: the fine for an order past the severe threshold (80 CNY); null = the rule's escalated amount.</summary>
    public decimal? SevereOverdueFine { get; } = Value<decimal>(document, "completion.severeOverdueFineCNY");

    /// <summary>CMP-04: whether the overdue and the severe fine add up (false: the severe one replaces the first).</summary>
    public bool OverdueFinesCumulative { get; } = Value<bool>(document, "completion.overdueFinesCumulative") == true;

    /// <summary>CMP-05: this many overdue orders in a calendar month (3) revoke the technician's evaluation eligibility; null = never.</summary>
    public int? OverdueCountPerMonthRevokingEligibility { get; } = Value<int>(document, "completion.overdueCountPerMonthRevokingEligibility");

    /// <summary>CPL-16: every complaint is handled within this time (1440 minutes, 24 h); null = no complaint clock.</summary>
    public double? ComplaintResolveWithinMinutes { get; } = Value<double>(document, "complaints.resolveWithinMinutes");

    /// <summary>CPL-17: a complaint from a customer who has already left is resolved within this time (4320 minutes, 72 h); null = as any complaint.</summary>
    public double? DepartedCustomerComplaintResolveWithinMinutes { get; } = Value<double>(document, "complaints.departedCustomerResolveWithinMinutes");

    /// <summary>RV-01: the return visit after a field job is completed is due within this time (4320 minutes, 3 days).</summary>
    public double ReturnVisitAfterFieldCompletionMinutes { get; } = Value<double>(document, "returnVisit.afterFieldCompletionWithinMinutes") ?? 4320;

    /// <summary>SHOP-02 / RV-01: the return visit after the customer receives a unit repaired at the depot is due within this time (4320 minutes, 3 days).</summary>
    public double ReturnVisitAfterCustomerReceiptMinutes { get; } = Value<double>(document, "returnVisit.afterCustomerReceiptWithinMinutes") ?? 4320;

    private static IReadOnlyList<double> Numbers(JsonObject document, string path) =>
        (At(document, path) as JsonArray)?.Select(x => x is JsonValue v && v.TryGetValue<double>(out var d) ? d : (double?)null).OfType<double>().ToList() ?? [];
}
