using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Sla;

public sealed class SlaOptions
{
    public bool TimerEnabled { get; set; } = true;
    public double TickSeconds { get; set; } = 5;
    public int BatchSize { get; set; } = 1000;
    /// <summary>DSP-01: minutes a technician has to accept an SMS dispatch order before it shows "not acknowledged".</summary>
    public double AcknowledgeWithinMinutes { get; set; } = 30;
    /// <summary>FEE-07 (ccec): minutes finance has to record the money after the technician checked in at the office.</summary>
    public double OfficeHandInGraceMinutes { get; set; } = 30;
}

/// <summary>
/// Finds clocks whose warning, deadline or severe threshold has come (an indexed range on NextCheckAt, never a scan of
/// the open orders) and hands them to <see cref="BreachHandler"/>, a batch per transaction. On PostgreSQL the batch is
/// claimed FOR UPDATE SKIP LOCKED, so several app nodes share the work; a unique index per clock on breaches and
/// penalty cases makes a race or a crash mid-tick produce each exactly once.
/// The batch is written in its one transaction a table at a time (<see cref="SetBasedWrites"/>: COPY or one prepared
/// statement) instead of a SaveChanges command per row, which was most of the tick (docs/benchmarks.md): the clocks only
/// where their version is still the one claimed, the new breaches, cases and outbox messages, and then the few rows
/// that are read and changed (eligibility counters, a case made severe) by SaveChanges.
/// </summary>
public sealed class SlaTimer(IServiceScopeFactory scopes, TimeProvider clock, SlaOptions options, DatabaseOptions database, ILogger<SlaTimer> log) : IDueWork
{
    /// <summary>What the tick changes on a clock (Warn, Overdue, Severe, Reschedule); the clock update writes only these.</summary>
    private static readonly string[] TickColumns = [nameof(SlaClock.Warned), nameof(SlaClock.OverdueAt), nameof(SlaClock.SevereApplied), nameof(SlaClock.NextCheckAt)];

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
            // A fresh handler per attempt: a retried batch must not see the rows its failed attempt made.
            var handler = new BreachHandler(db, scope.ServiceProvider.GetRequiredService<BranchZones>(), scope.ServiceProvider.GetRequiredService<Evaluation.ProposePenaltyCase>());
            var policies = scope.ServiceProvider.GetRequiredService<PolicyStore>();
            // On SQLite a turn of the group commit, not a second writer (AppDbContext.WriteAsync).
            return await db.WriteAsync(() => Tick(db, handler, policies, ct), ct);
        });
    }

    private async Task<int> Tick(AppDbContext db, BreachHandler handler, PolicyStore policies, CancellationToken ct)
    {
        var phase = System.Diagnostics.Stopwatch.StartNew();
        var now = clock.GetUtcNow();
        // Clocks and orders are read without tracking: the clocks are written below by one version-checked UPDATE.
        var due = database.IsPostgres
            ? await db.SlaClocks.FromSql($"""SELECT * FROM "SlaClocks" WHERE "NextCheckAt" <= {now} ORDER BY "NextCheckAt" LIMIT {options.BatchSize} FOR UPDATE SKIP LOCKED""").AsNoTracking().ToListAsync(ct)
            : await db.SlaClocks.AsNoTracking().Where(c => c.NextCheckAt <= now).OrderBy(c => c.NextCheckAt).Take(options.BatchSize).ToListAsync(ct);
        if (due.Count == 0) return 0;
        var orderIds = due.Where(c => c.WorkOrderId is not null).Select(c => c.WorkOrderId!.Value).Distinct().ToList();
        var orders = new Dictionary<long, WorkOrder>();
        foreach (var chunk in orderIds.Chunk(500))
            foreach (var o in await db.WorkOrders.AsNoTracking().Where(o => chunk.Contains(o.Id)).ToListAsync(ct)) orders[o.Id] = o;
        await handler.Preload(due, now, ct);
        var read = phase.Elapsed.TotalMilliseconds;

        var created = new List<object>();
        handler.CollectNewRowsIn(created);
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

        // The clocks first: if one changed since it was claimed (a use case stopped it), the batch fails before any insert.
        await db.UpdateAllAsync(due, TickColumns, ct);
        var breaches = created.OfType<SlaBreach>().ToList();
        await db.InsertAllAsync(breaches, ct);
        if (created.OfType<PenaltyCase>().ToList() is { Count: > 0 } cases)
        {
            var breachIds = new Dictionary<long, long>();
            foreach (var chunk in breaches.Select(b => b.ClockId).Chunk(500))
                foreach (var b in await db.SlaBreaches.Where(b => chunk.Contains(b.ClockId)).Select(b => new { b.ClockId, b.Id }).ToListAsync(ct))
                    breachIds[b.ClockId] = b.Id;
            foreach (var penalty in cases) penalty.BreachId = breachIds[penalty.Breach!.ClockId];
            await db.InsertAllAsync(cases, ct);
        }
        await db.InsertAllAsync(created.OfType<DismissalReview>().ToList(), ct);
        await db.InsertAllAsync(created.OfType<OutboxMessage>().ToList(), ct);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        FieldlineMetrics.BreachesRecorded(breaches.Count);
        log.LogInformation("SLA tick handled {Count} due clocks (read {Read:0} ms, handle {Handle:0} ms, write {Write:0} ms, {Rows} new rows)",
            due.Count, read, handled - read, phase.Elapsed.TotalMilliseconds - handled, created.Count);
        return due.Count;
    }
}

/// <summary>
/// Runs the due work (SLA timer, outbox) every few seconds of the server's clock, each in its own loop, so a slow one
/// (an SMS gateway timing out) never delays another (the SLA timer). Every node runs it; each job claims its own rows.
/// </summary>
public sealed class DueWorkService(IEnumerable<IDueWork> work, SlaOptions options, ILogger<DueWorkService> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.TimerEnabled ? Task.WhenAll(work.Select(w => Loop(w, stoppingToken))) : Task.CompletedTask;

    private async Task Loop(IDueWork w, CancellationToken stoppingToken)
    {
        var name = w.GetType().Name;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using (var activity = FieldlineMetrics.Activities.StartActivity(name))
            {
                try { await w.RunDueAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { log.LogError(e, "{Work} failed; retrying next tick", name); }
                catch (OperationCanceledException) { return; }
            }
            FieldlineMetrics.Ticked(name, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            // The poll cadence is real time; what is due is decided by the injected clock inside each tick.
            try { await Task.Delay(TimeSpan.FromSeconds(options.TickSeconds), TimeProvider.System, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
