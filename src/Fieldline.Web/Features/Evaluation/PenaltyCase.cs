using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Evaluation;

public enum PenaltyState { Proposed, Confirmed, Dismissed }

/// <summary>A confirmed fine's appeal (申诉): pending until a manager upholds it, reduces the amount, or dismisses the fine.</summary>
public enum AppealState { Pending, Upheld, Reduced, Dismissed }

/// <summary>
/// A fine the policy attaches to a breach or violation. Always created as proposed with its evidence, and only by the one
/// factory (<see cref="ProposePenaltyCase"/>: the constructor is private); conditions other than "none" wait for a
/// supervisor; dismissal and expulsion are never automatic.
/// </summary>
public sealed class PenaltyCase : IVersioned
{
    internal PenaltyCase() { } // the factory (ProposePenaltyCase) makes cases; tests of the entity build one directly

    public long Id { get; private set; }
    public int BranchId { get; init; }
    public long? WorkOrderId { get; init; }
    public long? ClockId { get; init; }
    /// <summary>Set from <see cref="Breach"/> by SaveChanges, or by the timer once its set-based insert gave the breach an id.</summary>
    public long? BreachId { get; set; }
    public SlaBreach? Breach { get; init; }
    /// <summary>The complaint a "customerComplaint" fine rests on (PEN-13, PEN-88, a finding): verifying it confirms the case, rejecting it dismisses it.</summary>
    public long? ComplaintId { get; init; }
    public Complaint? Complaint { get; init; }
    public int PersonUserId { get; init; }
    public required string PenaltyKey { get; init; }
    public required string RuleIds { get; init; }
    public required string Condition { get; init; }
    public decimal Amount { get; set; }
    public PenaltyState State { get; private set; } = PenaltyState.Proposed;
    public string EvidenceJson { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public string? DecisionNote { get; private set; }
    public int PolicyVersionId { get; init; }
    /// <summary>The day the offence happened (branch time): its month is the one whose evaluation eligibility it costs.</summary>
    public DateOnly OccurredOn { get; init; }
    /// <summary>Units of a per-unit rule (stickers, bolts, spots, days …); 1 otherwise.</summary>
    public int Count { get; init; } = 1;
    /// <summary>For a rule with an offence ladder: which offence of the person's this is in the repeat window (1, 2, 3 …).</summary>
    public int? Offence { get; init; }
    /// <summary>The ladder step applied ("1", "2", "repeat", "serious" …), whose actions follow the confirmation.</summary>
    public string? Step { get; init; }
    /// <summary>The person's previous case of the same rule in the window: the earlier offences, linked.</summary>
    public long? PreviousCaseId { get; init; }
    public int Version { get; set; }
    /// <summary>The person's appeal against the confirmed fine, if any (one per case).</summary>
    public AppealState? Appeal { get; private set; }
    public string? AppealReason { get; private set; }
    public string AppealEvidenceJson { get; private set; } = "{}";
    public DateTimeOffset? AppealedAt { get; private set; }
    public DateTimeOffset? AppealDecidedAt { get; private set; }
    public string? AppealDecidedBy { get; private set; }
    public string? AppealDecision { get; private set; }
    /// <summary>What the person bears after the appeal: the amount when upheld, the reduced amount, or 0 when dismissed.</summary>
    public decimal? AmountAfterAppeal { get; private set; }

    /// <summary>The deduction this case posted to the person's pay ledger when it was confirmed; saved with the confirmation.</summary>
    public PayLedgerEntry? Posting { get; private set; }

    /// <summary>Made only by <see cref="ProposePenaltyCase.Build"/>, the one factory.</summary>
    internal static PenaltyCase Create(PenaltyFinding f, decimal amount, DateOnly occurredOn, string evidenceJson, LadderStep? step, int? offence, long? previousCaseId) => new()
    {
        BranchId = f.BranchId, PersonUserId = f.PersonUserId, PenaltyKey = f.Rule.Key, RuleIds = f.RuleIds ?? f.Rule.RuleIdList, Condition = f.Rule.Condition,
        Amount = amount, PolicyVersionId = f.Policy.VersionId, CreatedAt = f.Now, OccurredOn = occurredOn, EvidenceJson = evidenceJson,
        WorkOrderId = f.WorkOrderId, ClockId = f.ClockId, Breach = f.Breach, BreachId = f.Breach?.Id is > 0 ? f.Breach.Id : null, Complaint = f.Complaint,
        ComplaintId = f.Complaint?.Id is > 0 ? f.Complaint.Id : null, Count = f.Count, Step = step?.Name, Offence = offence, PreviousCaseId = previousCaseId,
    };

    /// <summary>
    /// Confirms the fine and posts its deduction to the pay ledger in <paramref name="period"/> (from
    /// <see cref="PayLedger.PeriodFor"/>): the one place a case becomes confirmed, so no confirmation goes unposted.
    /// </summary>
    public void Confirm(string by, string? note, DateTimeOffset now, PayPeriod period)
    {
        if (State != PenaltyState.Proposed) throw new DecisionConflictException(Msg.Of("Cannot confirm a penalty case that is {0}.", Msg.Code("penalty", State)));
        (State, DecidedAt, DecidedBy, DecisionNote) = (PenaltyState.Confirmed, now, by, note);
        Posting = PayLedgerEntry.Fine(this, period, by, now);
    }

    internal void SetAppeal(AppealState state, string reason, string evidenceJson, DateTimeOffset now) =>
        (Appeal, AppealReason, AppealEvidenceJson, AppealedAt) = (state, reason, evidenceJson, now);

    /// <summary>
    /// A manager decides the pending appeal: upheld (the fine stands), reduced to <paramref name="amount"/>, or dismissed. A
    /// reduction or dismissal gives back the difference as a reversal line of the fine's posting (the ledger is never edited),
    /// in <paramref name="period"/>: the posting's month while it is open, else the first open month after it.
    /// </summary>
    public PayLedgerEntry? DecideAppeal(AppealState outcome, decimal? amount, string reason, string by, DateTimeOffset now, PayLedgerEntry posting, PayPeriod period)
    {
        if (Appeal != AppealState.Pending) throw new DecisionConflictException(Msg.Of("There is no pending appeal on this penalty case."));
        var after = outcome switch
        {
            AppealState.Upheld => Amount,
            AppealState.Reduced => amount!.Value,
            AppealState.Dismissed => 0m,
            _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
        };
        (Appeal, AppealDecidedAt, AppealDecidedBy, AppealDecision, AmountAfterAppeal) = (outcome, now, by, reason, after);
        return after == Amount ? null : PayLedgerEntry.Reversal(this, posting, Amount - after, period, by, now);
    }

    public void Dismiss(string by, string reason, DateTimeOffset now)
    {
        if (State != PenaltyState.Proposed) throw new DecisionConflictException(Msg.Of("Cannot dismiss a penalty case that is {0}.", Msg.Code("penalty", State)));
        (State, DecidedAt, DecidedBy, DecisionNote) = (PenaltyState.Dismissed, now, by, reason);
    }
}

public static class PenaltyCaseAppeals
{
    /// <summary>
    /// The fined person appeals a confirmed fine within <paramref name="deadline"/> (the policy's appeal window from the
    /// confirmation): once, with a reason. A proposed case is not yet a fine (the manager decides it), a dismissed one no longer is.
    /// </summary>
    public static void Appeal(this PenaltyCase c, string reason, string evidenceJson, DateTimeOffset now, DateTimeOffset deadline)
    {
        if (c.State != PenaltyState.Confirmed) throw new DecisionConflictException(Msg.Of("Only a confirmed fine can be appealed; this penalty case is {0}.", Msg.Code("penalty", c.State)));
        if (c.Appeal is not null) throw new DecisionConflictException(Msg.Of("This fine was already appealed."));
        if (now > deadline) throw new DecisionConflictException(Msg.Of("The appeal window closed at {0}.", deadline));
        c.SetAppeal(AppealState.Pending, reason, evidenceJson, now);
    }
}

/// <summary>409: a penalty case or dismissal review was already decided.</summary>
public sealed class DecisionConflictException(Msg text) : RefusalException(text);

internal sealed class PenaltyCaseConfiguration : IEntityTypeConfiguration<PenaltyCase>
{
    public void Configure(EntityTypeBuilder<PenaltyCase> b)
    {
        b.HasIndex(x => x.ClockId).IsUnique(); // exactly one penalty case per clock
        // Per complaint, one case per rule and person: PEN-13/PEN-88 propose one case per complaint (and per missed deadline,
        // above), each finding one more for its own rule and person, never the same one twice (Complaints/RecordComplaintFinding).
        b.HasIndex(x => new { x.ComplaintId, x.PenaltyKey, x.PersonUserId }).IsUnique();
        b.HasIndex(x => new { x.BranchId, x.State });
        b.HasIndex(x => new { x.BranchId, x.CreatedAt }); // the reports' leaks of a period (KPI-12)
        b.HasIndex(x => new { x.PersonUserId, x.CreatedAt });
        b.Property(x => x.PenaltyKey).HasMaxLength(64);
        b.Property(x => x.RuleIds).HasMaxLength(100);
        b.Property(x => x.Condition).HasMaxLength(40);
        b.Property(x => x.DecidedBy).HasMaxLength(64);
        b.Property(x => x.DecisionNote).HasMaxLength(500);
        b.Property(x => x.Step).HasMaxLength(32);
        b.Property(x => x.AppealReason).HasMaxLength(1000);
        b.Property(x => x.AppealDecidedBy).HasMaxLength(64);
        b.Property(x => x.AppealDecision).HasMaxLength(1000);
        b.HasIndex(x => new { x.BranchId, x.Appeal });
        b.HasIndex(x => new { x.PersonUserId, x.PenaltyKey, x.CreatedAt }); // the offence count of a ladder
        b.HasOne<PenaltyCase>().WithMany().HasForeignKey(x => x.PreviousCaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.PersonUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Breach).WithMany().HasForeignKey(x => x.BreachId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<SlaClock>().WithMany().HasForeignKey(x => x.ClockId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Complaint).WithMany().HasForeignKey(x => x.ComplaintId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Posting).WithOne().HasForeignKey<PayLedgerEntry>(x => x.PenaltyCaseId).OnDelete(DeleteBehavior.Restrict);
    }
}
