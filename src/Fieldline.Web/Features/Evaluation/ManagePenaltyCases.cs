using Fieldline.Web.Infrastructure.Localization;
using System.Text.Json;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <param name="Fine">The rule's name in the reader's language.</param>
/// <param name="Offence">For a rule with an offence ladder, which offence of the person's in the window this is; <paramref name="Step"/> the step applied.</param>
public sealed record PenaltyCaseDto(long Id, long? WorkOrderId, long? BreachId, long? ComplaintId, int PersonUserId, string PenaltyKey, string RuleIds, string RuleId,
    string Condition, decimal Amount, string State, JsonElement Evidence, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecidedBy,
    string? DecisionNote, int Version, int BranchId, string Fine, string OccurredOn, int Count, int? Offence, string? Step, long? PreviousCaseId,
    PenaltyAppealDto? Appeal, DateTimeOffset? AppealUntil)
{
    /// <param name="policy">The case's policy version, to say until when it may be appealed (a confirmed case not yet appealed).</param>
    public static PenaltyCaseDto From(PenaltyCase c, TimeZoneInfo zone, Policy.CompanyPolicy? policy = null) => new(c.Id, c.WorkOrderId, c.BreachId, c.ComplaintId, c.PersonUserId, c.PenaltyKey, c.RuleIds,
        c.RuleIds.Split(',')[0], c.Condition, c.Amount, JsonNames.Of(c.State), EvidenceOf(c),
        BranchTime.Local(c.CreatedAt, zone), BranchTime.Local(c.DecidedAt, zone), c.DecidedBy, StoredText.Render(c.DecisionNote), c.Version, c.BranchId,
        Msg.Code("fine", c.PenaltyKey).Render(), c.OccurredOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), c.Count, c.Offence, c.Step, c.PreviousCaseId,
        c.Appeal is { } a ? new PenaltyAppealDto(JsonNames.Of(a), c.AppealReason, JsonDocument.Parse(c.AppealEvidenceJson).RootElement.Clone(), BranchTime.Local(c.AppealedAt, zone),
            BranchTime.Local(c.AppealDecidedAt, zone), c.AppealDecidedBy, c.AppealDecision, c.AmountAfterAppeal) : null,
        policy is not null && c.State == PenaltyState.Confirmed && c.Appeal is null ? BranchTime.Local(AppealPenaltyCase.Deadline(c, policy), zone) : null);

    /// <summary>
    /// The evidence as stored, but for its <c>trigger</c>: the policy's English words for what was found, given as the fine's
    /// name in the reader's language (the same as <see cref="Fine"/>), so that a Chinese client reads no English in it.
    /// </summary>
    private static JsonElement EvidenceOf(PenaltyCase c)
    {
        var evidence = System.Text.Json.Nodes.JsonNode.Parse(c.EvidenceJson);
        if (evidence is System.Text.Json.Nodes.JsonObject o && o["trigger"] is System.Text.Json.Nodes.JsonValue trigger)
            o["trigger"] = Catalogue.Find("fine." + c.PenaltyKey) ?? trigger.ToString();
        return JsonSerializer.SerializeToElement(evidence);
    }
}

/// <param name="State">pending, upheld, reduced or dismissed.</param>
/// <param name="AmountAfter">What the person bears after the decision.</param>
public sealed record PenaltyAppealDto(string State, string? Reason, JsonElement Evidence, DateTimeOffset? AppealedAt, DateTimeOffset? DecidedAt, string? DecidedBy,
    string? Decision, decimal? AmountAfter);

public sealed record PenaltyDecision(string? Note, string? Reason, int? Version);

/// <summary>Penalty cases: proposed by the rules, confirmed or dismissed by a supervisor (dismissal is never automatic).</summary>
public sealed class ManagePenaltyCases(AppDbContext db, BranchZones zones, TimeProvider clock, ProposePenaltyCase penalties, Policy.PolicyStore policies)
{
    /// <summary>Who decides appeals, private-job findings, refunds and suspensions: the managers.</summary>
    public static readonly string[] Deciders = [Roles.Manager, Roles.Admin];

