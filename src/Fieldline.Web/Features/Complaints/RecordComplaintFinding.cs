using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Complaints;

public sealed record RecordFindingRequest(string? PenaltyKey, int? PersonUserId, string? Note, int? Version);

/// <summary>A fine a finding on this complaint may name, as its policy version states it, and whom it would be against by default.</summary>
/// <param name="Trigger">The policy's own wording of the fine (as the preset states it, English).</param>
/// <param name="Name">The fine as a person names it, in the reader's language.</param>
public sealed record FindingRuleDto(string PenaltyKey, string RuleId, string RuleIds, string Trigger, string Condition, decimal Amount,
    IReadOnlyList<string> AppliesTo, int? DefaultPersonUserId, string Name);

/// <summary>
/// CPL-20: the complaint handler records what a complaint establishes — a fine of the policy whose condition is the
/// customer's complaint (PEN-15 second visit, PEN-16 missed appointment, PEN-17 untidy/drunk, PEN-20 unit dragged, PEN-22,
/// PEN-23, PEN-26 …, PEN-94 a complaint against the after-sales supervisor) against a named person (by default the order's
/// technician; for PEN-94 the supervisor the complaint names). Each finding proposes one penalty case linked to the complaint,
/// from the ORDER's policy version (the complaint's when it has no order): verification confirms it, rejection dismisses it.
/// The same finding twice is one finding and one case, also when retried or sent twice at once (unique indexes, retry).
/// </summary>
public sealed class RecordComplaintFinding(ComplaintAccess access, AppDbContext db, PolicyStore policies, ProposePenaltyCase penalties, ILogger<RecordComplaintFinding> log, RuleTexts rules)
{
    /// <summary>Complaint fines that are not a handler's finding: the system proposes them from what it recorded itself.</summary>
    private static readonly Dictionary<string, string> Automatic = new(StringComparer.Ordinal)
    {
        ["lateCustomerContactComplaint"] = "{0} is proposed from the order's missed contact deadline when the complaint is registered (PEN-13, DSP-02); it is not recorded as a finding.",
        ["noContactWithin4h"] = "{0} is proposed from the order's missed 4-hour contact limit when the complaint is registered (PEN-88, DSP-04); it is not recorded as a finding.",
        ["attitudeComplaintVerified"] = "{0} is decided by a review: verify the complaint as harming the company's image (PEN-92, CPL-10); it is not recorded as a finding.",
    };

    public const string SupervisorRule = "afterSalesSupervisor";

