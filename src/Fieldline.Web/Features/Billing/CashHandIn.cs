using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Billing;

public enum HandInState { Declared, Confirmed }

/// <summary>
/// FEE-05 / SC-24: money a technician hands to finance. The technician (or finance for them) declares which collected
/// orders it covers, the amount being theirs summed; finance confirms it with the receipt number it issued, and each
/// order's money is then recorded as handed in (its 3-day clock stops). Cash on hand is what the technician's orders
/// collected in cash minus what was handed in (<see cref="FindCashOnHand"/>).
/// </summary>
public sealed class CashHandIn : IVersioned
{
    public long Id { get; private set; }
    public int BranchId { get; init; }
    public int TechnicianId { get; init; }
    public decimal Amount { get; init; }
    public List<long> WorkOrderIds { get; init; } = [];
    public DateTimeOffset DeclaredAt { get; init; }
    public required string DeclaredBy { get; init; }
    public HandInState State { get; private set; }
    public string? ReceiptNumber { get; private set; }
    public DateTimeOffset? ConfirmedAt { get; private set; }
    public string? ConfirmedBy { get; private set; }
    public int Version { get; set; }

    /// <summary>
    /// A receipt number as it is compared and stored: full-width characters (a Chinese keyboard's "ＳＫ－０００１") as their
    /// ASCII forms, spaces removed, letters upper-case — so "sk-0001 " and "ＳＫ-0001" are the receipt SK-0001 already used.
    /// </summary>
    public static string NormalizeReceipt(string receiptNumber)
    {
        var folded = receiptNumber.Normalize(System.Text.NormalizationForm.FormKC);
        return string.Concat(folded.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
    }

    public void Confirm(string receiptNumber, string by, DateTimeOffset now)
    {
        if (State != HandInState.Declared) throw new IllegalTransitionException("a hand-in", "handInState", JsonNames.Of(State), "confirm");
        State = HandInState.Confirmed;
        ReceiptNumber = receiptNumber;
        ConfirmedBy = by;
        ConfirmedAt = now;
    }
}

internal sealed class CashHandInConfiguration : IEntityTypeConfiguration<CashHandIn>
{
    public void Configure(EntityTypeBuilder<CashHandIn> b)
    {
        b.Property(x => x.DeclaredBy).HasMaxLength(64);
        b.Property(x => x.ConfirmedBy).HasMaxLength(64);
        b.Property(x => x.ReceiptNumber).HasMaxLength(64);
        // A receipt number identifies one hand-in in the whole company (FEE-05/07: the money is handed to the company's
        // finance, whose receipts are numbered once): two confirmations with one number at once cannot both be saved.
        b.HasIndex(x => x.ReceiptNumber).IsUnique();
        b.HasIndex(x => new { x.BranchId, x.State });
        b.HasIndex(x => x.TechnicianId);
        b.HasOne<Technician>().WithMany().HasForeignKey(x => x.TechnicianId).OnDelete(DeleteBehavior.Restrict);
    }
}
