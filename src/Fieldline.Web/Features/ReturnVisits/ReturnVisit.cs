using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.ReturnVisits;

/// <summary>
/// One attempt to visit a customer after the job (RV-01, RV-10): the agent's call, or the customer's own answer through
/// the rating link. Append-only: who, when, which script version, every answer as given. What the visit found is acted on
/// when it is recorded (<see cref="RecordReturnVisit"/>); a later attempt never changes an earlier one.
/// </summary>
public sealed class ReturnVisit : IAppendOnly
{
    public long Id { get; private set; }
    public long WorkOrderId { get; init; }
    public int BranchId { get; init; }
    /// <summary>1 for the first attempt on the order, counting every outcome.</summary>
    public int Attempt { get; init; }
    /// <summary>reached, unreachable or refused.</summary>
    public required string Outcome { get; init; }
    /// <summary>agent (the return-visit agent's call) or customer (the customer's rating link).</summary>
    public required string Channel { get; init; }
    public required string ScriptVersion { get; init; }
    /// <summary>The answers as given, by question key (JSON object).</summary>
    public string AnswersJson { get; init; } = "{}";
    public int? Satisfaction { get; init; }
    public string? Remarks { get; init; }
    public int? ByUserId { get; init; }
    public required string By { get; init; }
    public DateTimeOffset At { get; init; }
}

internal sealed class ReturnVisitConfiguration : IEntityTypeConfiguration<ReturnVisit>
{
    public void Configure(EntityTypeBuilder<ReturnVisit> b)
    {
        // Two attempts sent at once on one order cannot both be number n.
        b.HasIndex(x => new { x.WorkOrderId, x.Attempt }).IsUnique();
        b.Property(x => x.Outcome).HasMaxLength(16);
        b.Property(x => x.Channel).HasMaxLength(16);
        b.Property(x => x.ScriptVersion).HasMaxLength(32);
        b.Property(x => x.AnswersJson).HasMaxLength(4000);
        b.Property(x => x.Remarks).HasMaxLength(2000);
        b.Property(x => x.By).HasMaxLength(64);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Cascade);
    }
}
