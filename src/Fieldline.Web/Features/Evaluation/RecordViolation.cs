using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Blobs;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <param name="RuleId">The rule's id (PEN-75) or key (serviceStickerMissingInstaller) in the order's or the month's policy.</param>
/// <param name="PersonUserId">Whom it is against; left out for a fine split among those present (<paramref name="PresentUserIds"/>, CND-09).</param>
/// <param name="Count">Units of a per-unit rule (stickers, bolts, spots …); 1 otherwise.</param>
/// <param name="Qualifier">A named ladder step ("serious", "intentional" …) when the rule has one.</param>
/// <param name="Amount">Only for a rule whose money someone assesses (a loss, a repair): the assessed amount in CNY.</param>
/// <param name="BaseAmount">What the rule's formula multiplies (a private job's price, the money withheld).</param>
/// <param name="Evidence">What was found: <c>text</c>, <c>photos</c> (data: URLs of JPEG, PNG or WebP), <c>occurredOn</c> (yyyy-MM-dd).</param>
public sealed record RecordViolationRequest(string? RuleId, int? PersonUserId, long? WorkOrderId, int? Count, string? Qualifier, decimal? Amount, decimal? BaseAmount,
    IReadOnlyList<int>? PresentUserIds, ViolationEvidence? Evidence);

public sealed record ViolationEvidence(string? Text, IReadOnlyList<string>? Photos, string? OccurredOn);

/// <summary>The proposed (or, when nothing remains to establish, confirmed) cases a violation made: one, or one per person present for a split fine.</summary>
public sealed record ViolationResult(IReadOnlyList<PenaltyCaseDto> Cases);

/// <summary>A rule a person may record as a violation, as the console offers it: its name, money and unit.</summary>
/// <param name="Qualifiers">The named steps the finder may state ("serious", "intentional", "brandPenalised" …).</param>
/// <param name="Formula">The rule multiplies an amount the finder states (a private job's price, the money withheld).</param>
public sealed record ViolationRuleOption(string Key, string RuleId, string RuleIds, string Per, decimal? Amount, bool Ladder, bool Split, bool Assessed, string Condition,
    IReadOnlyList<string>? Qualifiers = null, bool Formula = false);

/// <summary>
/// A violation someone found (the after-sales supervisor, a manager, the warehouse, a return-visit agent, the complaint desk,
/// each for the kinds of rule the policy lets them find): any fine or sanction of the order's policy version (or, without an
/// order, the version in force) against a person, with evidence. The one factory (<see cref="ProposePenaltyCase"/>) makes the
/// case: the staff-specific rule (PEN-32 → PEN-75 for an installer), the offence ladder counted in the policy's window with
/// earlier cases linked (PEN-01/48/61/79, SC-34), the per-unit amount (SC-15), confirmation when nothing remains to
/// establish. A fine that no one person bears (CND-09, PEN-46) is split equally among those present (SC-36).
/// </summary>
public sealed class RecordViolation(AppDbContext db, PolicyStore policies, BranchZones zones, TimeProvider clock, ProposePenaltyCase penalties, IBlobStore blobs)
{
    public static readonly string[] Recorders = [Roles.Supervisor, Roles.Manager, Roles.Admin, Roles.WarehouseKeeper, Roles.ReturnVisitAgent, Roles.ComplaintHandler];

    /// <summary>Who finds which kinds: the supervisor and managers any rule; the warehouse the parts and tools rules; the
    /// return-visit agent what a return visit establishes; the complaint desk what a customer's complaint does.</summary>
    public static bool MayRecord(CurrentUser user, PenaltyRule rule) =>
        user.IsAny(Roles.Supervisor, Roles.Manager, Roles.Admin)
        || (user.Is(Roles.WarehouseKeeper) && (rule.RuleIds.Any(id => id.StartsWith("PRT-", StringComparison.Ordinal))
            || rule.Key.Contains("part", StringComparison.OrdinalIgnoreCase) || rule.Key.Contains("tool", StringComparison.OrdinalIgnoreCase)))
        || (user.Is(Roles.ReturnVisitAgent) && rule.Condition is PenaltyCondition.ReturnVisitVerified or PenaltyCondition.CustomerDissatisfied)
        || (user.Is(Roles.ComplaintHandler) && PenaltyCondition.RestsOnComplaint(rule.Condition));

    /// <summary>The finder establishes the condition themselves: a manager verifies, a return-visit agent's call is the return visit.</summary>
    private static bool Establishes(CurrentUser user, PenaltyRule rule) =>
        (rule.Condition == PenaltyCondition.Verified && user.IsAny(Roles.Manager, Roles.Admin))
        || (rule.Condition == PenaltyCondition.ReturnVisitVerified && user.Is(Roles.ReturnVisitAgent));

