using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

public sealed record PrivateJobFinding(int? TechnicianId, DateOnly? Day, decimal? Amount, string? Description);

public sealed record PrivateJobResult(IReadOnlyList<PenaltyCaseDto> Cases, IReadOnlyList<long> UnfinishedCompanyOrders, bool EligibilityRevoked);

/// <summary>
/// SC-10 (DSP-12): the company finds that a technician did a job privately, unregistered, for a given amount. The policy
/// in force decides what follows: PEN-08 proposes its multiple of the amount (5 × 180 = 900 CNY); where the policy has
/// PEN-85 and the technician had company repair orders unfinished that day, a second case revokes the month's evaluation
/// eligibility and forfeits the monthly repair subsidy, waiting for a manager to verify it.
/// </summary>
public sealed class RecordPrivateJob(AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock, ProposePenaltyCase penalties)
{
    public async Task<PrivateJobResult> Handle(CurrentUser user, PrivateJobFinding r, CancellationToken ct)
    {
        user.RequireAny("record a private-job finding", ManagePenaltyCases.Deciders);
        var v = new Validator();
        var tech = r.TechnicianId is { } tid ? await db.Technicians.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tid, ct) : null;
        if (tech is null || !user.CanSeeBranch(tech.BranchId)) v.Add("technicianId", r.TechnicianId is null ? Msg.Of("{0} is required.", Msg.Field("technicianId")) : Msg.Of("Technician {0} does not exist.", r.TechnicianId));
        if (r.Amount is not { } amount || amount <= 0 || amount > 1_000_000) v.Add("amount", "{0} is the price of the private job in CNY, above 0.");
        v.RequiredText(r.Description, 500, "description");
        var now = clock.GetUtcNow();
        var zone = await zones.For(tech?.BranchId ?? user.BranchId, ct);
        if (r.Day is not { } day) v.Add("day", "{0} is required.");
        else if (day > BranchTime.Today(now, zone)) v.Add("day", "{0} cannot be in the future.");
        v.ThrowIfInvalid();

        var policy = await policies.InForce(db, now, ct);
        var evidence = new { day = r.Day!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), amount = r.Amount, description = r.Description!.Trim(), recordedBy = user.UserName };
        var cases = new List<PenaltyCase>();
        var occurred = r.Day!.Value;
        if (policy.Rule("unregisteredPrivateJob") is { } pen08) // PEN-08: its formula × the job's price (5 × 180 = 900)
            cases.Add((await penalties.Handle(new PenaltyFinding(policy, pen08, tech!.UserId, tech.BranchId, now, evidence)
                { BaseAmount = r.Amount, OccurredOn = occurred, RecordedBy = user.UserName, ConfirmWhenCertain = false }, ct)).Case);

        // PEN-85: company repair orders of this technician still unfinished on that day.
        var start = SlaMath.At(r.Day.Value, TimeOnly.MinValue, zone);
        var end = start.AddDays(1);
        var unfinished = await db.WorkOrders.AsNoTracking()
            .Where(o => o.TechnicianId == tech!.Id && o.Type == WorkOrderType.Repair && o.DispatchedAt < end && o.Status != WorkOrderStatus.Cancelled
                && (o.CompletedAt == null || o.CompletedAt >= end))
            .OrderBy(o => o.Id).Select(o => o.Id).ToListAsync(ct);
        var revoked = false;
        if (unfinished.Count > 0 && policy.Rule("privateJobWhileCompanyOrdersOpen") is { } pen85)
        {
            var subsidy = pen85.Action(PenaltyAction.ForfeitSubsidy)?.Amount ?? 0m;
            cases.Add((await penalties.Handle(new PenaltyFinding(policy, pen85, tech!.UserId, tech.BranchId, now,
                new { evidence.day, evidence.amount, evidence.description, evidence.recordedBy, unfinishedCompanyOrders = unfinished, subsidyForfeited = subsidy })
                { Amount = subsidy, OccurredOn = occurred, RecordedBy = user.UserName, ApplyActions = false }, ct)).Case);
            // The month of the job loses its eligibility now, with the unfinished orders as evidence; confirming the case
            // (verified) does not revoke it again.
            if (pen85.Action(PenaltyAction.RevokeEligibility) is not null)
            {
                await EligibilityCounters.Revoke(db, zones, tech!.UserId, tech.BranchId, "privateJobs", pen85.RuleId, unfinished,
                    Msg.Of("A private job while {0} company repair orders of the day were unfinished", unfinished.Count), now, ct, new DateOnly(occurred.Year, occurred.Month, 1));
                revoked = true;
            }
        }
        await db.SaveChangesAsync(ct);
        return new PrivateJobResult(cases.Select(c => PenaltyCaseDto.From(c, zone)).ToList(), unfinished, revoked);
    }
}