    /// <summary>
    /// Who confirms or dismisses a proposed case: the managers and the after-sales supervisor (scenarios.md: a case whose
    /// condition is "verified" or a complaint is confirmed once a supervisor verifies it). An appeal goes to a manager.
    /// </summary>
    public static readonly string[] CaseDeciders = [Roles.Supervisor, Roles.Manager, Roles.Admin];

    public async Task<Page<PenaltyCaseDto>> List(CurrentUser user, string? state, int? personUserId, bool? mine, long? workOrderId, long? complaintId, int? page, int? pageSize, CancellationToken ct,
        string? appeal = null)
    {
        var (skip, take) = Paging.Check(page, pageSize);
        var v = new Validator();
        var st = v.Enum<PenaltyState>(state, "state", required: false, kind: "penalty");
        var ap = v.Enum<AppealState>(appeal, "appeal", required: false, kind: "appeal");
        v.ThrowIfInvalid();
        var query = db.PenaltyCases.AsNoTracking();
        if (ap is { } appealState) query = query.Where(c => c.Appeal == appealState);
        if (mine == true || user.IsOnlyTechnician) query = query.Where(c => c.PersonUserId == user.UserId);
        else
        {
            user.RequireAny("read penalty cases", Roles.Manager, Roles.Admin, Roles.Dispatcher, Roles.Finance, Roles.Supervisor);
            if (!user.IsHeadOffice) query = query.Where(c => c.BranchId == user.BranchId);
        }
        if (st is { } s) query = query.Where(c => c.State == s);
        if (personUserId is { } p) query = query.Where(c => c.PersonUserId == p);
        if (workOrderId is { } w) query = query.Where(c => c.WorkOrderId == w);
        if (complaintId is { } cp) query = query.Where(c => c.ComplaintId == cp);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(c => c.Id).Skip(skip).Take(take).ToListAsync(ct);
        var result = new List<PenaltyCaseDto>(items.Count);
        foreach (var c in items) result.Add(PenaltyCaseDto.From(c, await zones.For(c.BranchId, ct), await policies.ById(db, c.PolicyVersionId, ct)));
        return new Page<PenaltyCaseDto>(result, total);
    }

    public async Task<PenaltyCaseDto> Decide(CurrentUser user, long id, bool confirm, PenaltyDecision r, CancellationToken ct)
    {
        user.RequireAny(confirm ? "confirm penalty cases" : "dismiss penalty cases", CaseDeciders);
        var v = new Validator().MaxLength(r.Note, 500, "note");
        if (!confirm) v.RequiredText(r.Reason, 500, "reason");
        v.ThrowIfInvalid();
        var c = await db.PenaltyCases.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null || !user.CanSeeBranch(c.BranchId)) throw new NotFoundException("Penalty case", id);
        if (c.PersonUserId == user.UserId) throw new ForbiddenException("Penalty case {0} is against you: someone else decides it.", id);
        Concurrency.Check("Penalty case", c.Version, r.Version, null);
        // CPL-20: a fine that rests on a complaint waits for the complaint's verification, which confirms it.
        if (confirm && c.ComplaintId is { } complaintId && c.State == PenaltyState.Proposed
            && !await db.Complaints.AnyAsync(x => x.Id == complaintId && x.VerifiedAt != null, ct))
            throw new DecisionConflictException(Msg.Of("Penalty case {0} rests on complaint {1}, which is not verified: verifying the complaint confirms the case (CPL-20).", id, complaintId));
        if (confirm) await penalties.Confirm(c, user.UserName, r.Note, clock.GetUtcNow(), null, ct);
        else c.Dismiss(user.UserName, r.Reason!, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return PenaltyCaseDto.From(c, await zones.For(c.BranchId, ct));
    }
}