    /// <summary>Records the finding; <c>Created</c> is false when the same finding (complaint, rule, person) was already recorded.</summary>
    public async Task<(ComplaintDto Complaint, bool Created)> Handle(CurrentUser user, long id, RecordFindingRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        new Validator().RequiredText(r.PenaltyKey, 64, "penaltyKey").MaxLength(r.Note, 1000, "note").ThrowIfInvalid();
        for (var attempt = 1; ; attempt++)
        {
            var created = false;
            try
            {
                // A retry reads inside the write: on SQLite the colliding write may still be uncommitted in the group
                // commit's open batch, invisible to a fresh read, so re-reading outside would collide again every time.
                if (attempt > 1) await db.BeginWriteAsync(ct);
                var dto = await access.Run(user, id, "record findings on complaints", r.Version, ifMatch,
                    async (complaint, now) => created = await Record(user, complaint, r, now, ct), ct);
                return (dto, created);
            }
            // The same finding sent twice at once: the unique index (or the complaint's version) lets one through; the other
            // runs again and finds it. A stale version the caller sent stays a 409 on the second run.
            catch (DbUpdateException e) when (attempt < 3)
            {
                log.LogInformation("Complaint finding collided on attempt {Attempt}, retrying: {Error}", attempt, e.GetType().Name);
                await db.RollbackWriteAsync(); // in a request's deferred unit the refused save's other rows are still in its write
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The fines a finding on this complaint may name (the console's choice), in the policy's order.</summary>
    public async Task<IReadOnlyList<FindingRuleDto>> Options(CurrentUser user, long id, CancellationToken ct)
    {
        user.RequireAny("record findings on complaints", ComplaintAccess.Handlers);
        var complaint = await access.Load(user, id, ct);
        var (order, policy) = await OrderAndPolicy(complaint, ct);
        var result = new List<FindingRuleDto>();
        var defaults = new Dictionary<bool, int?>();
        foreach (var rule in policy.Rules)
        {
            // An overridden rule is offered as the rule that replaces it (PEN-22 → PEN-64 for an installer), once.
            if (Resolve(policy, rule.Key, order, complaint.Level, out _) is not { } fine || fine.Key != rule.Key) continue;
            var supervisor = fine.AppliesTo.Contains(SupervisorRule);
            if (!defaults.TryGetValue(supervisor, out var person)) defaults[supervisor] = person = await DefaultPerson(fine, complaint, order, ct);
            result.Add(new FindingRuleDto(fine.Key, fine.RuleIds.Split(',')[0], fine.RuleIds, fine.Trigger, fine.Condition, fine.Amount, fine.AppliesTo, person,
                rules.FineName(fine.Key, fine.Trigger, fine.RuleIds)));
        }
        return result;
    }

    /// <summary>
    /// CPL-11 / PEN-94 at registration: a complaint that names the after-sales supervisor as the person it is about records
    /// that finding itself, when the policy has the rule (not saved; the registration saves once).
    /// </summary>
    public async Task ProposeForNamedSupervisor(Complaint complaint, WorkOrder? order, string by, DateTimeOffset now, CancellationToken ct)
    {
        if (complaint.PersonUserId is not int person || !await IsSupervisor(person, ct)) return;
        var policy = await policies.ById(db, order?.PolicyVersionId ?? complaint.PolicyVersionId, ct);
        foreach (var rule in policy.Rules.Where(r => r.AppliesTo.Contains(SupervisorRule)))
        {
            if (Resolve(policy, rule.Key, order, complaint.Level, out _) is { } fine)
                await Add(complaint, order, fine, policy, person, "The complaint names the after-sales supervisor (CPL-11).", by, now, ct);
        }
    }

    private async Task<bool> Record(CurrentUser user, Complaint complaint, RecordFindingRequest r, DateTimeOffset now, CancellationToken ct)
    {
        var (order, policy) = await OrderAndPolicy(complaint, ct);
        var v = new Validator();
        var fine = Resolve(policy, r.PenaltyKey!.Trim(), order, complaint.Level, out var why);
        if (fine is null) throw ValidationFailedException.For("penaltyKey", why!);

        var person = r.PersonUserId ?? await DefaultPerson(fine, complaint, order, ct);
        if (person is not int pid)
            v.Add("personUserId", fine.AppliesTo.Contains(SupervisorRule)
                ? Msg.Of("{0} is required: name the after-sales supervisor the complaint is about ({1}).", Msg.Field("personUserId"), fine.RuleIds.Split(',')[0])
                : Msg.Of("{0} is required: the complaint has no order with a technician and names nobody.", Msg.Field("personUserId")));
        else if (await db.Users.AsNoTracking().Where(u => u.Id == pid)
                     .Select(u => new { u.BranchId, u.Roles, HeadOffice = db.Branches.Any(b => b.Id == u.BranchId && b.ParentId == null) })
                     .FirstOrDefaultAsync(ct) is not { } staff || (staff.BranchId != complaint.BranchId && !staff.HeadOffice))
            v.Add("personUserId", "User {1} is not staff of this branch.", pid);
        else if (fine.AppliesTo.Contains(SupervisorRule) && !staff.Roles.Contains(Roles.Supervisor))
            v.Add("personUserId", "User {1} is not an after-sales supervisor: {2} applies to the supervisor.", pid, fine.RuleIds.Split(',')[0]);
        else if (fine.AppliesTo.Any(a => a is "installer" or "repairTechnician") && !fine.AppliesTo.Contains("allStaff") && !staff.Roles.Contains(Roles.Technician))
            v.Add("personUserId", "User {1} is not a technician: {2} applies to {3}.", pid, fine.RuleIds.Split(',')[0], Msg.Join(fine.AppliesTo.Select(a => Msg.Code("appliesTo", a))));
        v.ThrowIfInvalid();

        if (await db.ComplaintFindings.AnyAsync(f => f.ComplaintId == complaint.Id && f.PenaltyKey == fine.Key && f.PersonUserId == person, ct)) return false;
        await Add(complaint, order, fine, policy, person!.Value, string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim(), user.UserName, now, ct);
        return true;
    }

    private async Task Add(Complaint complaint, WorkOrder? order, Fine fine, CompanyPolicy policy, int person, string? note, string by, DateTimeOffset now, CancellationToken ct)
    {
        var evidence = new
        {
            workOrder = order?.Code, trigger = fine.Trigger, per = fine.Per,
            // Not the complaint's text nor the handler's note: the technician reads his own proposed cases (CPL-15).
            complaint = new { id = complaint.Id, type = JsonNames.Of(complaint.Type), level = JsonNames.Of(complaint.Level), channel = JsonNames.Of(complaint.Channel), at = complaint.CreatedAt },
            finding = new { penaltyKey = fine.Key, requestedKey = fine.RequestedKey == fine.Key ? null : fine.RequestedKey, recordedBy = by, recordedAt = now },
            amountNote = fine.AmountNote,
        };
        // A complaint condition: the case waits for the complaint's verification (or its rejection dismisses it).
        var proposed = await penalties.Handle(new PenaltyFinding(policy, fine.Rule, person, complaint.BranchId, now, evidence)
        {
            WorkOrderId = complaint.WorkOrderId, Complaint = complaint, ComplaintLevel = JsonNames.Of(complaint.Level), Amount = fine.Amount, RecordedBy = by,
        }, ct);
        complaint.RecordFinding(fine.Key, person, note, proposed.Case, by, now);
    }

    private async Task<(WorkOrder? Order, CompanyPolicy Policy)> OrderAndPolicy(Complaint complaint, CancellationToken ct)
    {
        var order = complaint.WorkOrderId is { } wid ? await db.WorkOrders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == wid, ct) : null;
        return (order, await policies.ById(db, order?.PolicyVersionId ?? complaint.PolicyVersionId, ct));
    }

    /// <summary>The supervisor the complaint names (PEN-94); otherwise the order's technician, or else the person the complaint names.</summary>
    private async Task<int?> DefaultPerson(Fine fine, Complaint complaint, WorkOrder? order, CancellationToken ct)
    {
        if (fine.AppliesTo.Contains(SupervisorRule))
            return complaint.PersonUserId is int named && await IsSupervisor(named, ct) ? named : null;
        if (order?.TechnicianId is { } tid && await db.Technicians.Where(t => t.Id == tid).Select(t => (int?)t.UserId).FirstOrDefaultAsync(ct) is { } techUser)
            return techUser;
        return complaint.PersonUserId;
    }

    private async Task<bool> IsSupervisor(int userId, CancellationToken ct) =>
        (await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Roles).FirstOrDefaultAsync(ct))?.Contains(Roles.Supervisor) == true;

    private sealed record Fine(PenaltyRule Rule, string RequestedKey, decimal Amount, string? AmountNote)
    {
        public string Key => Rule.Key;
        public string RuleIds => Rule.RuleIdList;
        public string Trigger => Rule.Trigger;
        public string Condition => Rule.Condition;
        public string Per => Rule.Per;
        public IReadOnlyList<string> AppliesTo => Rule.AppliesTo;
    }

    /// <summary>
    /// The rule a finding of <paramref name="key"/> applies, or null and why not: it must be a complaint-conditioned fine of
    /// this policy version with an amount. The policy's <c>overriddenBy</c> for the role the order calls for (installer /
    /// repair technician) is followed, as for PEN-13; a rule limited to one of those roles must fit the order.
    /// </summary>
    private static Fine? Resolve(CompanyPolicy policy, string key, WorkOrder? order, ComplaintLevel level, out Msg? why)
    {
        why = null;
        var rule = policy.Rule(key);
        if (rule is null)
        {
            why = Msg.Of("{0} is not a penalty of policy version {1}.", Msg.Verbatim(key), policy.Number);
            return null;
        }
        if (Automatic.TryGetValue(key, out var automatic))
        {
            why = Msg.Of(automatic, Msg.Code("fine", key));
            return null;
        }
        var role = order is null ? null : StaffCategory.OfOrderType(order.Type == WorkOrderType.Install);
        if (role is not null && policy.RuleFor(key, role) is { } specific && specific.Key != key)
        {
            if (!PenaltyCondition.RestsOnComplaint(specific.Condition) || Amount(specific, level).Amount is null)
            {
                why = Msg.Of("For this order {0} is replaced by {1} ({2}), which is not a complaint fine with an amount in policy version {3}: the manager decides it.",
                    Msg.Code("fine", key), Msg.Code("fine", specific.Key), specific.RuleIdList, policy.Number);
                return null;
            }
            rule = specific;
        }
        if (!PenaltyCondition.RestsOnComplaint(rule.Condition))
        {
            why = Msg.Of("{0} ({1}) rests on {2}, not on a customer complaint: a complaint cannot establish it.", Msg.Code("fine", key), rule.RuleIdList, Msg.Code("condition", rule.Condition));
            return null;
        }
        if (role is not null && rule.AppliesTo.Count > 0 && rule.AppliesTo.All(a => a is StaffCategory.Installer or StaffCategory.RepairTechnician) && !rule.AppliesTo.Contains(role))
        {
            why = Msg.Of("{0} ({1}) applies to {2}; the complaint's order is {3}.", Msg.Code("fine", key), rule.RuleIdList,
                Msg.Join(rule.AppliesTo.Select(a => Msg.Code("appliesTo", a))), Msg.Code("type", role == StaffCategory.Installer ? "install" : "repair"));
            return null;
        }
        var (amount, note) = Amount(rule, level);
        if (amount is null)
        {
            why = Msg.Of("Policy version {0} states no amount for {1} ({2}) at complaint level {3}.", policy.Number, Msg.Code("fine", key), rule.RuleIdList, Msg.Code("complaintLevel", JsonNames.Of(level)));
            return null;
        }
        return new Fine(rule, key, amount.Value, note);
    }

    /// <summary>
    /// By the complaint's level (CPL-19) where the rule says so, else its amount. Offence counts are not tracked for these
    /// rules: the first step's amount applies, and a "serious" step (PEN-26 → expulsion) is the manager's call.
    /// </summary>
    private static (decimal? Amount, string? Note) Amount(PenaltyRule rule, ComplaintLevel level)
    {
        // The note is a code (evidence data): DataText names it in the reader's language (amountNote.*).
        if (rule.AmountByComplaintLevel.TryGetValue(JsonNames.Of(level), out var byLevel)) return (byLevel, "byComplaintLevel");
        if (rule.Amount is { } amount)
            return (amount, rule.Escalation.Count > 0 ? "firstOffence" : null);
        var first = rule.Escalation.Select(e => e.Amount).FirstOrDefault(a => a is not null);
        return (first, first is null ? null : "firstOffence");
    }
}
