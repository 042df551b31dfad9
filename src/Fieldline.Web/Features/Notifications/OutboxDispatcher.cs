using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Notifications;

public sealed class DeliveryOptions
{
    /// <summary>Attempts before a delivery is dead (shown to admins on /manage/deliveries).</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>Wait after the first failure; it doubles with every further failure, up to <see cref="MaxRetrySeconds"/>.</summary>
    public double FirstRetrySeconds { get; set; } = 30;
    public double MaxRetrySeconds { get; set; } = 3600;
    /// <summary>How long a claimed attempt is its node's alone; a node that died mid-attempt is taken over after it.</summary>
    public double LeaseSeconds { get; set; } = 120;
    public double SmsTimeoutSeconds { get; set; } = 10;
    public int BatchSize { get; set; } = 200;

    public TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(FirstRetrySeconds * Math.Pow(2, Math.Max(0, attempts - 1)), MaxRetrySeconds));
}

/// <summary>
/// Delivers the outbox, on as many nodes as run (README.md in this folder). First each new message is fanned out into
/// its deliveries — in-app, live push, and an SMS per recipient for SMS messages — in one transaction that claims the
/// message (FOR UPDATE SKIP LOCKED on PostgreSQL), so it happens once. Then each channel claims its due deliveries with
/// a lease and delivers them on its own, concurrently with the others, so a failing SMS gateway never holds back an
/// in-app notice. A failure waits (doubling backoff) and is retried; after MaxAttempts the delivery is dead.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, TimeProvider clock, LiveFeed live, DeliveryOptions options, DatabaseOptions database,
    SmtpOptions smtp, ILogger<OutboxDispatcher> log) : IDueWork, IDisposable
{
    // The background loop and the sandbox clock may both run it; claims keep nodes apart, this keeps one node's runs apart.
    private readonly SemaphoreSlim _running = new(1, 1);

    public void Dispose() => _running.Dispose();

    public async Task RunDueAsync(CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            while (await FanOut(ct) == options.BatchSize) { }
            await Task.WhenAll(Drain(DeliveryChannel.InApp, ct), Drain(DeliveryChannel.Live, ct), Drain(DeliveryChannel.Sms, ct), Drain(DeliveryChannel.Email, ct));
        }
        finally
        {
            _running.Release();
        }
    }

    private async Task Drain(DeliveryChannel channel, CancellationToken ct)
    {
        try
        {
            while (await DeliverBatch(channel, ct) == options.BatchSize) { }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A claim that failed (the database is away): nothing was taken; the next tick tries again.
            log.LogWarning(e, "Outbox: {Channel} deliveries could not be claimed", channel);
        }
    }

    /// <summary>Creates the deliveries of at most one batch of new messages; returns how many messages it fanned out.</summary>
    public async Task<int> FanOut(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            return await db.WriteAsync(() => FanOutBatch(db, ct), ct);
        });
    }

    private async Task<int> FanOutBatch(AppDbContext db, CancellationToken ct)
    {
        var messages = database.IsPostgres
            ? await db.Outbox.FromSql($"""SELECT * FROM "Outbox" WHERE "FannedOutAt" IS NULL ORDER BY "Id" LIMIT {options.BatchSize} FOR UPDATE SKIP LOCKED""").ToListAsync(ct)
            : await db.Outbox.Where(m => m.FannedOutAt == null).OrderBy(m => m.Id).Take(options.BatchSize).ToListAsync(ct);
        if (messages.Count == 0) return 0;
        var now = clock.GetUtcNow();
        var recipients = new Recipients(db);
        foreach (var m in messages)
        {
            db.OutboxDeliveries.Add(New(m.Id, DeliveryChannel.InApp, OutboxDelivery.AllRecipients, now));
            db.OutboxDeliveries.Add(New(m.Id, DeliveryChannel.Live, OutboxDelivery.AllRecipients, now));
            if (m.Channel == OutboxChannel.Sms)
                foreach (var user in await recipients.WithPhone(m, ct)) db.OutboxDeliveries.Add(New(m.Id, DeliveryChannel.Sms, user, now));
            if (m.Channel == OutboxChannel.Sms && !string.IsNullOrEmpty(m.ToPhone))
                db.OutboxDeliveries.Add(New(m.Id, DeliveryChannel.Sms, OutboxDelivery.AllRecipients, now));
            // E-mail only when an SMTP server is configured: one per recipient with an address, and one to the named address.
            if (m.Channel == OutboxChannel.Email && smtp.Enabled)
            {
                foreach (var user in await recipients.WithEmail(m, ct)) db.OutboxDeliveries.Add(New(m.Id, DeliveryChannel.Email, user, now));
                if (!string.IsNullOrEmpty(m.ToEmail)) db.OutboxDeliveries.Add(New(m.Id, DeliveryChannel.Email, OutboxDelivery.AllRecipients, now));
            }
            m.FannedOutAt = now;
        }
        await db.SaveChangesAsync(ct);
        return messages.Count;
    }

    private static OutboxDelivery New(long outboxId, DeliveryChannel channel, int userId, DateTimeOffset now) =>
        new() { OutboxId = outboxId, Channel = channel, UserId = userId, State = DeliveryState.Pending, NextAttemptAt = now };

    private async Task<int> DeliverBatch(DeliveryChannel channel, CancellationToken ct)
    {
        var claimed = await Claim(channel, ct);
        for (var i = 0; i < claimed.Count; i++)
        {
            if (await Deliver(claimed[i], ct) || channel is not (DeliveryChannel.Sms or DeliveryChannel.Email)) continue;
            // The gateway is failing: the rest of the batch is not tried now (each would wait out its time-out), nor counted as tried.
            await Release(claimed.Skip(i + 1).ToList(), ct);
            return 0;
        }
        return claimed.Count;
    }

    /// <summary>Takes due deliveries of one channel for this node: each attempt is counted and leased before it runs.</summary>
    private async Task<List<OutboxDelivery>> Claim(DeliveryChannel channel, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var now = clock.GetUtcNow();
            var real = TimeProvider.System.GetUtcNow();
            return await db.WriteAsync(async () =>
            {
                var due = database.IsPostgres
                    ? await db.OutboxDeliveries.FromSql($"""
                        SELECT * FROM "OutboxDeliveries" WHERE "State" = 'Pending' AND "Channel" = {channel.ToString()} AND "NextAttemptAt" <= {now}
                          AND ("LeaseUntil" IS NULL OR "LeaseUntil" <= {real})
                        ORDER BY "NextAttemptAt" LIMIT {options.BatchSize} FOR UPDATE SKIP LOCKED
                        """).ToListAsync(ct)
                    : await db.OutboxDeliveries.Where(d => d.State == DeliveryState.Pending && d.Channel == channel && d.NextAttemptAt <= now
                            && (d.LeaseUntil == null || d.LeaseUntil <= real))
                        .OrderBy(d => d.NextAttemptAt).Take(options.BatchSize).ToListAsync(ct);
                foreach (var d in due)
                {
                    d.Attempts++;
                    d.LeaseUntil = real.AddSeconds(options.LeaseSeconds);
                }
                await db.SaveChangesAsync(ct);
                return due;
            }, ct);
        });
    }

    /// <summary>One attempt; true when it was delivered (or settled by another node), false when it failed.</summary>
    private async Task<bool> Deliver(OutboxDelivery d, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        try
        {
            var message = await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == d.OutboxId, ct);
            switch (d.Channel)
            {
                case DeliveryChannel.InApp: await InApp(db, d, message, ct); break;
                case DeliveryChannel.Live: await Live(db, d, message, ct); break;
                case DeliveryChannel.Sms: await Sms(scope.ServiceProvider, db, d, message, ct); break;
                case DeliveryChannel.Email: await Email(scope.ServiceProvider, db, d, message, ct); break;
            }
            FieldlineMetrics.Delivered(d.Channel, "delivered");
            return true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var dead = d.Attempts >= options.MaxAttempts;
            var error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
            try
            {
                await db.WriteAsync(() => Fenced(db, d).ExecuteUpdateAsync(u => u
                    .SetProperty(x => x.State, dead ? DeliveryState.Dead : DeliveryState.Pending)
                    .SetProperty(x => x.NextAttemptAt, clock.GetUtcNow().Add(options.Backoff(d.Attempts)))
                    .SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null)
                    .SetProperty(x => x.LastError, error), ct), ct);
            }
            catch (Exception again) when (again is not OperationCanceledException)
            {
                log.LogWarning(again, "Outbox: the failure of delivery {Id} could not be recorded; its lease will run out", d.Id);
            }
            FieldlineMetrics.Delivered(d.Channel, dead ? "dead" : "failed");
            log.LogWarning(e, "Outbox: {Channel} delivery {Id} of message {Message} failed (attempt {Attempt}{Dead})",
                d.Channel, d.Id, d.OutboxId, d.Attempts, dead ? ", now dead" : "");
            return false;
        }
    }

    /// <summary>The in-app notices, and the delivery marked done, in one transaction (rows unique per message and user).</summary>
    private async Task InApp(AppDbContext db, OutboxDelivery d, OutboxMessage message, CancellationToken ct)
    {
        var recipients = await new Recipients(db).Of(message, ct);
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await db.WriteAsync(async () =>
            {
                var existing = await db.Notifications.Where(n => n.OutboxId == message.Id).Select(n => n.UserId).ToListAsync(ct);
                var now = clock.GetUtcNow();
                db.Notifications.AddRange(recipients.Except(existing).Select(u => new Notification
                {
                    OutboxId = message.Id, UserId = u, CreatedAt = now, Kind = message.Kind, Title = message.Title, Body = message.Body, WorkOrderId = message.WorkOrderId,
                }));
                await db.SaveChangesAsync(ct);
                // Another node took this delivery over after our lease ran out: it writes the notices, we write nothing.
                if (await Settle(db, d, ct) != 1) await db.RollbackWriteAsync();
            }, ct);
        });
    }

    private async Task Live(AppDbContext db, OutboxDelivery d, OutboxMessage message, CancellationToken ct)
    {
        var recipients = await new Recipients(db).Of(message, ct);
        var e = new LiveEvent(message.Kind, message.BranchId, message.WorkOrderId, message.Title, message.Body, null);
        if (recipients.Count > 0) await live.Transport.SendAsync(new LiveEnvelope(e, recipients, null), ct);
        // A clock warned or breached: every open board that shows the order redraws its countdown (it may be red now).
        if (message.WorkOrderId is { } orderId && message.Kind.StartsWith("sla", StringComparison.Ordinal))
        {
            var technician = await db.WorkOrders.Where(o => o.Id == orderId).Select(o => o.TechnicianId).FirstOrDefaultAsync(ct);
            await live.Transport.SendAsync(new LiveEnvelope(e with { Kind = "clockChanged", Body = message.Kind }, null, technician), ct);
        }
        await Settle(db, d, ct);
    }

    private async Task Sms(IServiceProvider services, AppDbContext db, OutboxDelivery d, OutboxMessage message, CancellationToken ct)
    {
        var to = d.UserId == OutboxDelivery.AllRecipients && !string.IsNullOrEmpty(message.ToPhone)
            ? new { Phone = (string?)message.ToPhone, Language = (string?)null }
            : await db.Users.Where(u => u.Id == d.UserId).Select(u => new { u.Phone, u.Language }).FirstOrDefaultAsync(ct);
        if (string.IsNullOrEmpty(to?.Phone)) throw new InvalidOperationException($"User {d.UserId} has no phone number.");
        // In the language the person chose (Chinese unless they asked otherwise).
        var culture = Catalogue.Match(to.Language) ?? Catalogue.Chinese;
        await services.GetRequiredService<ISmsSender>().SendAsync(to.Phone,
            $"{StoredText.Render(message.Title, culture)} {StoredText.Render(message.Body, culture)}", $"fieldline-delivery-{d.Id}", ct);
        await Settle(db, d, ct);
    }

    /// <summary>
    /// An e-mail to one recipient (or to the message's own address), in their language, with the archived report it
    /// announces attached as PDF and Excel, rendered from the document's frozen figures.
    /// </summary>
    private async Task Email(IServiceProvider services, AppDbContext db, OutboxDelivery d, OutboxMessage message, CancellationToken ct)
    {
        var to = d.UserId == OutboxDelivery.AllRecipients && !string.IsNullOrEmpty(message.ToEmail)
            ? new { Email = (string?)message.ToEmail, Language = (string?)null }
            : await db.Users.Where(u => u.Id == d.UserId).Select(u => new { u.Email, u.Language }).FirstOrDefaultAsync(ct);
        if (string.IsNullOrEmpty(to?.Email)) throw new InvalidOperationException($"User {d.UserId} has no e-mail address.");
        var culture = Catalogue.Match(to.Language) ?? Catalogue.Chinese;
        var attachments = message.ReportDocumentId is { } documentId
            ? await services.GetRequiredService<Reports.Archive.ReportAttachments>().Of(documentId, culture, ct)
            : [];
        await services.GetRequiredService<IEmailSender>().SendAsync(to.Email, StoredText.Render(message.Title, culture), StoredText.Render(message.Body, culture),
            attachments, $"fieldline-delivery-{d.Id}", ct);
        await Settle(db, d, ct);
    }

    /// <summary>This attempt's row, only while it is still this attempt's (the claim's count fences a late writer).</summary>
    private static IQueryable<OutboxDelivery> Fenced(AppDbContext db, OutboxDelivery d) =>
        db.OutboxDeliveries.Where(x => x.Id == d.Id && x.Attempts == d.Attempts && x.State == DeliveryState.Pending);

    /// <summary>Marks the attempt delivered: in a write of its own, or in the one open.</summary>
    private Task<int> Settle(AppDbContext db, OutboxDelivery d, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.WriteAsync(() => Fenced(db, d).ExecuteUpdateAsync(u => u.SetProperty(x => x.State, DeliveryState.Delivered).SetProperty(x => x.DeliveredAt, now), ct), ct);
    }

    /// <summary>Gives claimed but untried deliveries back, due again when the failed one is.</summary>
    private async Task Release(List<OutboxDelivery> untried, CancellationToken ct)
    {
        if (untried.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var next = clock.GetUtcNow().Add(options.Backoff(1));
        await db.WriteAsync(async () =>
        {
            foreach (var d in untried)
                await Fenced(db, d).ExecuteUpdateAsync(u => u.SetProperty(x => x.Attempts, x => x.Attempts - 1).SetProperty(x => x.NextAttemptAt, next).SetProperty(x => x.LeaseUntil, (DateTimeOffset?)null), ct);
        }, ct);
    }

    /// <summary>The named users, plus every active user of the branch or head office holding one of the roles.</summary>
    private sealed class Recipients(AppDbContext db)
    {
        private List<int>? _headOffice;

        public async Task<List<int>> Of(OutboxMessage m, CancellationToken ct)
        {
            var ids = new HashSet<int>(m.RecipientUserIds);
            if (m.RecipientRoles.Count > 0)
            {
                _headOffice ??= await db.Branches.Where(b => b.ParentId == null).Select(b => b.Id).ToListAsync(ct);
                var staff = await db.Users.Where(u => u.IsActive && (u.BranchId == m.BranchId || _headOffice.Contains(u.BranchId)))
                    .Select(u => new { u.Id, u.Roles }).ToListAsync(ct);
                ids.UnionWith(staff.Where(u => u.Roles.Any(m.RecipientRoles.Contains)).Select(u => u.Id));
            }
            return [.. ids];
        }

        public async Task<List<int>> WithEmail(OutboxMessage m, CancellationToken ct)
        {
            var ids = await Of(m, ct);
            return await db.Users.Where(u => ids.Contains(u.Id) && u.Email != null && u.Email != "").Select(u => u.Id).ToListAsync(ct);
        }

        public async Task<List<int>> WithPhone(OutboxMessage m, CancellationToken ct)
        {
            var ids = await Of(m, ct);
            return await db.Users.Where(u => ids.Contains(u.Id) && u.Phone != null && u.Phone != "").Select(u => u.Id).ToListAsync(ct);
        }
    }
}
