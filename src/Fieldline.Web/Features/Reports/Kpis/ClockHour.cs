using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Reports.Kpis;

/// <summary>
/// KPI-13's clocks counted ahead: per branch, UTC hour the clocks started in and clock, how many are decided (met, or
/// breached: stopped late or running past the deadline) and how many of those were met — what
/// <see cref="KpiFactReader"/> would count by scanning the clocks, kept by the database itself. Triggers on
/// <c>SlaClocks</c> (migration <c>Issue19ClockHours</c>, one per provider) add a clock's +1 when it becomes decided and its
/// −1 when it stops being so (exempted, cancelled, deleted), in the same transaction as the clock's change, so every
/// writer — the lifecycle, the SLA timer, a bulk copy — keeps it right without knowing it exists. A company year then reads
/// 8,760 rows per clock instead of millions of clocks. A branch in a zone whose offset is not whole hours is read from the
/// clocks, as before.
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

internal sealed class ClockHourConfiguration : IEntityTypeConfiguration<ClockHour>
{
    public void Configure(EntityTypeBuilder<ClockHour> b)
    {
        b.ToTable("SlaClockHours");
        b.HasKey(x => new { x.BranchId, x.Hour, x.Name });
        b.Property(x => x.Name).HasMaxLength(32);
    }
}
