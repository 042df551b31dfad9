namespace Fieldline.Web.Infrastructure.Data;

/// <summary>
/// How this scope's writes commit (scoped). By default every SaveChangesAsync is durable when it returns. A request with
/// an Idempotency-Key is <see cref="Deferred"/>: its changes, and the answer IdempotencyMiddleware stores for a retry,
/// commit together once the answer is known, so a crash can never keep one without the other.
/// </summary>
public sealed class UnitOfWork
{
    public bool Deferred { get; private set; }

    public void Defer() => Deferred = true;
}
