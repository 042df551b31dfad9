using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Complaints;

/// <summary>
/// What the customer complains about. The first three are the policy's <c>complaints.routing</c> keys (CPL-04..06), so a
/// complaint is routed by looking its type up; the service-timeliness types (PEN-13, PEN-88) and "other" are not in it.
/// </summary>
public enum ComplaintType { ProductQualityOrFunction, PackagingDamage, StaffAttitudeOrNegligence, LateContact, NoVisit, Other }

/// <summary>CPL-19: whether the complaint reached the company or the brand / manufacturer (「投诉到格力」); brand costs more.</summary>
public enum ComplaintLevel { Company, Brand }

/// <summary>CPL-20: open until verified or rejected; resolved once the outcome is given to the customer (CPL-08).</summary>
public enum ComplaintStatus { Open, Verified, Rejected, Resolved }

/// <summary>
/// A customer's complaint, as the registration form of CPL-02 records it, with the department it is routed to, who owns
/// it, and its verification (CPL-20). State changes are methods that refuse an illegal transition (409).
/// </summary>
public sealed class Complaint : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    /// <summary>The policy in force when the complaint came in: its routing, levels and resolve time apply.</summary>
    public int PolicyVersionId { get; init; }

    /// <summary>The registered customer, when the caller is one (found by id, by the linked order, or by phone).</summary>
    public int? CustomerId { get; init; }
    public Customer? Customer { get; init; }
    public string? CustomerName { get; init; }
    /// <summary>The complainant's number, normalised; with the customer it decides what is a repeat complaint (CPL-12).</summary>
    public required string Phone { get; init; }
    public long? WorkOrderId { get; init; }
    public WorkOrder? WorkOrder { get; init; }
    /// <summary>The staff member complained about (by default the technician of the linked order).</summary>
    public int? PersonUserId { get; init; }

    public ComplaintType Type { get; init; }
    public ComplaintLevel Level { get; init; }
    public Channel Channel { get; init; }
    public required string Description { get; init; }
    /// <summary>CPL-14: a major complaint is the manager's.</summary>
    public bool Major { get; init; }
    /// <summary>CPL-21 / INT-16: an angry customer is the manager's.</summary>
    public bool AngryCustomer { get; init; }
    /// <summary>CPL-17: the customer has already left, so the longer resolve time applies.</summary>
    public bool CustomerDeparted { get; init; }

    /// <summary>The department of <c>complaints.routing</c> (e.g. marketingDepartment); null: the front desk handles it.</summary>
    public string? RoutedTo { get; init; }
    /// <summary>complaintHandler (the front desk, CPL-14), or manager for major, angry and repeated complaints.</summary>
    public required string OwnerRole { get; init; }
    /// <summary>Why the manager owns it (CPL-12 repeat, CPL-14 major, CPL-21 angry); null when not escalated.</summary>
    /// <summary>Why the manager handles it, as codes (<see cref="Escalations"/>), comma-separated; null when the desk does.</summary>
    public string? EscalationReason { get; init; }

    /// <summary>The reasons a complaint goes to the manager (CPL-12 repeated, CPL-14 major, CPL-21 angry customer).</summary>
    public static class Escalations
    {
        public const string Repeat = "repeat", Major = "major", AngryCustomer = "angryCustomer";
    }

    /// <summary>The escalation reasons as a person reads them (反复投诉、重大投诉…).</summary>
    public Msg EscalationText => Msg.Join((EscalationReason ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => Msg.Code("escalation", r.Trim())));
    /// <summary>How many complaints (this one included) this customer made about the same problem in the last 12 months.</summary>
    public int RepeatCount { get; init; } = 1;
    /// <summary>Why a late-contact complaint did or did not propose a fine (no missed deadline, DSP-08 exemption, …).</summary>
    public string? FineNote { get; set; }

    public ComplaintStatus Status { get; private set; } = ComplaintStatus.Open;
    public DateTimeOffset CreatedAt { get; init; }
    public int? CreatedByUserId { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset? VerifiedAt { get; private set; }
    public string? VerifiedBy { get; private set; }
    public string? VerificationNote { get; private set; }
    public DateTimeOffset? RejectedAt { get; private set; }
    public string? RejectedBy { get; private set; }
    public string? RejectionReason { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? ResolvedBy { get; private set; }
    public string? Outcome { get; private set; }
    /// <summary>CPL-08: the customer was told the outcome.</summary>
    public bool CustomerNotified { get; private set; }
    /// <summary>
    /// How many findings the handler recorded. Counting them changes the complaint's row, so a finding and a verification
    /// racing on the same complaint cannot both commit: no proposed fine is ever left behind on a verified complaint.
    /// </summary>
    public int FindingCount { get; private set; }
    public List<ComplaintFinding> Findings { get; } = [];
    public int Version { get; set; }

    /// <summary>A late contact or a missed visit: the service-timeliness complaints that PEN-13 / PEN-88 fines rest on.</summary>
    public bool IsAboutTimeliness => Type is ComplaintType.LateContact or ComplaintType.NoVisit;

    public void Verify(string by, string? note, DateTimeOffset now)
    {
        Require("verify", ComplaintStatus.Open);
        (Status, VerifiedAt, VerifiedBy, VerificationNote) = (ComplaintStatus.Verified, now, by, note);
    }

    /// <summary>
    /// What the complaint establishes (CPL-20): a fine of the policy against a named person, proposed with the finding and
    /// decided with the complaint. Only while the complaint is open: verification confirms what was found, rejection dismisses it.
    /// </summary>
    public ComplaintFinding RecordFinding(string penaltyKey, int personUserId, string? note, PenaltyCase penalty, string by, DateTimeOffset now)
    {
        Require("record findings on", ComplaintStatus.Open);
        var finding = new ComplaintFinding
        {
            Complaint = this, PenaltyKey = penaltyKey, PersonUserId = personUserId, Note = note, PenaltyCase = penalty, RecordedAt = now, RecordedBy = by,
        };
        Findings.Add(finding);
        FindingCount++;
        return finding;
    }

    public void Reject(string by, string reason, DateTimeOffset now)
    {
        Require("reject", ComplaintStatus.Open);
        (Status, RejectedAt, RejectedBy, RejectionReason) = (ComplaintStatus.Rejected, now, by, reason);
    }

    /// <summary>The answer given to the customer, after the complaint was verified or rejected (a rejected one is answered too, CPL-07).</summary>
    public void Resolve(string by, string outcome, bool customerNotified, DateTimeOffset now)
    {
        Require("resolve", ComplaintStatus.Verified, ComplaintStatus.Rejected);
        (Status, ResolvedAt, ResolvedBy, Outcome, CustomerNotified) = (ComplaintStatus.Resolved, now, by, outcome, customerNotified);
    }

    private void Require(string action, params ComplaintStatus[] allowed)
    {
        if (!allowed.Contains(Status)) throw new IllegalTransitionException("a complaint", "complaintStatus", JsonNames.Of(Status), action);
    }
}

internal sealed class ComplaintConfiguration : IEntityTypeConfiguration<Complaint>
{
    public void Configure(EntityTypeBuilder<Complaint> b)
    {
        b.HasIndex(x => new { x.BranchId, x.Status, x.CreatedAt });
        b.HasIndex(x => new { x.CustomerId, x.CreatedAt });
        b.HasIndex(x => new { x.Phone, x.CreatedAt });
        b.HasIndex(x => x.WorkOrderId);
        b.HasIndex(x => new { x.BranchId, x.CreatedAt }); // the reports' complaint rate of a period (KPI-01)
        b.HasIndex(x => x.PersonUserId);
        b.Property(x => x.CustomerName).HasMaxLength(100);
        b.Property(x => x.Phone).HasMaxLength(20);
        b.Property(x => x.Description).HasMaxLength(2000);
        b.Property(x => x.RoutedTo).HasMaxLength(64);
        b.Property(x => x.OwnerRole).HasMaxLength(32);
        b.Property(x => x.EscalationReason).HasMaxLength(300);
        b.Property(x => x.FineNote).HasMaxLength(300);
        b.Property(x => x.CreatedBy).HasMaxLength(64);
        b.Property(x => x.VerifiedBy).HasMaxLength(64);
        b.Property(x => x.VerificationNote).HasMaxLength(1000);
        b.Property(x => x.RejectedBy).HasMaxLength(64);
        b.Property(x => x.RejectionReason).HasMaxLength(1000);
        b.Property(x => x.ResolvedBy).HasMaxLength(64);
        b.Property(x => x.Outcome).HasMaxLength(2000);
        b.Ignore(x => x.IsAboutTimeliness);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PolicyVersion>().WithMany().HasForeignKey(x => x.PolicyVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Customer).WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.WorkOrder).WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.PersonUserId).OnDelete(DeleteBehavior.Restrict);
    }
}
