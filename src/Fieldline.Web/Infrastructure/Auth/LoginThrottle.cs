using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Infrastructure.Auth;

/// <summary>
/// Failed sign-ins are counted per account (whatever address they come from: a password guessed slowly from many
/// machines) and per address (one machine trying many accounts). Only failures count, so a whole office behind one
/// address signs in as often as it likes; reaching a limit locks that account or address for a while, with a message
/// saying which and for how long. The counters are rows in the database, so every app node sees the same ones.
/// Time is the wall clock (<see cref="WallClock"/>), like token lifetimes: the sandbox clock must not lock or unlock anyone.
/// </summary>
public sealed class LoginThrottle(AppDbContext db, [FromKeyedServices(LoginThrottle.WallClock)] TimeProvider clock, AuthOptions options)
{
    public const string WallClock = "wall";

    private static string Account(string? username)
    {
        var key = "user:" + (username ?? "").Trim().ToLowerInvariant();
        return key.Length > 120 ? key[..120] : key;
    }

    private static string Address(string? address) => "addr:" + (address ?? "unknown");

    /// <summary>Refuses (429) a sign-in while the account or the address is locked, before the password is even checked.</summary>
    public async Task ThrowIfLocked(string? username, string? address, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        string[] keys = [Account(username), Address(address)];
        var locks = await db.LoginThrottles.AsNoTracking().Where(t => keys.Contains(t.Key) && t.LockedUntil != null).ToListAsync(ct);
        var locked = locks.Where(t => t.LockedUntil > now).OrderByDescending(t => t.LockedUntil).FirstOrDefault();
        if (locked is not null) throw new TooManySignInsException(locked.Key.StartsWith("user:", StringComparison.Ordinal), locked.LockedUntil!.Value - now);
    }

    public async Task Failed(string? username, string? address, CancellationToken ct)
    {
        await Count(Account(username), options.LoginFailuresPerAccount, ct);
        await Count(Address(address), options.LoginFailuresPerAddress, ct);
    }

    /// <summary>A successful sign-in forgets the account's earlier failures (not the address's).</summary>
    public Task Succeeded(string? username, CancellationToken ct)
    {
        var key = Account(username);
        return db.WriteAsync(() => db.LoginThrottles.Where(t => t.Key == key).ExecuteUpdateAsync(s => s.SetProperty(t => t.Failures, 0), ct), ct);
    }

    private async Task Count(string key, int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var windowStart = now - TimeSpan.FromMinutes(options.LoginWindowMinutes);
        // One atomic statement per failure, so failures counted on several nodes at once all add up.
        for (var attempt = 0; ; attempt++)
        {
            var counted = await db.WriteAsync(() => db.LoginThrottles.Where(t => t.Key == key).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Failures, t => t.WindowStartedAt < windowStart ? 1 : t.Failures + 1)
                .SetProperty(t => t.WindowStartedAt, t => t.WindowStartedAt < windowStart ? now : t.WindowStartedAt), ct), ct);
            if (counted > 0) break;
            db.LoginThrottles.Add(new LoginThrottleRow { Key = key, Failures = 1, WindowStartedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            // Another node inserted the row first (its key is the primary key): count on it. Any other refusal is a fault
            // and surfaces (a logged 500), never a failure silently left uncounted.
            catch (DbUpdateException e) when (attempt == 0 && DbErrors.IsUniqueViolation(e, "LoginThrottles"))
            {
                db.ChangeTracker.Clear();
            }
        }
        var until = now + TimeSpan.FromMinutes(options.LoginLockoutMinutes);
        await db.WriteAsync(() => db.LoginThrottles.Where(t => t.Key == key && t.Failures >= limit)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LockedUntil, (DateTimeOffset?)until).SetProperty(t => t.Failures, 0).SetProperty(t => t.WindowStartedAt, now), ct), ct);
    }
}

/// <summary>429: too many failed sign-ins for the account or from the address.</summary>
public sealed class TooManySignInsException(bool account, TimeSpan wait) : Exception("Too many failed sign-ins.")
{
    public Msg Text => Account
        ? Msg.Of("Too many failed sign-ins for this account. Try again in {0} minutes.", Minutes)
        : Msg.Of("Too many failed sign-ins from this network address. Try again in {0} minutes.", Minutes);

    public bool Account { get; } = account;
    public int Minutes { get; } = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
    public TimeSpan RetryAfter { get; } = wait;
}

public sealed class LoginThrottleRow
{
    public required string Key { get; init; }
    public int Failures { get; set; }
    public DateTimeOffset WindowStartedAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
}

internal sealed class LoginThrottleConfiguration : IEntityTypeConfiguration<LoginThrottleRow>
{
    public void Configure(EntityTypeBuilder<LoginThrottleRow> b)
    {
        b.ToTable("LoginThrottles");
        b.HasKey(x => x.Key);
        b.Property(x => x.Key).HasMaxLength(160);
    }
}
