using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Reports.Problems;

/// <summary>
/// RPT-02 / RPT-09: a product problem found in service that the after-sales side sends to the technical department (with
/// the product model, the fault and, when there is one, the order it was found on), and the technical department's answer
/// (the solution or improvement proposed). Raised by the supervisor or a manager, or by the technician from the phone about
/// one of their orders. Open until it is answered; answered once.
/// </summary>
public sealed class TechnicalProblem : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public required string ProductModel { get; init; }
    public string? ProductLine { get; init; }
    public string? FaultCategory { get; init; }
    public required string Description { get; init; }
    public long? WorkOrderId { get; init; }
    /// <summary>A photo of the problem: one of the order's attachments (the phone uploads it to the order first).</summary>
    public long? PhotoAttachmentId { get; init; }
    public DateTimeOffset RaisedAt { get; init; }
    public int RaisedByUserId { get; init; }
    public string? Answer { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public int? AnsweredByUserId { get; private set; }
    public int Version { get; set; }

    public bool IsOpen => AnsweredAt is null;

    /// <summary>The technical department's answer, recorded once (a second answer is a 409).</summary>
    public void Reply(string answer, int byUserId, DateTimeOffset now)
    {
        if (AnsweredAt is not null) throw new IllegalTransitionException("a technical problem", "problemStatus", "answered", "answer");
        (Answer, AnsweredAt, AnsweredByUserId) = (answer, now, byUserId);
    }
}

internal sealed class TechnicalProblemConfiguration : IEntityTypeConfiguration<TechnicalProblem>
{
    public void Configure(EntityTypeBuilder<TechnicalProblem> b)
    {
        b.ToTable("TechnicalProblems");
        b.Property(x => x.ProductModel).HasMaxLength(100);
        b.Property(x => x.ProductLine).HasMaxLength(40);
        b.Property(x => x.FaultCategory).HasMaxLength(100);
        b.Property(x => x.Description).HasMaxLength(2000);
        b.Property(x => x.Answer).HasMaxLength(4000);
        b.HasIndex(x => new { x.BranchId, x.RaisedAt });
        b.HasIndex(x => new { x.BranchId, x.AnsweredAt });
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Attachment>().WithMany().HasForeignKey(x => x.PhotoAttachmentId).OnDelete(DeleteBehavior.Restrict);
    }
}
