using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.People;

/// <summary>
/// TLS-04, month end: at the policy's time on the policy's day before the month's end (branch time; the last day at
/// 16:00 when the policy names none), everyone of the branch without a kit check this month is named in one in-app
/// reminder to the supervisor. Once per branch and month: the <see cref="KitRoundReminder"/> row's unique index makes a
/// second tick or a second node change nothing. A month the clock jumped past is not reminded afterwards.
/// </summary>
public sealed class RemindUncheckedKits(IServiceScopeFactory scopes, TimeProvider clock, ILogger<RemindUncheckedKits> log) : IDueWork
{
    public async Task RunDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        var policy = await scope.ServiceProvider.GetRequiredService<PolicyStore>().InForce(db, now, ct);
        if (!policy.KitCheckedMonthly) return;
        var zones = scope.ServiceProvider.GetRequiredService<BranchZones>();
        foreach (var branch in await db.Technicians.AsNoTracking().Select(t => t.BranchId).Distinct().ToListAsync(ct))
        {
            var zone = await zones.For(branch, ct);
            var today = BranchTime.Today(now, zone);
            var due = DueOn(today, policy);
            if (now < SlaMath.At(due, policy.UncheckedKitReminderTime, zone)) continue;
            var month = today.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            await using var one = scopes.CreateAsyncScope();
            var odb = one.ServiceProvider.GetRequiredService<AppDbContext>();
            if (await odb.Set<KitRoundReminder>().AnyAsync(r => r.BranchId == branch && r.Month == month, ct)) continue;
            var round = await one.ServiceProvider.GetRequiredService<ShowKitRound>().Round(branch, today, policy, ct);
            var unchecked_ = round.People.Where(p => !p.CheckedThisMonth).ToList();
            odb.Add(new KitRoundReminder { BranchId = branch, Month = month, RemindedAt = now, Unchecked = unchecked_.Count, TechnicianIds = string.Join(",", unchecked_.Select(p => p.TechnicianId)) });
            if (unchecked_.Count > 0)
                Notify.Queue(odb, now, "kitCheckDue", branch, null, Msg.Of("Kit spot check: {0} people not checked in {1}", unchecked_.Count, month),
                    Msg.Of("The monthly kit spot check (TLS-04) of {0} is not done for: {1}. Check them before the month ends (phone: Kit check; desk: /people/tools).",
                        month, Msg.Verbatim(Names(unchecked_.Select(p => p.Name).ToList()))), [], [Roles.Supervisor]);
            try { await odb.SaveChangesAsync(ct); }
            // Another node's reminder (the unique index) is expected; any other refusal is a fault to see, not to hide.
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "KitRoundReminder"))
            {
                log.LogInformation("The kit round reminder of branch {Branch} for {Month} was sent elsewhere ({Error})", branch, month, e.InnerException?.Message);
            }
            catch (DbUpdateException e) { log.LogError(e, "The kit round reminder of branch {Branch} for {Month} could not be saved", branch, month); }
        }
    }

    /// <summary>Names the first <see cref="NamedAtMost"/> people and counts the rest: a big branch's whole list would not fit
    /// a notification (4,000 characters; PostgreSQL refused the save and the reminder was lost). /people/tools lists everyone.</summary>
    internal static string Names(IReadOnlyList<string> names) =>
        string.Join("、", names.Take(NamedAtMost)) + (names.Count > NamedAtMost ? $" …(+{names.Count - NamedAtMost})" : "");

    internal const int NamedAtMost = 40;

    /// <summary>The day of <paramref name="today"/>'s month the reminder is due: the last day, less the policy's days before it.</summary>
    public static DateOnly DueOn(DateOnly today, CompanyPolicy policy)
    {
        var last = new DateOnly(today.Year, today.Month, DateTime.DaysInMonth(today.Year, today.Month));
        return last.AddDays(-Math.Clamp(policy.UncheckedKitReminderDaysBeforeMonthEnd, 0, 27));
    }
}

/// <summary>That a branch's supervisor was reminded of the month's unchecked kits (once per branch and month), and whom it named.</summary>
public sealed class KitRoundReminder : IAppendOnly
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    /// <summary>yyyy-MM, the branch's calendar month.</summary>
    public required string Month { get; init; }
    public DateTimeOffset RemindedAt { get; init; }
    public int Unchecked { get; init; }
    /// <summary>The technicians named, comma-separated ids.</summary>
    public string TechnicianIds { get; init; } = "";
}

internal sealed class KitRoundReminderConfiguration : IEntityTypeConfiguration<KitRoundReminder>
{
    public void Configure(EntityTypeBuilder<KitRoundReminder> b)
    {
        b.HasIndex(x => new { x.BranchId, x.Month }).IsUnique();
        b.Property(x => x.Month).HasMaxLength(7);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
