using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.ReturnVisits;

/// <summary>
/// One attempt to visit a customer after the job (RV-01, RV-10): the agent's call, or the customer's own answer through
/// the rating link. Append-only: who, when, which script version, every answer as given. What the visit found is acted on
/// when it is recorded (<see cref="RecordReturnVisit"/>); a later attempt never changes an earlier one. Most visits follow a
/// work order (purpose service); a depot unit handed back without an order (SHOP-02) and a registered unit's periodic visit
/// (RV-02) are visited too, on <see cref="DepotUnitId"/> or <see cref="ProductId"/> (<see cref="RecordUnitVisit"/>).
/// </summary>
public sealed class ReturnVisit : IAppendOnly
{
    public long Id { get; private set; }
    public long? WorkOrderId { get; init; }
    /// <summary>service (after a work order), depot (SHOP-02, a depot unit without an order) or periodic (RV-02).</summary>
    public string Purpose { get; init; } = Purposes.Service;
    public long? DepotUnitId { get; init; }
    public int? ProductId { get; init; }
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

/// <summary>Why a customer is visited: after a work order, after a depot repair without one (SHOP-02), or periodically (RV-02).</summary>
public static class Purposes
{
    public const string Service = "service";
    public const string Depot = "depot";
    public const string Periodic = "periodic";
}

internal sealed class ReturnVisitConfiguration : IEntityTypeConfiguration<ReturnVisit>
{
    public void Configure(EntityTypeBuilder<ReturnVisit> b)
    {
        // Two attempts sent at once on one order cannot both be number n.
        b.HasIndex(x => new { x.WorkOrderId, x.Attempt }).IsUnique();
        b.HasIndex(x => new { x.DepotUnitId, x.Attempt }).IsUnique();
        b.HasIndex(x => new { x.ProductId, x.At });
        b.Property(x => x.Purpose).HasMaxLength(16);
        b.Property(x => x.Outcome).HasMaxLength(16);
        b.Property(x => x.Channel).HasMaxLength(16);
        b.Property(x => x.ScriptVersion).HasMaxLength(32);
        b.Property(x => x.AnswersJson).HasMaxLength(4000);
        b.Property(x => x.Remarks).HasMaxLength(2000);
        b.Property(x => x.By).HasMaxLength(64);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Depot.DepotUnit>().WithMany().HasForeignKey(x => x.DepotUnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Customers.RegisteredProduct>().WithMany().HasForeignKey(x => x.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}
