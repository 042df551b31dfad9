using System.Text.Json.Nodes;

namespace Fieldline.Web.Features.Policy;

/// <summary>What the policy says about complaints: their levels, where they go, when they escalate and what excuses a late contact (CPL, DSP-08).</summary>
public sealed partial class CompanyPolicy
{
    /// <summary>CPL-19: the levels a complaint may reach (company, brand); null when the policy names none (every level is then accepted).</summary>
    public IReadOnlyList<string>? ComplaintLevels { get; } = At(document, "complaints.levels") is JsonArray ? Texts(document, "complaints.levels") : null;

    /// <summary>CPL-04..06: the department a complaint of this routing key goes to (<c>complaints.routing</c>); null when the policy names none.</summary>
    public string? ComplaintRoutedTo(string routingKey) => _complaintRouting.GetValueOrDefault(routingKey);

    private readonly Dictionary<string, string> _complaintRouting =
        (At(document, "complaints.routing") as JsonObject ?? []).Where(kv => kv.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
            .ToDictionary(kv => kv.Key, kv => (string)kv.Value!, StringComparer.Ordinal);

    /// <summary>CPL-12: the same customer's complaint about the same problem for this many times (2) goes to the manager.</summary>
    public int RepeatComplaintEscalationCount { get; } = Value<int>(document, "complaints.repeatSameIssueEscalationCount") ?? 2;

    /// <summary>CPL-08: the customer is told the outcome before a complaint is resolved.</summary>
    public bool NotifyCustomerOfOutcome { get; } = Value<bool>(document, "complaints.notifyCustomerOfOutcome") == true;

    /// <summary>CPL-18 / KPI-01: the highest complaint rate allowed (1 %: complaints ÷ completed orders); null = no limit.</summary>
    public decimal? MaxComplaintRatePercent { get; } = Value<decimal>(document, "complaints.maxComplaintRatePercent");

    /// <summary>DSP-08: a customer the dispatcher confirmed unreachable excuses the late-contact fine (on unless the policy says false).</summary>
    public bool UnreachableCustomerConfirmationExempts { get; } = Value<bool>(document, "dispatch.unreachableCustomerDispatcherConfirmationExempts") != false;
}
