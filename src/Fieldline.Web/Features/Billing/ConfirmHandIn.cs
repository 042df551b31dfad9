using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Billing;

/// <param name="Amount">What finance counted; it must be the hand-in's amount.</param>
public sealed record ConfirmHandInRequest(string? ReceiptNumber, decimal? Amount, int? Version);

/// <summary>
/// Finance confirms a hand-in with the number of the receipt it gave (SC-24, FEE-05/07): each order's money is recorded as
/// handed in, in the same save, which stops its 3-day clock (or the ccec clock set at the office check-in). Own branch only.
/// </summary>
public sealed class ConfirmHandIn(AppDbContext db, SlaEngine sla, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Confirmers = [Roles.Finance, Roles.Manager];

    public async Task<HandInDto> Handle(CurrentUser user, long id, ConfirmHandInRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        var role = user.RequireAny("confirm a hand-in", Confirmers);
        var handIn = await db.CashHandIns.FirstOrDefaultAsync(h => h.Id == id, ct);
        if (handIn is null || !user.CanSeeBranch(handIn.BranchId)) throw new NotFoundException("Hand-in", id);
        var receipt = string.IsNullOrWhiteSpace(r.ReceiptNumber) ? null : CashHandIn.NormalizeReceipt(r.ReceiptNumber);
        var v = new Validator().RequiredText(receipt, 64, "receiptNumber");
        if (receipt is not null && receipt.Any(char.IsControl)) v.Add("receiptNumber", "{0} must be printable text.");
        if (r.Amount is null) v.Add("amount", "{0} is required.");
        else if (r.Amount != handIn.Amount) v.Add("amount", "{0} must be the {1} declared.", Format.Money(handIn.Amount));
        v.ThrowIfInvalid();
        Concurrency.Check("Hand-in", handIn.Version, r.Version, ifMatch);
        var now = clock.GetUtcNow();
        handIn.Confirm(receipt!, user.UserName, now);
        // A receipt number identifies one hand-in: one used already is refused before anything changes (and the unique
        // index refuses the second of two confirmations with one number saved at the same moment).
        if (await db.CashHandIns.AsNoTracking().Where(h => h.ReceiptNumber == receipt && h.Id != id).Select(h => new { h.Id, h.BranchId }).FirstOrDefaultAsync(ct) is { } used)
            throw ReceiptUsed(receipt!, user.CanSeeBranch(used.BranchId) ? used.Id : null);
        var orders = await db.WorkOrders.Where(o => handIn.WorkOrderIds.Contains(o.Id))
            .Include(o => o.Timeline.OrderBy(t => t.Id)).Include(o => o.Parts).Include(o => o.Charges).AsSplitQuery().ToListAsync(ct);
        var actor = new Actor(user.UserId, user.UserName, role);
        foreach (var order in orders)
        {
            order.RecordRemittance(order.Charges.Sum(c => c.Amount), actor, now);
            await sla.Apply(order, now, ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "CashHandIns"))
        {
            throw ReceiptUsed(receipt!, null);
        }
        return HandInDto.From(handIn, await zones.For(handIn.BranchId, ct));
    }

    /// <summary>409: the receipt number is another hand-in's (named when the caller may see it), in the reader's language.</summary>
    private static ConflictException ReceiptUsed(string receipt, long? other) => new(other is { } id
            ? Msg.Of("Receipt number {0} is already used by hand-in {1}: a receipt number identifies one hand-in.", Msg.Verbatim(receipt), id)
            : Msg.Of("Receipt number {0} is already used by another hand-in: a receipt number identifies one hand-in.", Msg.Verbatim(receipt)),
        Msg.Of("Duplicate receipt number"));

    public async Task<IReadOnlyList<HandInDto>> List(CurrentUser user, string? state, CancellationToken ct)
    {
        user.RequireAny("read hand-ins", [.. FindCashOnHand.Office, Roles.Technician]);
        var query = db.CashHandIns.AsNoTracking();
        if (!user.IsAny(FindCashOnHand.Office))
        {
            var mine = db.Technicians.Where(t => t.UserId == user.UserId).Select(t => t.Id);
            query = query.Where(h => mine.Contains(h.TechnicianId));
        }
        else if (!user.IsHeadOffice) query = query.Where(h => h.BranchId == user.BranchId);
        if (state is not null)
        {
            if (!Enum.TryParse<HandInState>(state, true, out var s) || int.TryParse(state, out _)) throw ValidationFailedException.For("state", "{0} must be declared or confirmed.");
            query = query.Where(h => h.State == s);
        }
        var rows = await query.OrderByDescending(h => h.Id).Take(500).ToListAsync(ct);
        var zone = await zones.For(user.BranchId, ct);
        return rows.Select(h => HandInDto.From(h, zone)).ToList();
    }
}
