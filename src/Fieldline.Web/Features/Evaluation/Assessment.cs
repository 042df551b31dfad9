using System.Text.Json;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>
/// The supervisor's part of one person's monthly assessment (the 第13篇 standard, ASM): a score 0–100 for each item of the
/// company's form that the system cannot measure (appearance, conduct …), with a note, who scored and when. The measured
/// items (on-time rate, complaints, satisfaction, attendance) are computed from the month's records, never stored here.
/// One per person and month; versioned, so two supervisors never silently overwrite each other; frozen once the pay
/// month is closed.
/// </summary>
public sealed class Assessment : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int PersonUserId { get; init; }
    /// <summary>The first day of the assessed month.</summary>
    public DateOnly Month { get; init; }
    /// <summary>The scores by item key, as JSON (<c>{"appearance":90}</c>).</summary>
    public string ScoresJson { get; private set; } = "{}";
    public string? Note { get; private set; }
    public string ScoredBy { get; private set; } = "";
    public DateTimeOffset ScoredAt { get; private set; }
    public int Version { get; set; }

    public IReadOnlyDictionary<string, decimal> Scores =>
        JsonSerializer.Deserialize<Dictionary<string, decimal>>(ScoresJson) ?? [];

    public void Score(IReadOnlyDictionary<string, decimal> scores, string? note, string by, DateTimeOffset at)
    {
        var merged = new SortedDictionary<string, decimal>(Scores.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in scores) merged[key] = value;
        ScoresJson = JsonSerializer.Serialize(merged);
        Note = note;
        ScoredBy = by;
        ScoredAt = at;
    }
}

internal sealed class AssessmentConfiguration : IEntityTypeConfiguration<Assessment>
{
    public void Configure(EntityTypeBuilder<Assessment> b)
    {
        b.HasIndex(x => new { x.PersonUserId, x.Month }).IsUnique();
        b.HasIndex(x => new { x.BranchId, x.Month });
        b.Property(x => x.ScoresJson).HasMaxLength(4000);
        b.Property(x => x.Note).HasMaxLength(1000);
        b.Property(x => x.ScoredBy).HasMaxLength(64);
        b.Ignore(x => x.Scores);
    }
}
