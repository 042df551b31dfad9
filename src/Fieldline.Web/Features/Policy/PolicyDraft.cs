using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Policy;

/// <summary>The sign-off steps of GOV-03 (编制、审核、会签、批准); a draft is rejected at any step before it is approved.</summary>
public enum PolicyDraftStep { Prepare, Review, Countersign, Approve }

public enum PolicyDraftStatus { Open, Approved, Rejected }

/// <summary>
/// A change of the regulation on its way through the sign-off (GOV-03/04): drafted by the responsible unit, reviewed,
/// countersigned by the departments concerned, approved by the general manager — which puts it in force as a new
/// version. The steps the chain names, in order, each by a different person; the steps done are kept with who and when.
/// </summary>
public sealed class PolicyDraft : IVersioned
{
    public long Id { get; private set; }
    public int Version { get; set; }
    /// <summary>The drafter's branch: its staff and head office see and sign the draft; other branches do not.</summary>
    public int BranchId { get; init; }
    public required string BasedOn { get; init; }
    public DateTimeOffset? EffectiveFrom { get; init; }
    /// <summary>The change as <c>PUT /api/policy</c> takes it: <c>{"parameters":{…},"penalties":{…}}</c>.</summary>
    public required string ChangeJson { get; init; }
    /// <summary>What changes and why, for the signers.</summary>
    public required string Note { get; init; }
    /// <summary>The steps this draft goes through, from the chain in force when it was drafted ("review,countersign,approve").</summary>
    public required string Steps { get; init; }
    public PolicyDraftStatus Status { get; private set; } = PolicyDraftStatus.Open;
    public required string PreparedBy { get; init; }
    public DateTimeOffset PreparedAt { get; init; }
    public string? ReviewedBy { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }
    public string? CountersignedBy { get; private set; }
    public DateTimeOffset? CountersignedAt { get; private set; }
    public string? ApprovedBy { get; private set; }
    public DateTimeOffset? ApprovedAt { get; private set; }
    public int? PublishedVersion { get; private set; }
    public string? RejectedBy { get; private set; }
    public DateTimeOffset? RejectedAt { get; private set; }
    public string? RejectionReason { get; private set; }

    public IReadOnlyList<PolicyDraftStep> StepList =>
        Steps.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Enum.Parse<PolicyDraftStep>(s, ignoreCase: true)).ToList();

    /// <summary>The step waiting, or null once approved or rejected.</summary>
    public PolicyDraftStep? Next => Status != PolicyDraftStatus.Open ? null
        : StepList.FirstOrDefault(s => SignedBy(s) is null) is var step && SignedBy(step) is null ? step : null;

    public string? SignedBy(PolicyDraftStep step) => step switch
    {
        PolicyDraftStep.Prepare => PreparedBy,
        PolicyDraftStep.Review => ReviewedBy,
        PolicyDraftStep.Countersign => CountersignedBy,
        _ => ApprovedBy,
    };

    /// <summary>
    /// The waiting step signed by <paramref name="by"/>: GOV-03 asks for four signatures, so one person signs one step
    /// only (a 409 names the step they already signed; <paramref name="name"/> is how the refusal names them).
    /// </summary>
    public PolicyDraftStep Sign(string by, string name, DateTimeOffset now)
    {
        var step = Next ?? throw new IllegalTransitionException("a policy draft", "policyDraftStatus", JsonNames.Of(Status), "sign");
        foreach (var done in Enum.GetValues<PolicyDraftStep>().Where(s => SignedBy(s) == by))
            throw new ConflictException(Msg.Of("{0} already signed this draft ({1}): each step of the sign-off is signed by a different person.", name, Msg.Code("policyDraftStep", JsonNames.Of(done))));
        switch (step)
        {
            case PolicyDraftStep.Review: (ReviewedBy, ReviewedAt) = (by, now); break;
            case PolicyDraftStep.Countersign: (CountersignedBy, CountersignedAt) = (by, now); break;
            default: (ApprovedBy, ApprovedAt, Status) = (by, now, PolicyDraftStatus.Approved); break;
        }
        return step;
    }

    public void Published(int version) => PublishedVersion = version;

    public void Reject(string by, string reason, DateTimeOffset now)
    {
        if (Status != PolicyDraftStatus.Open) throw new IllegalTransitionException("a policy draft", "policyDraftStatus", JsonNames.Of(Status), "turn down");
        (Status, RejectedBy, RejectedAt, RejectionReason) = (PolicyDraftStatus.Rejected, by, now, reason);
    }
}

internal sealed class PolicyDraftConfiguration : IEntityTypeConfiguration<PolicyDraft>
{
    public void Configure(EntityTypeBuilder<PolicyDraft> b)
    {
        b.HasIndex(x => new { x.Status, x.Id });
        b.HasIndex(x => new { x.BranchId, x.Id });
        b.HasOne<Identity.Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.BasedOn).HasMaxLength(64);
        b.Property(x => x.Note).HasMaxLength(1000);
        b.Property(x => x.Steps).HasMaxLength(100);
        b.Property(x => x.PreparedBy).HasMaxLength(64);
        b.Property(x => x.ReviewedBy).HasMaxLength(64);
        b.Property(x => x.CountersignedBy).HasMaxLength(64);
        b.Property(x => x.ApprovedBy).HasMaxLength(64);
        b.Property(x => x.RejectedBy).HasMaxLength(64);
        b.Property(x => x.RejectionReason).HasMaxLength(500);
        b.Ignore(x => x.StepList);
        b.Ignore(x => x.Next);
    }
}
