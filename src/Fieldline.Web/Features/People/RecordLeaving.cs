using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <param name="LastDay">The last working day; after it the person is not dispatched.</param>
/// <param name="Reason">resigned or dismissed.</param>
/// <param name="CommissionPending">The installation commission and material reward still owed, CNY (HR-10/11).</param>
public sealed record OffboardingBody(DateOnly? LastDay, string? Reason, decimal? CommissionPending, string? Note);

/// <param name="Item">A code of the policy's offboarding checklist: leavingForm, returnUniform, terminateInsurance, settleDebtsBorrowedMaterialsAndItems.</param>
/// <param name="SettledAmount">Borrowed materials settled in money instead of returned: their value, CNY, deducted before the commission is paid (SC-35).</param>
public sealed record OffboardingItemBody(string? Item, string? Note, decimal? SettledAmount);

/// <summary>
/// Leaving (HR-09..11, SC-35): HR starts the offboarding with the last day and the commission still owed; records the
/// checklist item by item (leaving form, uniform returned, insurance ended, debts and borrowed materials settled — in money
/// as a deduction, first); while it is incomplete the commission is withheld (HR-10); the day it is complete the person has
/// left and the commission is posted to the pay of the next regular payday, with the active installers' (HR-11).
/// </summary>
public sealed class RecordLeaving(AppDbContext db, RecordHiring hiring, PolicyStore policies, BranchZones zones, TimeProvider clock)
{
    public async Task<EmploymentDto> Start(CurrentUser user, int technicianId, OffboardingBody r, CancellationToken ct)
    {
        user.RequireAny("keep the HR record", RecordHiring.HrRoles);
        var tech = await hiring.Writable(user, technicianId, ct, tracking: true);
        var now = clock.GetUtcNow();
        var today = BranchTime.Today(now, await zones.For(tech.BranchId, ct));
        var v = new Validator();
        if (r.LastDay is null) v.Add("lastDay", "{0} is required.");
        else if (r.LastDay < today.AddDays(-90)) v.Add("lastDay", "{0} cannot be more than {1} days ago.", 90);
        if (string.IsNullOrWhiteSpace(r.Reason)) v.Add("reason", "{0} is required.");
        else if (!Offboarding.Reasons.Contains(r.Reason))
            v.Add("reason", "{0}: '{1}' is not one of the allowed values: {2}.", Msg.Verbatim(r.Reason), Msg.Join(Offboarding.Reasons.Select(x => Msg.Choice("leavingReason", x))));
        if (r.CommissionPending is null) v.Add("commissionPending", "{0} is required.");
        else if (r.CommissionPending < 0 || r.CommissionPending > 1_000_000) v.Add("commissionPending", "{0} must be between 0 and {1}.", 1_000_000);
        v.MaxLength(r.Note, 500, "note");
        v.ThrowIfInvalid();
        if (tech.Employment is EmploymentStatus.Leaving or EmploymentStatus.Left || await db.Offboardings.AnyAsync(o => o.TechnicianId == tech.Id, ct))
            throw new WorkOrders.IllegalTransitionException("a technician", "employment", tech.Employment, "offboard");
        var policy = await policies.InForce(db, now, ct);
        var leaving = new Offboarding
        {
            BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, LastDay = r.LastDay!.Value, Reason = r.Reason!,
            CommissionPending = r.CommissionPending!.Value, StartedBy = user.UserName, StartedAt = now,
        };
        db.Add(leaving);
        tech.Employment = EmploymentStatus.Leaving;
        if (!policy.WithholdCommissionUntilOffboarded && leaving.CommissionPending > 0)
        {
            // Nothing to withhold under this policy: the commission goes with the current month's pay.
            var period = await PayLedger.PeriodFor(db, tech.BranchId, PayPeriod.Of(now, await zones.For(tech.BranchId, ct)), ct);
            db.PayLedger.Add(PayLedgerEntry.Hr(tech.BranchId, tech.UserId, PayLedgerKind.Commission, leaving.CommissionPending, "HR-11",
                Msg.Of("Commission owed on leaving"), period, user.UserName, now));
        }
        await db.SaveChangesAsync(ct);
        return await hiring.Dto(tech, ct);
    }

