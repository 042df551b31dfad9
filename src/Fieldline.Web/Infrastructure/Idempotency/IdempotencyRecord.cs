using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Infrastructure.Idempotency;

public enum IdempotencyState { InProgress, Committed, Completed }

/// <summary>
/// One POST made with an Idempotency-Key, per caller, written with its answer in the transaction of the change it made
/// (Completed). InProgress and Committed were written by earlier versions (a claim before the run, and a change whose
/// answer was stored separately); the migration StoredAnswersCommitWithTheirChange removes the unfinished claims.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }
    public required string Scope { get; init; }
    public required string Key { get; init; }
    public required string RequestHash { get; init; }
    public IdempotencyState State { get; set; }
    public int? StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public byte[]? Body { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LeaseUntil { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.HasIndex(x => new { x.Scope, x.Key }).IsUnique();
        b.HasIndex(x => x.CreatedAt);
        b.Property(x => x.Scope).HasMaxLength(64);
        b.Property(x => x.Key).HasMaxLength(100);
        b.Property(x => x.RequestHash).HasMaxLength(64);
        b.Property(x => x.ContentType).HasMaxLength(100);
        b.Property(x => x.Location).HasMaxLength(300);
    }
}
