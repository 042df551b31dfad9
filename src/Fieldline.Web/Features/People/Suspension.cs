using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.People;

/// <summary>
/// A suspension from work (停工, ATT-21/CND-11), whole days in the branch's calendar, from a manager's decision or a
/// confirmed fine whose ladder step suspends (SC-34). The person cannot be dispatched on those days and is back by
/// themselves the day after <see cref="To"/>: nothing has to lift it. Append-only evidence.
/// </summary>
public sealed class Suspension : IAppendOnly
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public int TechnicianUserId { get; init; }
    public DateOnly From { get; init; }
    public DateOnly To { get; init; }
    /// <summary>The manager's words; empty when a rule suspended the person (<see cref="PenaltyKey"/>).</summary>
    public string Reason { get; init; } = "";
    /// <summary>The fine whose ladder step suspended the person, and its regulation id.</summary>
    public string? PenaltyKey { get; init; }
    public string? RuleId { get; init; }
    public required string RecordedBy { get; init; }
    public DateTimeOffset RecordedAt { get; init; }

    public bool Covers(DateOnly day) => From <= day && day <= To;

    /// <summary>Why, in the reader's language: the manager's words, or the rule by its name.</summary>
    public Msg Why => PenaltyKey is { } key ? Msg.Of("{0} ({1})", Msg.Code("fine", key), RuleId ?? "") : Msg.Verbatim(Reason);
}

internal sealed class SuspensionConfiguration : IEntityTypeConfiguration<Suspension>
{
    public void Configure(EntityTypeBuilder<Suspension> b)
    {
        b.HasIndex(x => new { x.TechnicianId, x.To });
        b.HasIndex(x => new { x.BranchId, x.To });
        b.Property(x => x.Reason).HasMaxLength(500);
        b.Property(x => x.PenaltyKey).HasMaxLength(64);
        b.Property(x => x.RuleId).HasMaxLength(64);
        b.Property(x => x.RecordedBy).HasMaxLength(64);
        b.Ignore(x => x.Why);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
