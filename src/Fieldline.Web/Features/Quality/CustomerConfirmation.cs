using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Quality;

/// <summary>
/// What a customer's signed confirmation (用户确认书) on an installation is about — the installation checklist's
/// "(waiver)" items and the pre-laid pipe check (regulations.md §6).
/// </summary>
public enum ConfirmationTopic
{
    /// <summary>INS-03: the unit's cooling capacity does not suit the room and the customer insists on installing (must sign).</summary>
    CapacityMismatch,
    /// <summary>INS-09: the customer insists on the indoor unit above a TV, audio system or computer (preferably signs).</summary>
    AboveElectronics,
    /// <summary>ONS-09: the customer insists on a position that hurts the unit's performance (preferably signs).</summary>
    BadPosition,
    /// <summary>INS-16: on a pre-laid copper pipe job, the customer confirms the model matches the pipes laid (must sign).</summary>
    PreLaidPipes,
}

public enum ConfirmationStatus { Pending, Filed }

/// <summary>
/// A customer's signed confirmation, taken by the technician on the phone with the completion and kept by the office:
/// the dispatcher keeps INS-03's (「确认书交由派工统一保管」) and the slip waivers, and the pre-laid pipe confirmation is
/// kept by whom the policy says (INS-16: the dispatcher or the materials administrator). The keeper files it once.
/// </summary>
public sealed class CustomerConfirmation : IVersioned
{
    public long Id { get; private set; }
    public long WorkOrderId { get; init; }
    public int BranchId { get; init; }
    public ConfirmationTopic Topic { get; init; }
    /// <summary>Who signed, as the technician wrote it: the customer in person (a decorator may not sign for them, INS-03).</summary>
    public required string SignerName { get; init; }
    /// <summary>The signature image, an attachment of the order (kind <c>confirmation</c>).</summary>
    public long AttachmentId { get; init; }
    public Attachment? Attachment { get; init; }
    public DateTimeOffset SignedAt { get; init; }
    public int RecordedByUserId { get; init; }
    /// <summary>The role that keeps it: <see cref="Roles.Dispatcher"/> or <see cref="Roles.WarehouseKeeper"/> (the materials administrator).</summary>
    public required string KeeperRole { get; init; }

    public ConfirmationStatus Status { get; private set; } = ConfirmationStatus.Pending;
    public DateTimeOffset? FiledAt { get; private set; }
    public int? FiledByUserId { get; private set; }
    public int Version { get; set; }

    public static string Rule(ConfirmationTopic topic) => topic switch
    {
        ConfirmationTopic.CapacityMismatch => "INS-03",
        ConfirmationTopic.AboveElectronics => "INS-09",
        ConfirmationTopic.BadPosition => "ONS-09",
        _ => "INS-16",
    };

    /// <summary>Who keeps a confirmation of <paramref name="topic"/> under <paramref name="policy"/>.</summary>
    public static string Keeper(ConfirmationTopic topic, CompanyPolicy policy) =>
        topic == ConfirmationTopic.PreLaidPipes && policy.PreLaidPipeConfirmationKeptBy == "materialsAdministrator" ? Roles.WarehouseKeeper : Roles.Dispatcher;

    public void File(int userId, DateTimeOffset now)
    {
        if (Status != ConfirmationStatus.Pending)
            throw new IllegalTransitionException("a customer confirmation", "confirmationStatus", Infrastructure.Http.JsonNames.Of(Status), "file");
        (Status, FiledAt, FiledByUserId) = (ConfirmationStatus.Filed, now, userId);
    }
}

internal sealed class CustomerConfirmationConfiguration : IEntityTypeConfiguration<CustomerConfirmation>
{
    public void Configure(EntityTypeBuilder<CustomerConfirmation> b)
    {
        b.ToTable("CustomerConfirmations");
        b.Property(x => x.SignerName).HasMaxLength(50);
        b.Property(x => x.KeeperRole).HasMaxLength(32);
        // The keeper's list: a branch's pending confirmations, newest first.
        b.HasIndex(x => new { x.BranchId, x.Status, x.SignedAt });
        b.HasIndex(x => x.WorkOrderId);
        b.HasOne<WorkOrder>().WithMany().HasForeignKey(x => x.WorkOrderId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Attachment).WithMany().HasForeignKey(x => x.AttachmentId).OnDelete(DeleteBehavior.Restrict);
    }
}
