using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Parts;

/// <summary>
/// A branch's monthly parts cost report to finance (PRT-11, RPT-05, SC-26): when the supervisor submitted it (and the
/// total then), and when the supervisor was reminded that it was late. One row per branch and month.
/// </summary>
public sealed class PartsCostReport : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    /// <summary>yyyy-MM.</summary>
    public required string Month { get; init; }
    public DateTimeOffset? SubmittedAt { get; private set; }
    public int? SubmittedByUserId { get; private set; }
    public decimal? SubmittedTotal { get; private set; }
    public DateTimeOffset? RemindedAt { get; set; }
    public int Version { get; set; }

    public void Submit(int byUserId, decimal total, DateTimeOffset now)
    {
        if (SubmittedAt is not null) throw new WorkOrders.IllegalTransitionException("a parts cost report", "partsCostStatus", "submitted", "submit");
        (SubmittedAt, SubmittedByUserId, SubmittedTotal) = (now, byUserId, total);
    }
}

internal sealed class PartsCostReportConfiguration : IEntityTypeConfiguration<PartsCostReport>
{
    public void Configure(EntityTypeBuilder<PartsCostReport> b)
    {
        b.Property(x => x.Month).HasMaxLength(7);
        b.HasIndex(x => new { x.BranchId, x.Month }).IsUnique();
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
