using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

public sealed record LeakRequest(string? Leak, string? Outcome, string? Compressor, string? Note, int? Version);

public sealed record LeakResult(WorkOrderDto WorkOrder, PenaltyCaseDto Case, decimal Subsidy, string? SubsidyRuleId, int LeaksThisMonthNewInstalls,
    int LeaksThisMonthWithinYear, bool EligibilityRevoked);

/// <summary>
/// INS-29/30, PEN-68…71, RWD-04…06, RWD-10, SC-21: a repair technician found that the unit leaks because of how it was
/// installed. The office (dispatcher, supervisor, manager) records it on the repair order with how it was put right:
/// <list type="bullet">
/// <item>repaired directly (PEN-68: the installer is charged the visit fee, 30 CNY),</item>
/// <item>the installer did not come within 24 h (PEN-69: 100 CNY fixed-speed / 150 inverter; Binchun 100),</item>
/// <item>the installer came and failed, a repair technician was sent (PEN-70: 130 / 180; Binchun 30).</item>
/// </list>
/// The installer is whoever completed the unit's installation order, at most <c>leaks.oneYearWindowDays</c> before. The
/// chargeback is a penalty case (condition none: confirmed and posted at once) and, with
/// <c>leaks.chargesCreditedToRepairTechnician</c>, the same amount is the repair technician's subsidy line — both saved
/// in one commit and linked by the <see cref="LeakFinding"/>. Then the installer's leaks this month are counted: more than
/// <c>leaks.newInstallLeaksPerMonthMax</c> on units at most <c>newInstallWindowDays</c> old, or more than
/// <c>oneYearLeaksPerMonthMax</c> within a year, revoke the month's evaluation eligibility (PEN-71, EVL-07/08).
/// </summary>
public sealed class RecordLeak(WorkOrderAccess access, AppDbContext db, PolicyStore policies, BranchZones zones, ProposePenaltyCase penalties)
{
    public static readonly string[] Recorders = [Roles.Dispatcher, Roles.Supervisor, Roles.Manager, Roles.Admin];

    private static readonly Dictionary<LeakOutcome, string> RuleIdOf = new()
    {
        [LeakOutcome.RepairedDirectly] = "PEN-68", [LeakOutcome.InstallerNoShow] = "PEN-69", [LeakOutcome.InstallerFailedFix] = "PEN-70",
    };

    /// <summary>RWD-10: the repair technician's side of each chargeback is the leak subsidy RWD-04…06, whatever the preset calls its reward (Binchun lists none).</summary>
    private static readonly Dictionary<LeakOutcome, string> SubsidyIdOf = new()
    {
        [LeakOutcome.RepairedDirectly] = "RWD-04", [LeakOutcome.InstallerNoShow] = "RWD-05", [LeakOutcome.InstallerFailedFix] = "RWD-06",
    };

