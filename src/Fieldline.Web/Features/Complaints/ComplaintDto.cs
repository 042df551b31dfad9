using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Complaints;

public sealed record ComplaintCustomerDto(int? Id, string? Name, string Phone);

public sealed record ComplaintDto(
    long Id, int Version, int BranchId, string Status, string Type, string Level, string Channel, string Description,
    ComplaintCustomerDto Customer, long? WorkOrderId, string? WorkOrderCode, int? PersonUserId,
    bool Major, bool AngryCustomer, bool CustomerDeparted, string? RoutedTo, string OwnerRole, bool Escalated, string? EscalationReason,
    IReadOnlyList<string> EscalationReasons, int RepeatCount, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? VerifiedAt, string? VerifiedBy, string? VerificationNote,
    DateTimeOffset? RejectedAt, string? RejectedBy, string? RejectionReason,
    DateTimeOffset? ResolvedAt, string? ResolvedBy, string? Outcome, bool CustomerNotified,
    string? FineNote, IReadOnlyList<PenaltyCaseDto> PenaltyCases, IReadOnlyList<ClockDto> Clocks, IReadOnlyList<FindingDto> Findings)
{
    public static ComplaintDto From(Complaint c, string? workOrderCode, TimeZoneInfo zone, IReadOnlyList<ClockDto> clocks, IReadOnlyList<PenaltyCaseDto> cases,
        IReadOnlyList<FindingDto> findings) => new(
        c.Id, c.Version, c.BranchId, JsonNames.Of(c.Status), JsonNames.Of(c.Type), JsonNames.Of(c.Level), JsonNames.Of(c.Channel), c.Description,
        new ComplaintCustomerDto(c.CustomerId, c.CustomerName, c.Phone), c.WorkOrderId, workOrderCode, c.PersonUserId,
        c.Major, c.AngryCustomer, c.CustomerDeparted, c.RoutedTo, c.OwnerRole, c.EscalationReason is not null, c.EscalationReason is null ? null : c.EscalationText.Render(),
        c.EscalationReason?.Split(',') ?? [], c.RepeatCount,
        BranchTime.Local(c.CreatedAt, zone), c.CreatedBy, BranchTime.Local(c.VerifiedAt, zone), c.VerifiedBy, c.VerificationNote,
        BranchTime.Local(c.RejectedAt, zone), c.RejectedBy, c.RejectionReason,
        BranchTime.Local(c.ResolvedAt, zone), c.ResolvedBy, c.Outcome, c.CustomerNotified,
        c.FineNote is null ? null : StoredText.Render(c.FineNote), cases, clocks, findings);
}

/// <summary>What the complaint established (CPL-20): the rule, against whom, and the penalty case it proposed, with that case's state.</summary>
/// <param name="Trigger">The policy's own wording of the fine (as the preset states it, English).</param>
/// <param name="Name">The fine as a person names it, in the reader's language.</param>
public sealed record FindingDto(long Id, long ComplaintId, string PenaltyKey, string RuleId, string RuleIds, string Trigger, int PersonUserId, string? PersonName,
    string? Note, decimal Amount, string State, long PenaltyCaseId, DateTimeOffset RecordedAt, string RecordedBy, string Name);

public sealed record ComplaintSummaryDto(long Id, int Version, int BranchId, string Status, string Type, string Level, string Channel,
    ComplaintCustomerDto Customer, long? WorkOrderId, int? PersonUserId, string? RoutedTo, string OwnerRole, bool Escalated, DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt, string Description)
{
    public static ComplaintSummaryDto From(Complaint c, TimeZoneInfo zone) => new(c.Id, c.Version, c.BranchId, JsonNames.Of(c.Status), JsonNames.Of(c.Type),
        JsonNames.Of(c.Level), JsonNames.Of(c.Channel), new ComplaintCustomerDto(c.CustomerId, c.CustomerName, c.Phone), c.WorkOrderId, c.PersonUserId,
        c.RoutedTo, c.OwnerRole, c.EscalationReason is not null, BranchTime.Local(c.CreatedAt, zone), BranchTime.Local(c.ResolvedAt, zone), c.Description);
}
