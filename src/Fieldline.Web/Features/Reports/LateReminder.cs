using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Reports;

/// <summary>
/// The key of a reminder sent because something a person must hand in became late (RPT-11: the week began without its
/// plan approved): one per branch, kind and period. Saved in the same write as the reminder's message, so that of two
/// nodes reminding at the same moment the second's write fails on the unique index and the reminder is sent exactly once.
/// </summary>
public sealed class LateReminder
{
    /// <summary>RPT-11: the week's plan was not approved (or not submitted) before the week began; the period is its Monday.</summary>
    public const string WeeklyPlan = "weeklyPlan";

    public long Id { get; private set; }
    public int BranchId { get; init; }
    public required string Kind { get; init; }
    /// <summary>The late period as yyyy-MM-dd (its first day).</summary>
    public required string Period { get; init; }
    public DateTimeOffset SentAt { get; init; }

    /// <summary>The period's key: its first day, invariant.</summary>
    public static string Key(DateOnly first) => first.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Saves the reminder's key and its message in one write. True when this node sent it; false when another node's key
    /// was saved first (the unique index refused this one). Any other refusal is not "sent elsewhere": it is thrown.
    /// </summary>
    public static async Task<bool> Send(AppDbContext db, LateReminder key, OutboxMessage message, ILogger log, CancellationToken ct)
    {
        db.Add(key);
        db.Outbox.Add(message);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "LateReminders"))
        {
            log.LogInformation("The {Kind} reminder of branch {Branch} for {Period} was sent by another node", key.Kind, key.BranchId, key.Period);
            db.ChangeTracker.Clear();
            return false;
        }
    }
}

internal sealed class LateReminderConfiguration : IEntityTypeConfiguration<LateReminder>
{
    public void Configure(EntityTypeBuilder<LateReminder> b)
    {
        b.ToTable("LateReminders");
        b.Property(x => x.Kind).HasMaxLength(40);
        b.Property(x => x.Period).HasMaxLength(10);
        b.HasIndex(x => new { x.BranchId, x.Kind, x.Period }).IsUnique();
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
