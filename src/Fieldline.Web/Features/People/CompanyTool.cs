using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.People;

public static class CompanyToolStatus
{
    public const string Issued = "issued", Returned = "returned", Lost = "lost", Damaged = "damaged";
}

/// <summary>
/// A company-owned tool issued to a person (TLS-07): the item, its value and the day. It comes back (returned), or the
/// person reports it lost or damaged so the company can replace it — the policy's share of its value is then charged
/// (<c>tools.lostToolCompensationPercent</c>). Only an issued tool changes; anything else is a 409. While a tool is still
/// issued, the leaver's "debts and items borrowed from the company" (HR-09) cannot be settled.
/// </summary>
public sealed class CompanyTool : IVersioned
{
    public long Id { get; private set; }
    public int Version { get; set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public int TechnicianUserId { get; init; }
    public required string Item { get; init; }
    public decimal Value { get; init; }
    public DateOnly IssuedOn { get; init; }
    public required string IssuedBy { get; init; }
    public string Status { get; private set; } = CompanyToolStatus.Issued;
    /// <summary>The day it was returned, or reported lost or damaged.</summary>
    public DateOnly? ClosedOn { get; private set; }
    public string? ClosedBy { get; private set; }
    public string? Note { get; private set; }
    /// <summary>The person's share charged for a loss or damage (0 when the policy charges none).</summary>
    public decimal? Charged { get; private set; }

    public bool Outstanding => Status == CompanyToolStatus.Issued;

    public void Close(string status, DateOnly day, string by, string? note, decimal? charged)
    {
        if (!Outstanding) throw new ConflictException(Msg.Of("The tool {0} is already {1}.", Item, Msg.Code("companyTool", Status)));
        if (day < IssuedOn) throw ValidationFailedException.For("day", "{0} cannot be before the day it was issued ({1}).", RecordHiring.D(IssuedOn));
        Status = status;
        ClosedOn = day;
        ClosedBy = by;
        Note = note;
        Charged = charged;
    }
}

internal sealed class CompanyToolConfiguration : IEntityTypeConfiguration<CompanyTool>
{
    public void Configure(EntityTypeBuilder<CompanyTool> b)
    {
        b.HasIndex(x => new { x.TechnicianId, x.Status });
        b.HasIndex(x => new { x.BranchId, x.Status });
        b.Property(x => x.Item).HasMaxLength(100);
        b.Property(x => x.Status).HasMaxLength(16);
        b.Property(x => x.IssuedBy).HasMaxLength(64);
        b.Property(x => x.ClosedBy).HasMaxLength(64);
        b.Property(x => x.Note).HasMaxLength(500);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