    public async Task<EmploymentDto> RecordItem(CurrentUser user, int technicianId, OffboardingItemBody r, CancellationToken ct)
    {
        user.RequireAny("keep the HR record", RecordHiring.HrRoles);
        var tech = await hiring.Writable(user, technicianId, ct, tracking: true);
        var now = clock.GetUtcNow();
        var policy = await policies.InForce(db, now, ct);
        var checklist = policy.OffboardingChecklist;
        var v = new Validator();
        var item = checklist.FirstOrDefault(i => i.Code == r.Item);
        if (string.IsNullOrWhiteSpace(r.Item)) v.Add("item", "{0} is required.");
        else if (item is null)
            v.Add("item", "{0}: '{1}' is not one of the allowed values: {2}.", Msg.Verbatim(r.Item), Msg.Join(checklist.Select(i => Msg.Choice("offboarding", i.Code))));
        v.MaxLength(r.Note, 500, "note");
        if (r.SettledAmount is { } s && (s <= 0 || s > 1_000_000)) v.Add("settledAmount", "{0} must be more than 0 and at most {1}.", 1_000_000);
        else if (r.SettledAmount is not null && item is not null && item.Code != CompanyPolicy.SettleDebtsItem)
            v.Add("settledAmount", "{0}: only debts and borrowed materials are settled in money.");
        v.ThrowIfInvalid();
        var leaving = await db.Offboardings.AsTracking().FirstOrDefaultAsync(o => o.TechnicianId == tech.Id, ct);
        if (leaving is null) throw new WorkOrders.IllegalTransitionException("a technician", "employment", tech.Employment, "record an offboarding item for");
        if (leaving.ClearedOn is not null) throw new ConflictException(Msg.Of("The offboarding is already complete."));
        // HR-09 (4), TLS-07: items borrowed from the company are settled only when every issued tool is back or reported lost.
        if (item!.Code == CompanyPolicy.SettleDebtsItem
            && await db.Set<CompanyTool>().Where(t => t.TechnicianId == tech.Id && t.Status == CompanyToolStatus.Issued).Select(t => t.Item).ToListAsync(ct) is { Count: > 0 } held)
            throw new ConflictException(Msg.Of("Company tools are still issued to {0}: {1}. Take them back or record them lost first.", tech.User?.DisplayName ?? "", Msg.Verbatim(string.Join("、", held))));
        var zone = await zones.For(tech.BranchId, ct);
        db.Add(new HrRecord
        {
            BranchId = tech.BranchId, TechnicianId = tech.Id, TechnicianUserId = tech.UserId, Stage = HrRecord.Leaving, Item = item!.Code,
            Note = string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim(), Amount = r.SettledAmount, RecordedBy = user.UserName, RecordedAt = now,
        });
        var natural = PayPeriod.Of(now, zone);
        if (r.SettledAmount is { } settled)
            db.PayLedger.Add(PayLedgerEntry.Hr(tech.BranchId, tech.UserId, PayLedgerKind.Charge, -settled, "HR-09",
                Msg.Of("Borrowed materials settled in money on leaving: {0} CNY", Format.Money(settled)), await PayLedger.PeriodFor(db, tech.BranchId, natural, ct), user.UserName, now));
        var done = await db.HrRecords.Where(x => x.TechnicianId == tech.Id && x.Stage == HrRecord.Leaving).Select(x => x.Item).Distinct().ToListAsync(ct);
        done.Add(item.Code);
        if (checklist.All(i => done.Contains(i.Code)))
        {
            var today = BranchTime.Today(now, zone);
            var payday = NextPayday(today, policy.PayDay);
            leaving.Clear(today, payday);
            tech.Employment = EmploymentStatus.Left;
            if (policy.WithholdCommissionUntilOffboarded && leaving.CommissionPending > 0)
            {
                // The pay month paid on that payday is the month before it (a month's pay is paid on the payday of the next).
                var month = new DateOnly(payday.Year, payday.Month, 1).AddMonths(-1);
                var period = await PayLedger.PeriodFor(db, tech.BranchId, month, ct);
                db.PayLedger.Add(PayLedgerEntry.Hr(tech.BranchId, tech.UserId, PayLedgerKind.Commission, leaving.CommissionPending, "HR-10,HR-11",
                    Msg.Of("Commission withheld until offboarding was complete ({0}), paid on {1}", RecordHiring.D(today), RecordHiring.D(payday)), period, user.UserName, now));
            }
        }
        await db.SaveChangesAsync(ct);
        return await hiring.Dto(tech, ct);
    }

    /// <summary>HR-11: the first regular payday after <paramref name="day"/> (a payday's pay is already made up on the day itself).</summary>
    public static DateOnly NextPayday(DateOnly day, int payDay)
    {
        var thisMonth = new DateOnly(day.Year, day.Month, payDay);
        return day < thisMonth ? thisMonth : thisMonth.AddMonths(1);
    }
}
