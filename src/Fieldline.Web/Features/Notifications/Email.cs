using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Fieldline.Web.Features.Notifications;

/// <summary>
/// Fieldline:Smtp — e-mail delivery of archived reports (issue 19), on only when <c>Host</c> is set: <c>Port</c> (25),
/// <c>Security</c> (auto: STARTTLS when offered; none; ssl), <c>UserName</c>/<c>Password</c> (optional), <c>From</c> and
/// <c>FromName</c>, <c>TechnicalDepartment</c> (where RPT-01's service-record book goes; the department has no user),
/// <c>TimeoutSeconds</c> (20).
/// </summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string Security { get; set; } = "auto";
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "fieldline@localhost";
    public string FromName { get; set; } = "Fieldline";
    public string? TechnicalDepartment { get; set; }
    public double TimeoutSeconds { get; set; } = 20;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>One attachment of an e-mail.</summary>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>Sends one e-mail; <paramref name="deliveryId"/> is its Message-Id's local part, the same on every retry.</summary>
public interface IEmailSender
{
    Task SendAsync(string to, string subject, string text, IReadOnlyList<EmailAttachment> attachments, string deliveryId, CancellationToken ct);
}

/// <summary>SMTP through MailKit, one connection per message (report e-mails are few).</summary>
public sealed class SmtpEmailSender(SmtpOptions options) : IEmailSender
{
    public async Task SendAsync(string to, string subject, string text, IReadOnlyList<EmailAttachment> attachments, string deliveryId, CancellationToken ct)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(options.FromName, options.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = $"{deliveryId}@{MimeKit.Utils.MimeUtils.GenerateMessageId().Split('@').Last()}";
        var body = new BodyBuilder { TextBody = text };
        foreach (var a in attachments) body.Attachments.Add(a.FileName, a.Content, ContentType.Parse(a.ContentType));
        message.Body = body.ToMessageBody();

        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(options.TimeoutSeconds).TotalMilliseconds };
        var security = options.Security.ToLowerInvariant() switch
        {
            "none" => SecureSocketOptions.None,
            "ssl" => SecureSocketOptions.SslOnConnect,
            "starttls" => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.Auto,
        };
        await client.ConnectAsync(options.Host ?? throw new InvalidOperationException("Fieldline:Smtp:Host is not set."), options.Port, security, ct);
        if (!string.IsNullOrEmpty(options.UserName)) await client.AuthenticateAsync(options.UserName, options.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }
}
