using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>The pay ledger's one rule for where a posting goes, shared by every place that confirms a penalty case.</summary>
public static class PayLedger
{
    /// <summary>
    /// The pay month a confirmed case's deduction goes to: the month the case was created in, in its branch's time zone,
    /// or, when finance has closed that month, the first open month after it (SC-33 edge). The database refuses a posting
    /// into a closed month as well (a trigger), so a close that races a confirmation cannot let one slip in.
    /// </summary>
    public static async Task<PayPeriod> PeriodFor(AppDbContext db, BranchZones zones, PenaltyCase c, CancellationToken ct)
    {
        var period = await PeriodFor(db, c.BranchId, PayPeriod.Of(c.CreatedAt, await zones.For(c.BranchId, ct)), ct);
        // A late finding: the offence happened in an earlier month that finance has already closed. It is deducted where
        // the case's own month puts it, and its line says that the offence's month was closed.
        var offence = new DateOnly(c.OccurredOn.Year, c.OccurredOn.Month, 1);
        return offence < period.Natural && await db.PayPeriodCloses.AnyAsync(p => p.BranchId == c.BranchId && p.Month == offence, ct)
            ? period with { Natural = offence } : period;
    }

    /// <summary>Where a posting whose own month is <paramref name="natural"/> goes: that month, or the first open one after it.</summary>
    public static async Task<PayPeriod> PeriodFor(AppDbContext db, int branchId, DateOnly natural, CancellationToken ct)
    {
        var closed = await db.PayPeriodCloses.Where(p => p.BranchId == branchId && p.Month >= natural).Select(p => p.Month).ToListAsync(ct);
        var month = natural;
        while (closed.Contains(month)) month = month.AddMonths(1);
        return new PayPeriod(natural, month);
    }

    /// <summary>
    /// Why the ledger's constraints refused a save, for a 409: a second posting for one case (two confirmations raced; on
    /// PostgreSQL the unique index answers before the version check) or a posting into a month closed meanwhile (the trigger).
    /// </summary>
    public static Msg? ConflictOf(DbUpdateException e) => e.InnerException?.Message switch
    {
        { } m when m.Contains("pay month closed", StringComparison.Ordinal) =>
            Msg.Of("The pay month was closed while this was being saved; nothing was saved. Send it again: it goes to the next open month."),
        { } m when m.Contains("PayLedgerEntries", StringComparison.Ordinal) && m.Contains("PenaltyCaseId", StringComparison.Ordinal) =>
            Msg.Of("The penalty case was decided by someone else meanwhile and its fine is already posted; nothing was saved."),
        _ => null,
    };
}
