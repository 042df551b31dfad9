using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Notifications;

/// <summary>InApp: in-app and live; Sms: also an SMS per recipient; Email: also an e-mail per recipient (with the report attached) when SMTP is configured.</summary>
public enum OutboxChannel { InApp, Sms, Email }

/// <summary>
/// A message to deliver, written in the same transaction as the change that caused it. The dispatcher fans it out once
/// into independent <see cref="OutboxDelivery"/> rows (in-app, live push, one SMS per recipient), each retried on its own.
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
    /// <summary>An SMS to someone who is not a user (a customer's collection receipt, SHOP-06): sent once, in Chinese.</summary>
    public string? ToPhone { get; init; }
    /// <summary>An e-mail to an address that belongs to no user (the technical department's, RPT-01): sent once, in Chinese.</summary>
    public string? ToEmail { get; init; }
    /// <summary>The archived report an e-mail carries as PDF and Excel attachments (issue 19).</summary>
    public long? ReportDocumentId { get; init; }
    /// <summary>A <see cref="Infrastructure.Localization.Msg"/> as JSON, rendered in each reader's language.</summary>
    public required string Title { get; init; }
    public required string Body { get; init; }
    /// <summary>When its deliveries were created (null: not yet fanned out).</summary>
    public DateTimeOffset? FannedOutAt { get; set; }
}

public enum DeliveryChannel { InApp, Live, Sms, Email }

public enum DeliveryState { Pending, Delivered, Dead }

/// <summary>
/// One channel of one message (and, for SMS, one recipient): claimed by one node at a time (a lease), retried with
/// backoff when it fails, and dead after <see cref="DeliveryOptions.MaxAttempts"/> — shown to admins, who may retry it.
/// </summary>
public sealed class OutboxDelivery
{
    /// <summary>The user of an SMS delivery; in-app and live deliveries serve every recipient of the message at once.</summary>
    public const int AllRecipients = 0;

    public long Id { get; private set; }
    public long OutboxId { get; init; }
    public DeliveryChannel Channel { get; init; }
    public int UserId { get; init; }
    public DeliveryState State { get; set; }
    /// <summary>Claims so far; the claim's number fences its result, so a node whose lease ran out cannot overwrite a newer attempt's.</summary>
    public int Attempts { get; set; }
    /// <summary>When it is due on the business clock: now, or after a backoff.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>
    /// The end of a running attempt's lease, on the real clock: a node that stalls this long loses the delivery to another.
    /// Not on the business clock, which a demo or test may move forward while an attempt runs.
    /// </summary>
    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public string? LastError { get; set; }

    /// <summary>An admin sends a dead delivery again: a fresh set of attempts, due now.</summary>
    public void Retry(DateTimeOffset now)
    {
        if (State != DeliveryState.Dead)
            throw new Infrastructure.Http.ConflictException(
                Infrastructure.Localization.Msg.Of("Only a failed delivery can be sent again; this one is {0}.", Infrastructure.Localization.Msg.Code("deliveryState", Infrastructure.Http.JsonNames.Of(State))),
                Infrastructure.Localization.Msg.Of("Illegal transition"));
        State = DeliveryState.Pending;
        Attempts = 0;
        NextAttemptAt = now;
        LeaseUntil = null;
    }
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

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<OutboxMessage>, IEntityTypeConfiguration<Notification>,
    IEntityTypeConfiguration<OutboxDelivery>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("Outbox");
        b.HasIndex(x => x.FannedOutAt);
        b.Property(x => x.Kind).HasMaxLength(40);
        b.Property(x => x.Title).HasMaxLength(2000);
        b.Property(x => x.Body).HasMaxLength(4000);
        b.Property(x => x.ToPhone).HasMaxLength(32);
        b.Property(x => x.ToEmail).HasMaxLength(200);
    }

    public void Configure(EntityTypeBuilder<OutboxDelivery> b)
    {
        b.ToTable("OutboxDeliveries");
        // A fan-out that runs twice (a crash before its commit, two nodes) cannot make a second delivery of the same thing.
        b.HasIndex(x => new { x.OutboxId, x.Channel, x.UserId }).IsUnique();
        b.HasIndex(x => new { x.State, x.Channel, x.NextAttemptAt });
        b.Property(x => x.LastError).HasMaxLength(500);
        b.HasOne<OutboxMessage>().WithMany().HasForeignKey(x => x.OutboxId).OnDelete(DeleteBehavior.Cascade);
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
