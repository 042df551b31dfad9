using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Sla;

public sealed class SlaOptions
{
    public bool TimerEnabled { get; set; } = true;
    public double TickSeconds { get; set; } = 5;
    public int BatchSize { get; set; } = 1000;
    /// <summary>DSP-01: minutes a technician has to accept an SMS dispatch order before it shows "not acknowledged".</summary>
    public double AcknowledgeWithinMinutes { get; set; } = 30;
}

/// <summary>
/// Finds clocks whose warning, deadline or severe threshold has come (an indexed range on NextCheckAt, never a scan of
/// the open orders) and hands them to <see cref="BreachHandler"/>, a batch per transaction. On PostgreSQL the batch is
/// claimed FOR UPDATE SKIP LOCKED, so several app nodes share the work; a unique index per clock on breaches and
/// penalty cases makes a race or a crash mid-tick produce each exactly once.
/// </summary>
public sealed class SlaTimer(IServiceScopeFactory scopes, TimeProvider clock, SlaOptions options, DatabaseOptions database, ILogger<SlaTimer> log) : IDueWork
{
    public async Task RunDueAsync(CancellationToken ct)
    {
        int handled;
        do handled = await TickBatch(ct);
        while (handled == options.BatchSize && !ct.IsCancellationRequested);
    }

    /// <summary>Handles at most one batch of due clocks; returns how many it handled.</summary>
    public async Task<int> TickBatch(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            // Changes are detected once, before the save, not on every Add of the batch.
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var handler = scope.ServiceProvider.GetRequiredService<BreachHandler>();
            var policies = scope.ServiceProvider.GetRequiredService<PolicyStore>();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var phase = System.Diagnostics.Stopwatch.StartNew();
            var now = clock.GetUtcNow();
            var due = database.IsPostgres
                ? await db.SlaClocks.FromSql($"""SELECT * FROM "SlaClocks" WHERE "NextCheckAt" <= {now} ORDER BY "NextCheckAt" LIMIT {options.BatchSize} FOR UPDATE SKIP LOCKED""").ToListAsync(ct)
                : await db.SlaClocks.Where(c => c.NextCheckAt <= now).OrderBy(c => c.NextCheckAt).Take(options.BatchSize).ToListAsync(ct);
            if (due.Count == 0) return 0;
            var claimed = phase.Elapsed.TotalMilliseconds;
            var orderIds = due.Where(c => c.WorkOrderId is not null).Select(c => c.WorkOrderId!.Value).Distinct().ToList();
            var orders = new Dictionary<long, WorkOrder>();
            foreach (var chunk in orderIds.Chunk(500))
                foreach (var o in await db.WorkOrders.Where(o => chunk.Contains(o.Id)).ToListAsync(ct)) orders[o.Id] = o;
            await handler.Preload(due, ct);
            foreach (var c in due)
            {
                if (c.ComplaintId is not null) { await handler.ComplaintDue(c, now, ct); c.Reschedule(); continue; } // CPL-16/17: no order
                var order = orders[c.WorkOrderId!.Value];
                var policy = await policies.ById(db, order.PolicyVersionId, ct);
                if (!c.Warned && c.WarnAt <= now) await handler.Warn(c, order, now, ct);
                if (c.OverdueAt is null && c.DueAt <= now) await handler.Overdue(c, order, policy, now, ct);
                if (!c.SevereApplied && c.SevereAt <= now) await handler.Severe(c, policy, ct);
                c.Reschedule();
            }
            var handled = phase.Elapsed.TotalMilliseconds;
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            log.LogInformation("SLA tick handled {Count} due clocks (claim {Claim:0} ms, handle {Handle:0} ms, save {Save:0} ms)",
                due.Count, claimed, handled - claimed, phase.Elapsed.TotalMilliseconds - handled);
            return due.Count;
        });
    }
}

/// <summary>Runs the due work (SLA timer, outbox) every few seconds of the server's clock.</summary>
public sealed class DueWorkService(IEnumerable<IDueWork> work, SlaOptions options, ILogger<DueWorkService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.TimerEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var w in work)
            {
                try { await w.RunDueAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogError(e, "{Work} failed; retrying next tick", w.GetType().Name); }
            }
            // The poll cadence is real time; what is due is decided by the injected clock inside each tick.
            try { await Task.Delay(TimeSpan.FromSeconds(options.TickSeconds), TimeProvider.System, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
