using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Depot;

/// <summary>
/// A customer goods collection receipt (客户商品领取收据, ONS-28, SHOP-06): numbered R-yyyy-nnnn per branch and year, for
/// one or more units the customer hands over, optionally for the work order on which a technician took them away.
/// </summary>
public sealed class DepotReceipt
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int Year { get; init; }
    public int Sequence { get; init; }
    public required string Number { get; init; }
    public long? WorkOrderId { get; init; }
    public required string CustomerName { get; init; }
    public required string CustomerPhone { get; init; }
    public int ReceivedByUserId { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    /// <summary>The receipt's day in the branch's zone: the start of the throughput due date (SHOP-01).</summary>
    public DateOnly ReceivedOn { get; init; }
    public DateTimeOffset? SmsQueuedAt { get; set; }
    public List<DepotUnit> Units { get; private set; } = [];

    public static string Format(int year, int sequence) => $"R-{year}-{sequence:0000}";
}

/// <summary>in transit (a technician took it, not yet in the register), registered (in the repair register, 维修登记薄),
/// repaired, collected (handed back to the customer).</summary>
public enum DepotUnitStatus { InTransit, Registered, Repaired, Collected }

/// <summary>Repair (维修) or a product return (退货, SHOP-05).</summary>
public enum DepotUnitKind { Repair, Return }

/// <summary>One unit of a receipt and its way through the depot.</summary>
public sealed class DepotUnit : IVersioned
{
    public long Id { get; private set; }
    public long ReceiptId { get; init; }
    public int BranchId { get; init; }
    public DepotUnitKind Kind { get; init; }
    public required string Product { get; init; }
    public string? SerialNumber { get; init; }
    public required string Fault { get; init; }
    public string? Accessories { get; init; }
    public DateOnly ReceivedOn { get; init; }
    public DepotUnitStatus Status { get; private set; }
    public DateTimeOffset? RegisteredAt { get; private set; }
    public int? RegisteredByUserId { get; private set; }
    public DateTimeOffset? RepairedAt { get; private set; }
    public DateOnly? RepairedOn { get; private set; }
    public string? RepairNote { get; private set; }
    public DateTimeOffset? CollectedAt { get; private set; }
    /// <summary>SHOP-02 / RV-01: the return visit is due this long after the customer received the unit.</summary>
    public DateTimeOffset? ReturnVisitDueAt { get; private set; }
    /// <summary>SHOP-05: a return the general manager has not approved is at the customer's cost.</summary>
    public bool CustomerBearsAllCosts { get; private set; }
    public int? ApprovedByUserId { get; private set; }
    public DateTimeOffset? ApprovedAt { get; private set; }
    public int Version { get; set; }

    public static DepotUnit New(DepotReceipt receipt, DepotUnitKind kind, string product, string? serial, string fault, string? accessories,
        bool inTransit, bool returnNeedsApproval, int byUserId, DateTimeOffset now)
    {
        var unit = new DepotUnit
        {
            BranchId = receipt.BranchId, Kind = kind, Product = product, SerialNumber = serial, Fault = fault, Accessories = accessories,
            ReceivedOn = receipt.ReceivedOn,
        };
        unit.Status = inTransit ? DepotUnitStatus.InTransit : DepotUnitStatus.Registered;
        if (!inTransit) (unit.RegisteredAt, unit.RegisteredByUserId) = (now, byUserId);
        unit.CustomerBearsAllCosts = kind == DepotUnitKind.Return && returnNeedsApproval;
        return unit;
    }

    /// <summary>Entered in the repair register at the office: no longer in transit.</summary>
    public void Register(int byUserId, DateTimeOffset now)
    {
        if (Status != DepotUnitStatus.InTransit) throw Illegal("register");
        (Status, RegisteredAt, RegisteredByUserId) = (DepotUnitStatus.Registered, now, byUserId);
    }

    public void Repaired(string note, DateTimeOffset now, DateOnly today)
    {
        if (Status != DepotUnitStatus.Registered) throw Illegal("record the repair of");
        (Status, RepairedAt, RepairedOn, RepairNote) = (DepotUnitStatus.Repaired, now, today, note);
    }

    public void HandBack(DateTimeOffset now, double returnVisitMinutes)
    {
        if (Status != DepotUnitStatus.Repaired) throw Illegal("hand back");
        (Status, CollectedAt, ReturnVisitDueAt) = (DepotUnitStatus.Collected, now, now.AddMinutes(returnVisitMinutes));
    }

    /// <summary>The general manager approves a return (SHOP-05): the company, not the customer, bears its costs.</summary>
    public void ApproveReturn(int byUserId, DateTimeOffset now)
    {
        if (Kind != DepotUnitKind.Return || ApprovedAt is not null) throw Illegal("approve the return of");
        (CustomerBearsAllCosts, ApprovedByUserId, ApprovedAt) = (false, byUserId, now);
    }

    /// <summary>Open for the throughput rule: received and not yet repaired.</summary>
    public bool OpenOn(DateOnly day) => ReceivedOn <= day && (RepairedOn is null || RepairedOn >= day);

    private IllegalTransitionException Illegal(string action) => new("a depot unit", "depotStatus", JsonNames.Of(Status), action);
}

internal sealed class DepotConfiguration : IEntityTypeConfiguration<DepotReceipt>, IEntityTypeConfiguration<DepotUnit>
{
    public void Configure(EntityTypeBuilder<DepotReceipt> b)
    {
        b.ToTable("DepotReceipts"); // plural like every other table
        b.Property(x => x.Number).HasMaxLength(16);
        b.Property(x => x.CustomerName).HasMaxLength(100);
        b.Property(x => x.CustomerPhone).HasMaxLength(32);
        // Two receipts saved at once cannot take the same number: the second retries with the next.
        b.HasIndex(x => new { x.BranchId, x.Year, x.Sequence }).IsUnique();
        b.HasIndex(x => x.WorkOrderId);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Units).WithOne().HasForeignKey(x => x.ReceiptId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<DepotUnit> b)
    {
        b.ToTable("DepotUnits");
        b.Property(x => x.Product).HasMaxLength(100);
        b.Property(x => x.SerialNumber).HasMaxLength(64);
        b.Property(x => x.Fault).HasMaxLength(500);
        b.Property(x => x.Accessories).HasMaxLength(200);
        b.Property(x => x.RepairNote).HasMaxLength(500);
        b.HasIndex(x => new { x.BranchId, x.Status });
    }
}