    /// <summary>Every rule of <paramref name="policy"/> this user may record, overridden rules once (as their replacement is its own entry).</summary>
    public static IReadOnlyList<ViolationRuleOption> Options(CurrentUser user, CompanyPolicy policy) => policy.Rules
        .Where(r => MayRecord(user, r) && Carries(r))
        .Select(r => new ViolationRuleOption(r.Key, r.RuleId, r.RuleIdList, r.Per, r.Amount ?? r.Escalation.FirstOrDefault(s => s.Offence == 1)?.Amount, r.HasLadder,
            r.Action(PenaltyAction.SplitAmongPresent) is not null, r.Amount is null && r.Formula is null && r.Actions.Any(a => a.IsAssessedCharge), r.Condition,
            r.Qualifiers.ToList(), r.Formula?.Factor is not null))
        .ToList();

    /// <summary>A rule carries a fine or a sanction: money, a formula, a ladder or an action.</summary>
    private static bool Carries(PenaltyRule r) => r.Amount is not null || r.Formula is not null || r.AmountByComplaintLevel.Count > 0 || r.Escalation.Count > 0 || r.Actions.Count > 0;

    public async Task<CompanyPolicy> PolicyFor(long? workOrderId, CancellationToken ct) =>
        workOrderId is { } id && await db.WorkOrders.AsNoTracking().Where(o => o.Id == id).Select(o => (int?)o.PolicyVersionId).FirstOrDefaultAsync(ct) is { } version
            ? await policies.ById(db, version, ct)
            : await policies.InForce(db, clock.GetUtcNow(), ct);

