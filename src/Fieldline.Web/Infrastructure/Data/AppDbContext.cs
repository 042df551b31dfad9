using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Features.Billing;
using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Fieldline.Web.Infrastructure.Data;

/// <summary>
/// The one model of Fieldline. Each provider has a thin subclass (<see cref="SqliteAppDbContext"/>,
/// <see cref="PostgresAppDbContext"/>) only so that each keeps its own migrations; features use this type.
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : DbContext(options),
    Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.IDataProtectionKeyContext
{
    // Contexts are pooled (DatabaseSetup): an instance serves one request scope at a time, which lends it that scope's
    // unit of work (and, on SQLite, the group commit) through Lend, and takes them back when the scope disposes it.
    private UnitOfWork? unit;
    private SqliteGroupCommit? groupCommit;

    /// <summary>Binds this (pooled) context to a request scope's unit of work and the process's SQLite group commit.</summary>
    internal AppDbContext Lend(UnitOfWork? scopeUnit, SqliteGroupCommit? commit)
    {
        unit = scopeUnit;
        groupCommit = commit;
        return this;
    }

    /// <summary>The key ring that protects console cookies and antiforgery tokens, shared by every app node.</summary>
    public DbSet<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey> DataProtectionKeys => Set<Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey>();

    public DbSet<Branch> Branches => Set<Branch>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Technician> Technicians => Set<Technician>();
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<Features.Calls.CallRecord> CallRecords => Set<Features.Calls.CallRecord>();
    public DbSet<Features.Quality.CustomerConfirmation> CustomerConfirmations => Set<Features.Quality.CustomerConfirmation>();
    public DbSet<RegisteredProduct> Products => Set<RegisteredProduct>();
    public DbSet<WorkOrder> WorkOrders => Set<WorkOrder>();
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();
    public DbSet<WorkOrderCodeCounter> WorkOrderCodeCounters => Set<WorkOrderCodeCounter>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<PriceItem> PriceItems => Set<PriceItem>();
    public DbSet<CashHandIn> CashHandIns => Set<CashHandIn>();
    public DbSet<CustomerRefund> CustomerRefunds => Set<CustomerRefund>();
    public DbSet<Features.Parts.Part> Parts => Set<Features.Parts.Part>();
    public DbSet<Features.Parts.StockLocation> StockLocations => Set<Features.Parts.StockLocation>();
    public DbSet<Features.Parts.StockMovement> StockMovements => Set<Features.Parts.StockMovement>();
    public DbSet<Features.Parts.StockLevel> StockLevels => Set<Features.Parts.StockLevel>();
    public DbSet<Features.Parts.Requisition> Requisitions => Set<Features.Parts.Requisition>();
    public DbSet<Features.Parts.OldPart> OldParts => Set<Features.Parts.OldPart>();
    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();
    public DbSet<PolicyDraft> PolicyDrafts => Set<PolicyDraft>();
    public DbSet<SlaClock> SlaClocks => Set<SlaClock>();
    public DbSet<SlaBreach> SlaBreaches => Set<SlaBreach>();
    public DbSet<PenaltyCase> PenaltyCases => Set<PenaltyCase>();
    public DbSet<DismissalReview> DismissalReviews => Set<DismissalReview>();
    public DbSet<EligibilityCounter> EligibilityCounters => Set<EligibilityCounter>();
    public DbSet<PayLedgerEntry> PayLedger => Set<PayLedgerEntry>();
    public DbSet<LeakFinding> LeakFindings => Set<LeakFinding>();
    public DbSet<Assessment> Assessments => Set<Assessment>();
    public DbSet<PayPeriodClose> PayPeriodCloses => Set<PayPeriodClose>();
    public DbSet<Complaint> Complaints => Set<Complaint>();
    public DbSet<ComplaintFinding> ComplaintFindings => Set<ComplaintFinding>();
    public DbSet<Features.ReturnVisits.ReturnVisit> ReturnVisits => Set<Features.ReturnVisits.ReturnVisit>();
    public DbSet<Features.Quality.QualityFlag> QualityFlags => Set<Features.Quality.QualityFlag>();
    public DbSet<BranchCalendar> BranchCalendars => Set<BranchCalendar>();
    public DbSet<Features.Attendance.OfficeCheckIn> OfficeCheckIns => Set<Features.Attendance.OfficeCheckIn>();
    public DbSet<Features.People.LeaveRequest> LeaveRequests => Set<Features.People.LeaveRequest>();
    public DbSet<Features.Trips.ServiceTrip> ServiceTrips => Set<Features.Trips.ServiceTrip>();
    public DbSet<Features.People.Suspension> Suspensions => Set<Features.People.Suspension>();
    public DbSet<Features.People.AttendanceJudgement> AttendanceJudgements => Set<Features.People.AttendanceJudgement>();
    public DbSet<Features.People.ToolCheck> ToolChecks => Set<Features.People.ToolCheck>();
    public DbSet<Features.People.Certificate> Certificates => Set<Features.People.Certificate>();
    public DbSet<Features.People.Training> Trainings => Set<Features.People.Training>();
    public DbSet<Features.People.TrainingAttendance> TrainingAttendance => Set<Features.People.TrainingAttendance>();
    public DbSet<Features.People.HrRecord> HrRecords => Set<Features.People.HrRecord>();
    public DbSet<Features.People.Offboarding> Offboardings => Set<Features.People.Offboarding>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<OutboxDelivery> OutboxDeliveries => Set<OutboxDelivery>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<AppSetting> AppSettings => Set<AppSetting>();
    public DbSet<Auth.LoginThrottleRow> LoginThrottles => Set<Auth.LoginThrottleRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly,
            t => t.Namespace?.StartsWith("Fieldline.Web", StringComparison.Ordinal) == true);
        modelBuilder.Entity<AppSetting>(b =>
        {
            b.HasKey(x => x.Key);
            b.Property(x => x.Key).HasMaxLength(64);
        });
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => typeof(IVersioned).IsAssignableFrom(e.ClrType)))
            modelBuilder.Entity(entity.ClrType).Property(nameof(IVersioned.Version)).IsConcurrencyToken();
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL, and safe when members are reordered.
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        configurationBuilder.Properties<decimal>().HavePrecision(18, 2);
    }

    /// <summary>
    /// Use cases save asynchronously. The one synchronous writer is ASP.NET's data-protection key store (a new key every
    /// 90 days, in its own scope), which has no async API: it alone may save this way.
    /// </summary>
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        ChangeTracker.Entries().All(e => e.Entity is Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey || e.State == EntityState.Unchanged)
            ? base.SaveChanges(acceptAllChangesOnSuccess)
            : throw new NotSupportedException("Use SaveChangesAsync.");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Entries() detects the changes once; the version is then set through the tracker (which marks it modified), so
        // the save itself need not scan every tracked entity again (issue 14: a second DetectChanges per save).
        List<EntityEntry>? touched = null;
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is IAppendOnly && entry.State is EntityState.Modified or EntityState.Deleted)
                throw new InvalidOperationException($"{entry.Entity.GetType().Name} is append-only and cannot be changed.");
            // Asked of every aggregate, whatever its state, so that a change already saved with its row is not counted again.
            var changed = entry.Entity is IVersionedAggregate aggregate && aggregate.TakeUnsavedChange();
            if (entry.Entity is IVersioned versioned && entry.State == EntityState.Modified)
                entry.Property(nameof(IVersioned.Version)).CurrentValue = versioned.Version + 1;
            else if (changed && entry.State == EntityState.Unchanged)
                (touched ??= []).Add(entry);
        }
        // A change that wrote only rows of its parts (a work order's timeline entry): the version alone is written, guarded
        // by the version that was read, as any other change — after the scan, which a state change would disturb.
        if (touched is not null)
            foreach (var entry in touched)
                entry.Property(nameof(IVersioned.Version)).CurrentValue = ((IVersioned)entry.Entity).Version + 1;
        // A caller that runs a transaction of its own (a tool or a test; the app's jobs use WriteAsync) commits it itself.
        if (unit is null || (_write is null && Database.CurrentTransaction is not null))
            return await SaveDetected(acceptAllChangesOnSuccess, cancellationToken);
        await BeginWriteAsync(cancellationToken);
        int rows;
        try
        {
            rows = await SaveDetected(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch
        {
            // A deferred unit is rolled back by its owner (IdempotencyMiddleware), which stores the refusal instead; a
            // WriteAsync by its work's caller.
            if (!unit.Deferred && !_holding) await RollbackWriteAsync();
            throw;
        }
        if (!unit.Deferred && !_holding) await CommitWriteAsync(cancellationToken);
        return rows;
    }

    /// <summary>
    /// Saves the rows added so far into the write opened by <see cref="BeginWriteAsync"/>, without committing it, and stops
    /// tracking them: a use case that inserts more rows than it should track at once (a month close's 50,000 pay lines)
    /// saves them in parts, and its last <see cref="SaveChangesAsync(bool, CancellationToken)"/> commits them all together.
    /// Only additions: a part never holds a change to a row read earlier.
    /// </summary>
    public async Task SaveAddedPartAsync(CancellationToken ct)
    {
        if (_write is null) throw new InvalidOperationException("Open the write first (BeginWriteAsync): a part is never committed on its own.");
        if (ChangeTracker.Entries().Any(e => e.State is not (EntityState.Added or EntityState.Unchanged)))
            throw new InvalidOperationException("A part saves added rows only.");
        await SaveDetected(true, ct);
        ChangeTracker.Clear();
    }

    /// <summary>
    /// Reads the change tracker (<c>Local</c>, <c>Entry</c>, <c>Entries</c>) without running DetectChanges again, for a caller
    /// that has just detected or saved and changed nothing since: each DetectChanges compares every property of every
    /// tracked entity, and an order's create or action read the tracker five times (issue 14, session 11).
    /// </summary>
    public T WithoutDetect<T, TState>(TState state, Func<AppDbContext, TState, T> read)
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return read(this, state);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    /// <summary>
    /// The save without another DetectChanges (SaveChangesAsync has just run it, through Entries()): inside the context's
    /// write by statements of its own where they apply (<see cref="DirectSave"/>), else EF Core's.
    /// </summary>
    private async Task<int> SaveDetected(bool acceptAllChangesOnSuccess, CancellationToken ct)
    {
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return await DirectSave.TrySaveAsync(this, acceptAllChangesOnSuccess, ct) ?? await base.SaveChangesAsync(acceptAllChangesOnSuccess, ct);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private WriteLease? _write;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> Postgres = new();

    /// <summary>Whether this context runs on PostgreSQL, decided once per context type (Database.IsNpgsql() reads an assembly's name on every call).</summary>
    public bool OnPostgres => Postgres.GetOrAdd(GetType(), static (_, db) => db.Database.IsNpgsql(), this);

    /// <summary>
    /// Opens this context's write: on SQLite a turn on the one write connection, in the group commit's open transaction
    /// under a savepoint of its own; on PostgreSQL a transaction. Statements that must run in the same commit as the
    /// saved changes (taking a work-order number) call it first; SaveChangesAsync calls it itself.
    /// </summary>
    public async Task BeginWriteAsync(CancellationToken ct)
    {
        if (_write is not null) return;
        if (Database.CurrentTransaction is not null) throw new InvalidOperationException("This context already runs its own transaction.");
        _write = groupCommit is not null && Database.IsSqlite()
            ? await groupCommit.Enter(this, ct)
            : new TransactionLease(await Database.BeginTransactionAsync(ct));
    }

    /// <summary>
    /// Serialises what follows, up to this context's commit or rollback, with every other write that names the same
    /// <paramref name="topic"/> and <paramref name="id"/>, on every node — for a check and the insert it guards, which no
    /// unique index can state (one pending or approved leave per person and day: an overlap of ranges), and for a request
    /// run again after it lost a race (IdempotencyMiddleware). It opens this context's write (<see cref="BeginWriteAsync"/>):
    /// on SQLite that is the one writer's turn, which every write takes one at a time and in which the reads see the writes
    /// of the batch not yet committed; on PostgreSQL it also takes a transaction-scoped advisory lock on the pair, which
    /// waits for another holder's commit, so that the reads after it see what that holder wrote. Call it inside a write
    /// that ends (<see cref="WriteAsync{T}"/>, or a request's unit), before the check.
    /// </summary>
    public async Task SerializeAsync(string topic, long id, CancellationToken ct)
    {
        await BeginWriteAsync(ct);
        if (!OnPostgres) return;
        var key = ((long)TopicKey(topic) << 32) | (uint)id;
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
    }

    /// <summary>
    /// Runs <paramref name="work"/> — a check and the insert it guards, and the save — as one write (<see cref="WriteAsync{T}"/>)
    /// serialised on the pair (<see cref="SerializeAsync"/>): of two requests that would each pass the check alone, the
    /// second checks after the first has saved, and is refused.
    /// </summary>
    public Task<T> SerializedAsync<T>(string topic, long id, Func<Task<T>> work, CancellationToken ct) =>
        WriteAsync(async () =>
        {
            await SerializeAsync(topic, id, ct);
            return await work();
        }, ct);

    /// <summary>A topic's half of an advisory lock's key, the same in every process (string.GetHashCode is not): FNV-1a.</summary>
    private static int TopicKey(string topic)
    {
        var hash = 2166136261u;
        foreach (var c in topic) hash = (hash ^ c) * 16777619u;
        return unchecked((int)hash);
    }

    /// <summary>Inside <see cref="WriteAsync{T}"/>: a save does not commit the write; the work's end does.</summary>
    private bool _holding;

    /// <summary>
    /// Runs <paramref name="work"/> as this context's one write, committed when the work returns and rolled back when it
    /// throws: on SQLite a turn of the group commit, as a request's write; on PostgreSQL a transaction. Its saves do not
    /// commit on their own; the work may roll the write back itself (<see cref="RollbackWriteAsync"/>) to write nothing.
    /// Inside another WriteAsync, or a request's deferred unit (an Idempotency-Key), the work joins that write, which its
    /// owner commits.
    /// For the jobs that write outside a request (the SLA timer, the outbox, the KPI fold, the reports): on SQLite a
    /// transaction of their own on a second connection held the file lock against the group commit, whose turn then
    /// waited in SQLite's busy handler — under load every request queued behind it for 1–2 s (issue 14, session 18).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        await BeginWriteAsync(ct);
        if (_holding || unit?.Deferred == true) return await work();
        _holding = true;
        T result;
        try
        {
            result = await work();
        }
        catch
        {
            _holding = false;
            await RollbackWriteAsync();
            throw;
        }
        _holding = false;
        await CommitWriteAsync(ct);
        return result;
    }

    /// <inheritdoc cref="WriteAsync{T}"/>
    public Task WriteAsync(Func<Task> work, CancellationToken ct) => WriteAsync(async () => { await work(); return true; }, ct);

    /// <summary>Whether this context has a write open (<see cref="BeginWriteAsync"/>): on SQLite a turn of the group commit.</summary>
    internal bool InWrite => _write is not null;

    /// <summary>Makes this context's write durable (a no-op when none is open). On SQLite it commits with the writes queued behind it.</summary>
    public async Task CommitWriteAsync(CancellationToken ct)
    {
        if (_write is not { } write) return;
        _write = null;
        await write.CommitAsync(ct);
        var after = _afterCommit;
        _afterCommit = null;
        after?.ForEach(a => a());
    }

    /// <summary>Undoes this context's open write, and nothing else (on SQLite: its savepoint in the shared transaction).</summary>
    public async Task RollbackWriteAsync()
    {
        _afterCommit = null;
        if (_write is not { } write) return;
        _write = null;
        await write.RollbackAsync();
    }

    private List<Action>? _afterCommit;

    /// <summary>
    /// Runs <paramref name="action"/> once this context's write is durable — at once when nothing is open (it was committed
    /// already), never when it is rolled back. For a process's caches of what the write changed: invalidated before the
    /// commit, a concurrent request could cache the old value again.
    /// </summary>
    public void AfterCommit(Action action)
    {
        if (_write is null) action();
        else (_afterCommit ??= []).Add(action);
    }

    /// <summary>A write still open when the scope ends (its request failed before committing) is undone, never left holding the writer.</summary>
    public override async ValueTask DisposeAsync()
    {
        _holding = false;
        await RollbackWriteAsync();
        unit = null;
        groupCommit = null;
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public override void Dispose()
    {
        _afterCommit = null;
        _holding = false;
        if (_write is { } write) { _write = null; write.Rollback(); }
        unit = null;
        groupCommit = null;
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>An open write of one context: committed or rolled back exactly once.</summary>
public abstract class WriteLease
{
    public abstract Task CommitAsync(CancellationToken ct);
    public abstract Task RollbackAsync();
    public abstract void Rollback();
}

/// <summary>PostgreSQL (and SQLite without a group commit): the context's own transaction. PostgreSQL groups concurrent commits' WAL flushes itself.</summary>
internal sealed class TransactionLease(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction) : WriteLease
{
    public override async Task CommitAsync(CancellationToken ct)
    {
        await using (transaction) await transaction.CommitAsync(ct);
    }

    public override async Task RollbackAsync()
    {
        await using (transaction) await transaction.RollbackAsync();
    }

    public override void Rollback()
    {
        using (transaction) transaction.Rollback();
    }
}

/// <summary>Mutable records carry an integer version, incremented on every save and checked as a concurrency token.</summary>
public interface IVersioned
{
    int Version { get; set; }
}

/// <summary>
/// A versioned record that changes through rows of its own parts too (a work order gains a timeline entry when a customer
/// could not be reached, and nothing in its own row changes): api.md's "every change to a mutable resource bumps its
/// version" holds for those changes only if the save knows of them. The entity's methods note such a change; the save asks
/// once (which forgets it) and bumps the version when the row itself was not modified anyway.
/// </summary>
public interface IVersionedAggregate : IVersioned
{
    /// <summary>Whether a change was noted since the last save; the note is cleared by asking.</summary>
    bool TakeUnsavedChange();
}

/// <summary>Records that are written once and never changed (the work-order timeline, the pay ledger, closed pay months).</summary>
public interface IAppendOnly;

/// <summary>Small key/value settings the app keeps for itself (e.g. the token signing key when none is configured).</summary>
public sealed class AppSetting
{
    public required string Key { get; init; }
    public required string Value { get; set; }
}
