using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Sla;
using System.Globalization;
using System.Text.Json;
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
public sealed class RecordPrivateJob(AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock)
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
        if (policy.Penalty("unregisteredPrivateJob") is { } pen08)
        {
            var fine = pen08["amountCNY"]?.GetValue<decimal?>()
                ?? (pen08["amountFormula"]?["factor"]?.GetValue<decimal>() ?? 1m) * r.Amount!.Value;
            cases.Add(Case(tech!, pen08, fine, policy, now, evidence));
        }

        // PEN-85: company repair orders of this technician still unfinished on that day.
        var start = SlaMath.At(r.Day.Value, TimeOnly.MinValue, zone);
        var end = start.AddDays(1);
        var unfinished = await db.WorkOrders.AsNoTracking()
            .Where(o => o.TechnicianId == tech!.Id && o.Type == WorkOrderType.Repair && o.DispatchedAt < end && o.Status != WorkOrderStatus.Cancelled
                && (o.CompletedAt == null || o.CompletedAt >= end))
            .OrderBy(o => o.Id).Select(o => o.Id).ToListAsync(ct);
        var revoked = false;
        if (unfinished.Count > 0 && policy.Penalty("privateJobWhileCompanyOrdersOpen") is { } pen85)
        {
            var subsidy = CompanyPolicy.Action(pen85, "forfeitSubsidy")?["amountCNY"]?.GetValue<decimal>() ?? 0m;
            cases.Add(Case(tech!, pen85, subsidy, policy, now, new { evidence.day, evidence.amount, evidence.description, evidence.recordedBy, unfinishedCompanyOrders = unfinished, subsidyForfeited = subsidy }));
            if (CompanyPolicy.Action(pen85, "revokeEvaluationEligibility") is not null)
            {
                await EligibilityCounters.Revoke(db, zones, tech!.UserId, tech.BranchId, "privateJobs", "PEN-85", unfinished,
                    Msg.Of("A private job while {0} company repair orders of the day were unfinished", unfinished.Count), now, ct, new DateOnly(r.Day.Value.Year, r.Day.Value.Month, 1));
                revoked = true;
            }
        }
        db.PenaltyCases.AddRange(cases);
        await db.SaveChangesAsync(ct);
        return new PrivateJobResult(cases.Select(c => PenaltyCaseDto.From(c, zone)).ToList(), unfinished, revoked);
    }

    private static PenaltyCase Case(Technicians.Technician tech, System.Text.Json.Nodes.JsonObject rule, decimal amount, CompanyPolicy policy, DateTimeOffset now, object evidence) => new()
    {
        BranchId = tech.BranchId, PersonUserId = tech.UserId, PenaltyKey = (string)rule["key"]!,
        RuleIds = CompanyPolicy.RuleIds(rule),
        Condition = (string?)rule["condition"] ?? "none", Amount = amount, CreatedAt = now, PolicyVersionId = policy.VersionId,
        EvidenceJson = JsonSerializer.Serialize(evidence, JsonSerializerOptions.Web),
    };
}
