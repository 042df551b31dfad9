using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Reports.Plans;

/// <summary>
/// RPT-11: the supervisor's 《下周工作计划》 for one branch and week (WeekStart: its Monday), which the department manager
/// approves before it is carried out. Not approved before that Monday 00:00 in the branch's zone, it is shown as
/// unapproved and whoever must act is reminded once (<see cref="RemindLatePlan"/>). One row per branch and week (rows with
/// no text were written by the reminder of an earlier version, when no plan was submitted).
/// </summary>
public sealed class WeeklyPlan : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public DateOnly WeekStart { get; init; }
    public string? Text { get; private set; }
    /// <summary>The plan's items, one a line.</summary>
    public List<string> Items { get; private set; } = [];
    public DateTimeOffset? SubmittedAt { get; private set; }
    public int? SubmittedByUserId { get; private set; }
    public DateTimeOffset? ApprovedAt { get; private set; }
    public int? ApprovedByUserId { get; private set; }
    public int Version { get; set; }

    /// <summary>Submitted (or submitted again, with changes) until it is approved; an approved plan is not changed.</summary>
    public void Submit(string text, IReadOnlyList<string> items, int byUserId, DateTimeOffset now)
    {
        if (ApprovedAt is not null) throw new IllegalTransitionException("a weekly plan", "planStatus", "approved", "submit");
        (Text, Items, SubmittedAt, SubmittedByUserId) = (text, items.ToList(), now, byUserId);
    }

    public void Approve(int byUserId, DateTimeOffset now)
    {
        if (ApprovedAt is not null) throw new IllegalTransitionException("a weekly plan", "planStatus", "approved", "approve");
        if (SubmittedAt is null) throw new IllegalTransitionException("a weekly plan", "planStatus", "notSubmitted", "approve");
        (ApprovedAt, ApprovedByUserId) = (now, byUserId);
    }

    /// <summary>Approved before the week began (its Monday 00:00 in the branch's zone).</summary>
    public bool ApprovedInTime(DateTimeOffset weekBegins) => ApprovedAt is { } at && at < weekBegins;
}

internal sealed class WeeklyPlanConfiguration : IEntityTypeConfiguration<WeeklyPlan>
{
    public void Configure(EntityTypeBuilder<WeeklyPlan> b)
    {
        b.ToTable("WeeklyPlans");
        b.Property(x => x.Text).HasMaxLength(4000);
        b.HasIndex(x => new { x.BranchId, x.WeekStart }).IsUnique();
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
