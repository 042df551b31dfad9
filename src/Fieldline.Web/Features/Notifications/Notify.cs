using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Infrastructure.Data;

namespace Fieldline.Web.Features.Notifications;

/// <summary>
/// Queues a message in the outbox of the current unit of work; it is delivered only if that work commits. Title and body
/// are stored as <see cref="Msg"/>s (JSON) and rendered for each reader in their language (<see cref="StoredText"/>).
/// </summary>
public static class Notify
{
    public static void Queue(AppDbContext db, DateTimeOffset now, string kind, int branchId, long? workOrderId, Msg title, Msg body,
        IEnumerable<int?> users, IEnumerable<string> roles, OutboxChannel channel = OutboxChannel.InApp) =>
        db.Outbox.Add(Message(now, kind, branchId, workOrderId, title, body, users, roles, channel));

    /// <summary>An SMS to a phone number that belongs to no user (a customer), queued like any other message.</summary>
    public static void SmsTo(AppDbContext db, DateTimeOffset now, string kind, int branchId, long? workOrderId, string phone, Msg title, Msg body) =>
        db.Outbox.Add(new OutboxMessage
        {
            CreatedAt = now, Channel = OutboxChannel.Sms, Kind = kind, BranchId = branchId, WorkOrderId = workOrderId, ToPhone = phone,
            Title = title.ToJson().ToJsonString(), Body = body.ToJson().ToJsonString(),
        });

    /// <summary>The outbox row, for a caller that writes it itself in its transaction (the SLA timer's set-based batch).</summary>
    /// <param name="reportDocumentId">An archived report an e-mail carries as attachments.</param>
    /// <param name="toEmail">An address that belongs to no user, e-mailed too (with <see cref="OutboxChannel.Email"/>).</param>
    public static OutboxMessage Message(DateTimeOffset now, string kind, int branchId, long? workOrderId, Msg title, Msg body,
        IEnumerable<int?> users, IEnumerable<string> roles, OutboxChannel channel = OutboxChannel.InApp, long? reportDocumentId = null, string? toEmail = null) => new()
        {
            CreatedAt = now, Channel = channel, Kind = kind, BranchId = branchId, WorkOrderId = workOrderId, ReportDocumentId = reportDocumentId, ToEmail = toEmail,
            Title = title.ToJson().ToJsonString(), Body = body.ToJson().ToJsonString(),
            RecipientUserIds = users.OfType<int>().Distinct().ToList(), RecipientRoles = roles.Distinct().ToList(),
        };
}
