using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Clock;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

/// <summary>
/// SC-26: when last month's parts cost report has not been submitted by the policy's day, the branch's supervisors are
/// reminded, once (the month's row records when), in-app and by e-mail when SMTP is configured. Branches whose parts warehouse is in use (it has stock places) only.
/// A timer like the SLA clocks: the sandbox clock and the tests run it when time moves.
/// </summary>
public sealed class RemindPartsCostReport(IServiceScopeFactory scopes, TimeProvider clock, ILogger<RemindPartsCostReport> log) : IDueWork
{
    public async Task RunDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        var policy = await scope.ServiceProvider.GetRequiredService<PolicyStore>().InForce(db, now, ct);
        if (!policy.PartsCostReportToFinance) return;
        var zones = scope.ServiceProvider.GetRequiredService<BranchZones>();
        foreach (var branch in await db.StockLocations.AsNoTracking().Select(l => l.BranchId).Distinct().ToListAsync(ct))
        {
            var today = BranchTime.Today(now, await zones.For(branch, ct));
            var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
            if (today <= BuildPartsCostReport.DueOn(month, policy)) continue;
            var key = BuildPartsCostReport.Key(month);
            await using var one = scopes.CreateAsyncScope();
            var odb = one.ServiceProvider.GetRequiredService<AppDbContext>();
            var state = await odb.Set<PartsCostReport>().FirstOrDefaultAsync(r => r.BranchId == branch && r.Month == key, ct);
            if (state is { SubmittedAt: not null } or { RemindedAt: not null }) continue;
            if (state is null) odb.Add(state = new PartsCostReport { BranchId = branch, Month = key });
            state.RemindedAt = now;
            Notify.Queue(odb, now, "partsCostReportLate", branch, null, Msg.Of("The parts cost report for {0} is late", key),
                Msg.Of("The monthly parts cost report for {0} was due to finance on {1}. Please submit it on the Warehouse page.", key,
                    BuildPartsCostReport.DueOn(month, policy).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                [], [Roles.Supervisor], OutboxChannel.Email); // in-app, and by e-mail when SMTP is configured
            try { await odb.SaveChangesAsync(ct); }
            // Another node's reminder (the month's row, unique per branch and month) is expected; any other refusal is a fault.
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "PartsCostReport")) { log.LogInformation("The parts cost reminder of branch {Branch} for {Month} was sent elsewhere", branch, key); }
            catch (DbUpdateException e) { log.LogError(e, "The parts cost reminder of branch {Branch} for {Month} could not be saved", branch, key); }
        }
    }
}
