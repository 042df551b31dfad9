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
        var natural = PayPeriod.Of(c.CreatedAt, await zones.For(c.BranchId, ct));
        var closed = await db.PayPeriodCloses.Where(p => p.BranchId == c.BranchId && p.Month >= natural).Select(p => p.Month).ToListAsync(ct);
        var month = natural;
        while (closed.Contains(month)) month = month.AddMonths(1);
        return new PayPeriod(natural, month);
    }
}
