namespace Fieldline.Web.Infrastructure.Data;

/// <summary>
/// How this scope's writes commit (scoped). By default every SaveChangesAsync is durable when it returns (a job, a console
/// page). A write of the API is <see cref="Deferred"/> (IdempotencyMiddleware): all its saves go into one write, committed
/// once its answer is known — with the answer stored for a retry when it carries an Idempotency-Key — so a crash never
/// keeps one without the other, a refusal keeps nothing, and a request that lost a race can be run again from scratch.
/// </summary>
public sealed class UnitOfWork
{
    public bool Deferred { get; private set; }

    public void Defer() => Deferred = true;
}
