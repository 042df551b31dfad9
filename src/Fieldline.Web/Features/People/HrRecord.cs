using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.People;

/// <summary>
/// One item of a person's hiring or leaving checklist, as HR recorded it (HR-02..11): who, when, a note, the document
/// (an attachment in the blob store, checked by its content; readable only by HR and the person), the insurance policy's
/// dates, an amount (the uniform's cost, borrowed materials settled in money). Append-only: a correction is a new record,
/// the latest of an item counts.
/// </summary>
public sealed class HrRecord : IAppendOnly
{
    public const string Hiring = "hiring", Leaving = "leaving";

    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public int TechnicianUserId { get; init; }
    /// <summary><see cref="Hiring"/> or <see cref="Leaving"/>.</summary>
    public required string Stage { get; init; }
    /// <summary>The checklist item's code (theoryTest, idCardCopy, insurance, uniform, returnUniform …).</summary>
    public required string Item { get; init; }
    public string? Note { get; init; }
    /// <summary>The insurance policy's number.</summary>
    public string? Reference { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public decimal? Amount { get; init; }
    /// <summary>The document's blob address (SHA-256) and its sniffed type; never shown in exports or logs.</summary>
    public string? DocumentHash { get; init; }
    public string? DocumentType { get; init; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>
/// A person leaving the company (HR-09..11, SC-35): the last day, why, and the commission still owed. While the checklist is
/// open the commission is withheld (HR-10); the day it is complete (<see cref="ClearedOn"/>) the money is paid on the next
/// regular payday (<see cref="PaidOn"/>, HR-11) as a ledger line, after any borrowed materials settled in money.
/// </summary>
public sealed class Offboarding : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public int TechnicianUserId { get; init; }
    public DateOnly LastDay { get; init; }
    /// <summary>resigned or dismissed.</summary>
    public required string Reason { get; init; }
    public decimal CommissionPending { get; init; }
    public required string StartedBy { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateOnly? ClearedOn { get; private set; }
    public DateOnly? PaidOn { get; private set; }
    public int Version { get; set; }

    public static readonly string[] Reasons = ["resigned", "dismissed"];

    /// <summary>The checklist is complete: the withheld commission goes to the payday <paramref name="payday"/>.</summary>
    public void Clear(DateOnly today, DateOnly payday)
    {
        if (ClearedOn is not null) throw new Infrastructure.Http.ConflictException(Infrastructure.Localization.Msg.Of("The offboarding is already complete."));
        ClearedOn = today;
        PaidOn = payday;
    }
}

internal sealed class HrRecordConfiguration : IEntityTypeConfiguration<HrRecord>, IEntityTypeConfiguration<Offboarding>
{
    public void Configure(EntityTypeBuilder<HrRecord> b)
    {
        b.HasIndex(x => new { x.TechnicianId, x.Stage, x.Item, x.Id }); // and a person's latest record of an item, in order
        b.Property(x => x.Stage).HasMaxLength(16);
        b.Property(x => x.Item).HasMaxLength(64);
        b.Property(x => x.Note).HasMaxLength(500);
        b.Property(x => x.Reference).HasMaxLength(64);
        b.Property(x => x.DocumentHash).HasMaxLength(64);
        b.Property(x => x.DocumentType).HasMaxLength(32);
        b.Property(x => x.RecordedBy).HasMaxLength(64);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<Offboarding> b)
    {
        b.HasIndex(x => x.TechnicianId).IsUnique(); // one leaving per person
        b.Property(x => x.Reason).HasMaxLength(16);
        b.Property(x => x.StartedBy).HasMaxLength(64);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
