using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Notifications;

public enum OutboxChannel { InApp, Sms }

/// <summary>
/// A message to deliver, written in the same transaction as the change that caused it; the dispatcher delivers it at
/// least once (in-app notification rows are unique per message and user, so a redelivery adds nothing).
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; private set; }
    public DateTimeOffset CreatedAt { get; init; }
    public OutboxChannel Channel { get; init; }
    public required string Kind { get; init; }
    public int BranchId { get; init; }
    public long? WorkOrderId { get; init; }
    public List<int> RecipientUserIds { get; init; } = [];
    /// <summary>Every user of the branch (and of head office) holding one of these roles also receives it.</summary>
    public List<string> RecipientRoles { get; init; } = [];
    /// <summary>A <see cref="Infrastructure.Localization.Msg"/> as JSON, rendered in each reader's language.</summary>
    public required string Title { get; init; }
    public required string Body { get; init; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

public sealed class Notification
{
    public long Id { get; private set; }
    public long OutboxId { get; init; }
    public int UserId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string Kind { get; init; }
    public required string Title { get; init; }
    public required string Body { get; init; }
    public long? WorkOrderId { get; init; }
    public DateTimeOffset? ReadAt { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<OutboxMessage>, IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("Outbox");
        b.HasIndex(x => x.DeliveredAt);
        b.Property(x => x.Kind).HasMaxLength(40);
        b.Property(x => x.Title).HasMaxLength(2000);
        b.Property(x => x.Body).HasMaxLength(4000);
        b.Property(x => x.LastError).HasMaxLength(500);
    }

    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.HasIndex(x => new { x.OutboxId, x.UserId }).IsUnique();
        b.HasIndex(x => new { x.UserId, x.Id });
        b.Property(x => x.Kind).HasMaxLength(40);
        b.Property(x => x.Title).HasMaxLength(2000);
        b.Property(x => x.Body).HasMaxLength(4000);
    }
}
