using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>Withdrawn: the facts that opened it fell away before a manager decided (a day judged absenteeism turned out an absence, ATT-04, or leave, ATT-07).</summary>
public enum ReviewState { Open, Upheld, Rejected, Withdrawn }

/// <summary>
/// Dismissal is never automatic: a rule that calls for it (e.g. collected money withheld a second time, FEE-06) opens a
/// review for a manager, with the evidence.
/// </summary>
public sealed class DismissalReview : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int PersonUserId { get; init; }
    public required string RuleIds { get; init; }
    /// <summary>Why, as a stored text (a <see cref="Msg"/> as JSON, rendered in the reader's language; older rows are plain English).</summary>
    public required string Reason { get; init; }
    /// <summary>The penalty case whose rule or ladder step opened the review, when one did.</summary>
    public long? PenaltyCaseId { get; private set; }
    public PenaltyCase? PenaltyCase { get; private init; }
    public string EvidenceJson { get; init; } = "{}";
    public ReviewState State { get; private set; } = ReviewState.Open;
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public string? DecisionNote { get; private set; }
    public int Version { get; set; }

    /// <summary>The review a penalty case's rule opens, with the case's evidence (saved with the case: the navigation gives its id).</summary>
    public static DismissalReview Open(PenaltyCase penalty, string ruleIds, Msg reason) => new()
    {
        BranchId = penalty.BranchId, PersonUserId = penalty.PersonUserId, RuleIds = ruleIds, Reason = reason.ToJson().ToJsonString(),
        EvidenceJson = penalty.EvidenceJson, CreatedAt = penalty.CreatedAt, PenaltyCase = penalty,
    };

    public void Decide(bool uphold, string by, string note, DateTimeOffset now)
    {
        if (State != ReviewState.Open) throw new DecisionConflictException(Msg.Of("Cannot decide a dismissal review that is already {0}.", Msg.Code("review", State)));
        (State, DecidedAt, DecidedBy, DecisionNote) = (uphold ? ReviewState.Upheld : ReviewState.Rejected, now, by, note);
    }

    /// <summary>
    /// The trigger is gone (the rule's facts changed before anyone decided): the review closes without a decision about the
    /// person. Only an open review; a manager's decision stands.
    /// </summary>
    public void Withdraw(string by, string note, DateTimeOffset now)
    {
        if (State != ReviewState.Open) throw new DecisionConflictException(Msg.Of("Cannot decide a dismissal review that is already {0}.", Msg.Code("review", State)));
        (State, DecidedAt, DecidedBy, DecisionNote) = (ReviewState.Withdrawn, now, by, note);
    }
}


internal sealed class DismissalReviewConfiguration : IEntityTypeConfiguration<DismissalReview>
{
    public void Configure(EntityTypeBuilder<DismissalReview> b)
    {
        b.HasIndex(x => new { x.BranchId, x.State });
        b.Property(x => x.RuleIds).HasMaxLength(100);
        b.Property(x => x.Reason).HasMaxLength(1000);
        b.HasOne(x => x.PenaltyCase).WithMany().HasForeignKey(x => x.PenaltyCaseId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.DecidedBy).HasMaxLength(64);
        b.Property(x => x.DecisionNote).HasMaxLength(500);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.PersonUserId).OnDelete(DeleteBehavior.Restrict);
    }
}
