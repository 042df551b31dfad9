using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Reports.Kpis;

/// <summary>
/// KPI-13's clocks counted ahead: per branch, UTC hour the clocks started in and clock, how many are decided (met, or
/// breached: stopped late or running past the deadline) and how many of those were met — what
/// <see cref="KpiFactReader"/> would count by scanning the clocks, kept by the database itself: triggers on
/// <c>SlaClocks</c> (migrations <c>Issue19CountsFromIndexes</c> and <c>Issue19ClockHourChanges</c>, one per provider)
/// append a clock's +1 to <see cref="ClockHourChange"/> when it becomes decided and its −1 when it stops being so
/// (exempted, cancelled, deleted), in the same transaction as the clock's change, so every writer — the lifecycle, the SLA
/// timer, a bulk copy — keeps the counts right without knowing they exist; <see cref="FoldClockHours"/> folds the changes
/// into these rows every few seconds. A count is a row here plus the changes not folded yet, read in one statement. A
/// company year then reads about 8,760 rows per clock instead of millions of clocks. A branch in a zone whose offset is not
/// whole hours is read from the clocks, as before.
/// </summary>
public sealed class ClockHour
{
    public int BranchId { get; init; }
    /// <summary>Whole hours since 1970-01-01 UTC of the clocks' StartedAt.</summary>
    public long Hour { get; init; }
    public required string Name { get; init; }
    public int Decided { get; init; }
    public int Met { get; init; }

    public const long HourMs = 3_600_000;
}

/// <summary>
/// A change to a <see cref="ClockHour"/> not folded into it yet, appended by the triggers. Append-only, so that writers
/// deciding clocks at once never wait on (or deadlock over) the same counting row: only <see cref="FoldClockHours"/>
/// updates <see cref="ClockHour"/> rows.
/// </summary>
public sealed class ClockHourChange
{
    public long Id { get; init; }
    public int BranchId { get; init; }
    public long Hour { get; init; }
    public required string Name { get; init; }
    public int Decided { get; init; }
    public int Met { get; init; }
}

internal sealed class ClockHourChangeConfiguration : IEntityTypeConfiguration<ClockHourChange>
{
    public void Configure(EntityTypeBuilder<ClockHourChange> b)
    {
        b.ToTable("SlaClockHourChanges");
        b.Property(x => x.Name).HasMaxLength(32);
    }
}

internal sealed class ClockHourConfiguration : IEntityTypeConfiguration<ClockHour>
{
    public void Configure(EntityTypeBuilder<ClockHour> b)
    {
        b.ToTable("SlaClockHours");
        b.HasKey(x => new { x.BranchId, x.Hour, x.Name });
        b.Property(x => x.Name).HasMaxLength(32);
    }
}