    public async Task<LeakResult> Handle(CurrentUser user, long id, LeakRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record installation leaks", Recorders);
        var v = new Validator();
        var leak = v.Enum<LeakKind>(r.Leak, "leak");
        var outcome = v.Enum<LeakOutcome>(r.Outcome, "outcome", kind: "leakOutcome");
        v.MaxLength(r.Note, 500, "note").ThrowIfInvalid();

        LeakResult? result = null;
        PenaltyCase? chargeback = null;
        TimeZoneInfo? zone = null;
        var dto = await access.Run(user, id, "record a leak on", Recorders, r.Version, ifMatch, async (order, actor, now) =>
        {
            var policy = await policies.ById(db, order.PolicyVersionId, ct);
            var kinds = policy.LeakTypes;
            var rule = policy.FindRule(RuleIdOf[outcome!.Value]);
            if (rule is null || kinds.Count == 0)
                throw new ConflictException(Msg.Of("The policy in force (version {0}) has no rule for installation leaks.", policy.Number));
            if (!kinds.Contains(JsonNames.Of(leak!.Value)))
                new Validator().Add("leak", Msg.Of("The policy in force counts only these leaks: {0}.", Msg.Join(kinds.Select(k => Msg.Code("leak", k))))).ThrowIfInvalid();
            var byCompressor = rule.Formula?.ByCompressorType is { Count: > 0 } types ? types : null;
            if (byCompressor is not null && (r.Compressor is null || !byCompressor.ContainsKey(r.Compressor)))
                new Validator().Add("compressor", "{0} is one of: {1}.", Msg.Join(byCompressor.Keys.Select(k => Msg.Code("compressor", k)))).ThrowIfInvalid();
            if (order.Type != WorkOrderType.Repair)
                throw new ConflictException(Msg.Of("A leak is recorded on the repair order that found it, not on an installation."));
            if (order.TechnicianId is not { } repairTechnicianId)
                throw new ConflictException(Msg.Of("The order has no repair technician to credit."));
            if (await db.LeakFindings.AnyAsync(f => f.RepairOrderId == order.Id, ct))
                throw new ConflictException(Msg.Of("A leak was already recorded on order {0}.", order.Code));
            if (order.ProductId is not { } productId)
                throw new ConflictException(Msg.Of("The unit is not registered, so its installation cannot be found."));

            zone = await zones.For(order.BranchId, ct);
            var install = await db.WorkOrders.AsNoTracking()
                .Where(o => o.ProductId == productId && o.Type == WorkOrderType.Install && o.TechnicianId != null && o.CompletedAt != null && o.Id != order.Id)
                .OrderByDescending(o => o.CompletedAt).Select(o => new { o.Id, o.Code, o.CompletedAt, o.TechnicianId }).FirstOrDefaultAsync(ct)
                ?? throw new ConflictException(Msg.Of("No completed installation order of this unit was found, so there is no installer to charge."));
            var installedOn = DateOnly.FromDateTime(BranchTime.Local(install.CompletedAt!.Value, zone).Date);
            var today = BranchTime.Today(now, zone);
            var age = today.DayNumber - installedOn.DayNumber;
            var yearDays = policy.LeakOneYearWindowDays;
            if (age > yearDays)
                throw new ConflictException(Msg.Of("The unit was installed on {0}, more than {1} days ago: the installer is no longer charged for its leaks.", installedOn.ToString("yyyy-MM-dd"), yearDays));

            var people = await db.Technicians.AsNoTracking().Where(t => t.Id == install.TechnicianId || t.Id == repairTechnicianId)
                .Select(t => new { t.Id, t.UserId, t.User!.DisplayName }).ToListAsync(ct);
            var installer = people.Single(p => p.Id == install.TechnicianId);
            var repairer = people.Single(p => p.Id == repairTechnicianId);
            var leakName = JsonNames.Of(leak.Value);
            var outcomeName = JsonNames.Of(outcome.Value);
            order.RecordLeak(leakName, outcomeName, install.Code, r.Compressor, actor, now);

            var evidence = new
            {
                workOrder = order.Code, installOrder = install.Code, installedOn, ageDays = age, leak = leakName, leakOutcome = outcomeName,
                compressor = r.Compressor, repairTechnician = repairer.DisplayName, note = r.Note?.Trim(), recordedBy = user.UserName,
            };
            var proposed = await penalties.Handle(new PenaltyFinding(policy, rule, installer.UserId, order.BranchId, now, evidence)
            {
                WorkOrderId = order.Id, Compressor = r.Compressor, RecordedBy = user.UserName, Established = true,
            }, ct);
            chargeback = proposed.Case;

            // RWD-10: the same money is the repair technician's subsidy, posted with the chargeback in one commit.
            PayLedgerEntry? subsidy = null;
            var reward = policy.Rewards.FirstOrDefault(w => w.FundedBy == rule.Key);
            if (policy.LeakChargesCreditedToRepairTechnician && chargeback.Amount > 0)
            {
                var period = await PayLedger.PeriodFor(db, order.BranchId, PayPeriod.Of(now, zone), ct);
                subsidy = PayLedgerEntry.Pay(order.BranchId, repairer.UserId, PayLedgerKind.Subsidy, chargeback.Amount, reward?.RuleId ?? SubsidyIdOf[outcome.Value],
                    Msg.Of("Leak subsidy for {0}: the installer is charged {1} ({2})", order.Code, Format.Money(chargeback.Amount), rule.RuleId),
                    [order.Id], period, user.UserName, now);
                db.PayLedger.Add(subsidy);
            }
            var month = new DateOnly(today.Year, today.Month, 1);
            db.LeakFindings.Add(new LeakFinding
            {
                BranchId = order.BranchId, RepairOrderId = order.Id, InstallOrderId = install.Id, InstallerUserId = installer.UserId, RepairTechnicianUserId = repairer.UserId,
                Leak = leak.Value, Outcome = outcome.Value, Compressor = r.Compressor, InstalledOn = installedOn, AgeDays = age, Month = month, FoundAt = now,
                RecordedBy = user.UserName, Case = chargeback, Subsidy = subsidy,
            });

            // INS-30 / PEN-71: the installer's leaks this month, this one included.
            var earlier = await db.LeakFindings.AsNoTracking().Where(f => f.InstallerUserId == installer.UserId && f.Month == month)
                .Select(f => new { f.AgeDays, f.RepairOrderId }).ToListAsync(ct);
            var newDays = policy.LeakNewInstallWindowDays;
            var newMax = policy.NewInstallLeaksPerMonthMax;
            var yearMax = policy.OneYearLeaksPerMonthMax;
            var newCount = earlier.Count(f => f.AgeDays <= newDays) + (age <= newDays ? 1 : 0);
            var yearCount = earlier.Count(f => f.AgeDays <= yearDays) + 1;
            var revoked = false;
            var threshold = policy.FindRule("PEN-71");
            if (threshold is not null && ((newMax is { } nm && newCount > nm) || (yearMax is { } ym && yearCount > ym))
                && !await db.EligibilityCounters.AnyAsync(c => c.PersonUserId == installer.UserId && c.Month == month && c.Kind == "leaks" && c.RevokedAt != null, ct))
            {
                var over = newMax is { } n && newCount > n
                    ? Msg.Of("{0} leaks this month on units installed at most {1} days before (more than {2})", newCount, newDays, n)
                    : Msg.Of("{0} leaks this month on units installed within a year (more than {1})", yearCount, yearMax!.Value);
                await EligibilityCounters.Revoke(db, zones, installer.UserId, order.BranchId, "leaks", threshold.RuleId,
                    [.. earlier.Select(f => f.RepairOrderId), order.Id], over, now, ct, month);
                revoked = true;
            }
            Notify.Queue(db, now, "leakFound", order.BranchId, order.Id, Msg.Of("{0}: installation leak", order.Code),
                Msg.Of("Your installation {0} leaks ({1}); you are charged {2} ({3}).", install.Code, Msg.Code("leak", leakName), Format.Money(chargeback.Amount), rule.RuleId),
                [installer.UserId], [Roles.Manager]);
            result = new LeakResult(null!, null!, subsidy?.Amount ?? 0, subsidy?.RuleIds, newCount, yearCount, revoked);
        }, ct);
        return result! with { WorkOrder = dto, Case = PenaltyCaseDto.From(chargeback!, zone!) };
    }
}
