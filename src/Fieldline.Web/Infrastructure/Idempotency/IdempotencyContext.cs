using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Infrastructure.Idempotency;

/// <summary>
/// The idempotency record of the current request (scoped). AppDbContext marks it Committed inside the same
/// SaveChanges as the request's own changes, so a retry can never apply a change twice, even after a crash.
/// </summary>
public sealed class IdempotencyContext
{
    public long? RecordId { get; private set; }
    public bool Committed { get; private set; }

    public void Begin(long recordId) => RecordId = recordId;

    internal void MarkCommitted(AppDbContext db)
    {
        if (RecordId is not { } id || Committed) return;
        var tracked = db.ChangeTracker.Entries<IdempotencyRecord>().FirstOrDefault(e => e.Entity.Id == id);
        var entry = tracked ?? db.Attach(new IdempotencyRecord { Id = id, Scope = "", Key = "", RequestHash = "" });
        entry.Entity.State = IdempotencyState.Committed;
        entry.Property(x => x.State).IsModified = true;
    }

    internal void Saved(AppDbContext db)
    {
        if (RecordId is null || Committed) return;
        Committed = true;
        if (db.ChangeTracker.Entries<IdempotencyRecord>().FirstOrDefault(e => e.Entity.Id == RecordId) is { } e) e.State = EntityState.Detached;
    }
}