    public async Task<ViolationResult> Handle(CurrentUser user, RecordViolationRequest r, CancellationToken ct)
    {
        user.RequireAny("record violations", Recorders);
        var now = clock.GetUtcNow();
        var v = new Validator().RequiredText(r.RuleId, 64, "ruleId").MaxLength(r.Evidence?.Text, 1000, "evidence.text").MaxLength(r.Qualifier, 32, "qualifier");
        if (r.Count is < 1 or > 1000) v.Add("count", "{0} is a number of units from 1 to 1000.");
        if (r.Evidence?.Photos is { Count: > 5 }) v.Add("evidence.photos", "{0}: at most 5 photos.");
        v.ThrowIfInvalid();

        WorkOrder? order = null;
        if (r.WorkOrderId is { } orderId)
        {
            order = await db.WorkOrders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
            if (order is null || !user.CanSeeBranch(order.BranchId)) throw new NotFoundException("Work order", orderId);
        }
        var policy = order is null ? await policies.InForce(db, now, ct) : await policies.ById(db, order.PolicyVersionId, ct);
        var asked = policy.FindRule(r.RuleId!.Trim());
        if (asked is null || !Carries(asked))
            throw ValidationFailedException.For("ruleId", Msg.Of("{0}: the policy in force has no fine {1}.", Msg.Field("ruleId"), r.RuleId.Trim()));
        if (!MayRecord(user, asked)) throw new ForbiddenException("Your role does not find violations of {0}.", asked.RuleId);

        var split = asked.Action(PenaltyAction.SplitAmongPresent) is not null && r.PersonUserId is null;
        var people = split ? (r.PresentUserIds ?? []).Distinct().ToList() : r.PersonUserId is { } p ? [p] : [];
        if (people.Count == 0)
            v.Add(split || r.PresentUserIds is not null ? "presentUserIds" : "personUserId", "{0} is required.");
        var branchId = order?.BranchId ?? user.BranchId;
        var staff = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).Select(u => new { u.Id, u.BranchId }).ToListAsync(ct);
        foreach (var person in people.Where(x => staff.All(s => s.Id != x || !user.CanSeeBranch(s.BranchId) || (order is not null && s.BranchId != order.BranchId))))
            v.Add(split ? "presentUserIds" : "personUserId", "User {1} is not staff of this branch.", person);
        if (staff.Count > 0 && order is null) branchId = staff[0].BranchId;
        var zone = await zones.For(branchId, ct);
        DateOnly? occurredOn = null;
        if (r.Evidence?.OccurredOn is { Length: > 0 } day)
        {
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) v.Add("evidence.occurredOn", "{0} is a date written yyyy-MM-dd.");
            else if (d > BranchTime.Today(now, zone)) v.Add("evidence.occurredOn", "{0} cannot be in the future.");
            else occurredOn = d;
        }
        // A named step that passes on or charges an amount someone assesses (PEN-81 "brandPenalised": the brand's fine) takes it like an assessed rule.
        var named = r.Qualifier is { Length: > 0 } qualifier ? asked.Escalation.FirstOrDefault(s => s.IsQualifier && s.Label == qualifier) : null;
        var assessed = (asked.Amount is null && asked.Formula is null && asked.Actions.Any(a => a.IsAssessedCharge))
            || (named is { Amount: null, Formula: null } && named.Actions.Any(a => a.IsAssessedCharge));
        if (r.Amount is { } amount && (!assessed || amount <= 0 || amount > 1_000_000 || decimal.Round(amount, 2) != amount))
            v.Add("amount", assessed ? "{0} is the assessed amount in CNY, above 0 with at most two decimals." : "{0} comes from the policy for this rule; leave it out.");
        if (r.BaseAmount is { } b && (b <= 0 || b > 1_000_000)) v.Add("baseAmount", "{0} is an amount in CNY, above 0.");
        if (r.Qualifier is { Length: > 0 } q && !asked.Qualifiers.Contains(q)) v.Add("qualifier", "{0}: this rule has no such step.");
        var photos = await Photos(r.Evidence?.Photos, v, ct);
        v.ThrowIfInvalid();

        var categories = await Categories(people, order, ct);
        var rules = people.ToDictionary(x => x, x => policy.RuleFor(asked.Key, categories.GetValueOrDefault(x)) ?? asked);
        foreach (var person in people.Where(x => !rules[x].AppliesToCategory(categories.GetValueOrDefault(x))))
            v.Add(split ? "presentUserIds" : "personUserId", "User {1} is not a technician: {2} applies to {3}.", person, rules[person].RuleId,
                Msg.Join(rules[person].AppliesTo.Select(a => Msg.Code("appliesTo", a))));
        v.ThrowIfInvalid();

        // CND-09: the rule's fine, split equally among those present; the cents that do not divide go to the first ones.
        var shares = new Dictionary<int, decimal>();
        if (split)
        {
            var whole = ProposePenaltyCase.AmountOf(new PenaltyFinding(policy, asked, people[0], branchId, now, new { }) { Count = r.Count ?? 1 }, null);
            var each = Math.Floor(whole * 100m / people.Count) / 100m;
            var rest = whole - each * people.Count;
            foreach (var person in people)
            {
                var cent = rest > 0 ? 0.01m : 0m;
                rest -= cent;
                shares[person] = each + cent;
            }
        }

        var cases = new List<PenaltyCase>();
        foreach (var person in people)
        {
            var rule = rules[person];
            var evidence = new Dictionary<string, object?>
            {
                ["workOrder"] = order?.Code, ["text"] = r.Evidence?.Text?.Trim(), ["photos"] = photos, ["count"] = rule.IsPerUnit ? r.Count ?? 1 : null,
                ["recordedBy"] = user.UserName, ["presentUserIds"] = split ? people : null, ["splitAmount"] = split ? shares[person] : null,
            };
            var proposed = await penalties.Handle(new PenaltyFinding(policy, rule, person, branchId, now, evidence)
            {
                WorkOrderId = order?.Id, Count = rule.IsPerUnit ? r.Count ?? 1 : 1, Qualifier = r.Qualifier is { Length: > 0 } ? r.Qualifier : null, RecordedBy = user.UserName,
                Amount = split ? shares[person] : r.Amount, BaseAmount = r.BaseAmount, OccurredOn = occurredOn, Established = Establishes(user, rule),
            }, ct);
            cases.Add(proposed.Case);
        }
        await db.SaveChangesAsync(ct);
        return new ViolationResult(cases.Select(c => PenaltyCaseDto.From(c, zone, policy)).ToList());
    }

    /// <summary>The staff category each person is fined as: the order's type when they work it, else their skills (installer, repair technician).</summary>
    private async Task<Dictionary<int, string?>> Categories(List<int> people, WorkOrder? order, CancellationToken ct)
    {
        var techs = await db.Technicians.AsNoTracking().Where(t => people.Contains(t.UserId)).Select(t => new { t.Id, t.UserId, t.Skills }).ToListAsync(ct);
        return people.ToDictionary(p => p, p => techs.FirstOrDefault(t => t.UserId == p) is { } t
            ? order is not null && order.TechnicianId == t.Id ? StaffCategory.OfOrderType(order.Type == WorkOrderType.Install) : StaffCategory.OfSkills(t.Skills)
            : null);
    }

    /// <summary>The evidence photos, stored in the blob store; the case keeps their addresses.</summary>
    private async Task<List<string>?> Photos(IReadOnlyList<string>? photos, Validator v, CancellationToken ct)
    {
        if (photos is not { Count: > 0 }) return null;
        var hashes = new List<string>();
        for (var i = 0; i < photos.Count; i++)
        {
            var data = photos[i];
            var comma = data?.IndexOf(',', StringComparison.Ordinal) ?? -1;
            byte[]? bytes = null;
            if (data is not null && data.StartsWith("data:", StringComparison.Ordinal) && comma > 0)
            {
                try { bytes = Convert.FromBase64String(data[(comma + 1)..]); } catch (FormatException) { }
            }
            if (bytes is null || bytes.Length > ImageContent.MaxPhotoBytes || ImageContent.Sniff(bytes) is null)
            {
                v.Add($"evidence.photos[{i}]", "{0} is a JPEG, PNG or WebP photo of at most 10 MB, as a data: URL.");
                continue;
            }
            hashes.Add(await blobs.PutAsync(bytes, ct));
        }
        return hashes;
    }

    /// <summary>The photo bytes of a page upload as the data: URL the API takes.</summary>
    public static async Task<string> DataUrl(IFormFile file, CancellationToken ct)
    {
        using var memory = new MemoryStream();
        await file.CopyToAsync(memory, ct);
        var bytes = memory.ToArray();
        return $"data:{ImageContent.Sniff(bytes) ?? "application/octet-stream"};base64,{Convert.ToBase64String(bytes)}";
    }
}
