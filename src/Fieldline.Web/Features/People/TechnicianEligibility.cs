using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Technicians;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.People;

/// <summary>Why a person may not get work: a code for programs, the sentence for people, and what someone typed about it (a manager's reason).</summary>
public sealed record IneligibilityReason(string Code, Msg Text, string? Note = null)
{
    /// <summary>The sentence with the typed note after it, for a refusal's one line.</summary>
    public Msg Full => Note is { Length: > 0 } n ? Msg.Of("{0} ({1})", Text, n) : Text;
}

/// <summary>A reason as the API and the pages show it: its code, its text in the reader's language, and the words someone typed (as typed).</summary>
public sealed record EligibilityReasonDto(string Code, string Text, string? Note)
{
    public static EligibilityReasonDto From(IneligibilityReason r) => new(r.Code, r.Text.Render(), r.Note);
}

/// <summary>
/// The one rule of who may get work on a day, asked by dispatch, transfer, the plan, the suggestion and the board alike:
/// an active account, on duty, not on approved leave, not suspended, the kit complete at the last check — and, for a given order, the skill it needs (DSP-20)
/// and, for part-time staff, the after-sales manager's approval (DSP-21: the manager's own dispatch lifts that one reason, see AssignableTechnician).
/// Every reason that applies is given, not only the first, so the office sees all that must change.
/// </summary>
public sealed class TechnicianEligibility(AppDbContext db, PolicyStore policies)
{
    public static class Codes
    {
        public const string Inactive = "inactive", OffDuty = "offDuty", OnLeave = "onLeave", Suspended = "suspended", Skill = "skill",
            KitIncomplete = "kitIncomplete", CertificateMissing = "certificateMissing", CertificateExpired = "certificateExpired",
            OnboardingIncomplete = "onboardingIncomplete", Uninsured = "uninsured", LeftCompany = "leftCompany", PartTime = "partTime", OnTrip = "onTrip";
    }

    /// <summary>The reasons each of <paramref name="technicians"/> may not work on any of <paramref name="days"/>; an eligible one has none.</summary>
    public async Task<Dictionary<int, List<IneligibilityReason>>> Reasons(IReadOnlyCollection<Technician> technicians, IReadOnlyCollection<DateOnly> days, CancellationToken ct)
    {
        var (leave, suspensions, checks, insurance, away, leavers) = await FactsOf(technicians, days.Min(), days.Max(), ct);
        var result = new Dictionary<int, List<IneligibilityReason>>();
        foreach (var t in technicians)
        {
            var reasons = new List<IneligibilityReason>();
            if (t.User is { IsActive: false }) reasons.Add(new(Codes.Inactive, Msg.Of("The account is deactivated.")));
            if (t.Employment == EmploymentStatus.Onboarding)
                reasons.Add(new(Codes.OnboardingIncomplete, Msg.Of("Onboarding is not complete: not yet set active by HR.")));
            if (leavers.FirstOrDefault(o => o.TechnicianId == t.Id) is { } gone && days.Any(d => d > gone.LastDay))
                reasons.Add(new(Codes.LeftCompany, Msg.Of("Left the company; the last working day was {0}.", RecordHiring.D(gone.LastDay))));
            if (insurance.FirstOrDefault(x => x.TechnicianId == t.Id) is { ValidFrom: { } insFrom, ValidTo: { } insTo } policyOnFile && days.Any(d => d < insFrom || d > insTo))
                reasons.Add(new(Codes.Uninsured, Msg.Of("Uninsured: the insurance policy {0} covers {1}–{2}.", policyOnFile.Reference ?? "", RecordHiring.D(insFrom), RecordHiring.D(insTo))));
            if (!t.OnDuty) reasons.Add(new(Codes.OffDuty, Msg.Of("Off duty.")));
            foreach (var l in leave.Where(l => l.TechnicianId == t.Id && days.Any(l.Covers)))
                reasons.Add(new(Codes.OnLeave, Msg.Of("On approved leave {0}–{1}.", Day(l.From), Day(l.To))));
            foreach (var s in suspensions.Where(s => s.TechnicianId == t.Id && days.Any(s.Covers)))
                reasons.Add(s.PenaltyKey is null
                    ? new(Codes.Suspended, Msg.Of("Suspended {0}–{1}.", Day(s.From), Day(s.To)), s.Reason)
                    : new(Codes.Suspended, Msg.Of("Suspended {0}–{1}: {2}.", Day(s.From), Day(s.To), s.Why)));
            foreach (var trip in away.Where(x => x.TechnicianId == t.Id))
                reasons.Add(new(Codes.OnTrip, Msg.Of("Away on a service trip to {0}.", trip.Destination)));
            foreach (var c in checks.Where(c => c.TechnicianId == t.Id && c.Blocks && days.Any(d => d >= c.CheckedOn)))
                reasons.Add(new(Codes.KitIncomplete, Msg.Of("Kit incomplete since {0}: missing {1}.", Day(c.CheckedOn), Msg.Join(RecordToolCheck.MissingNames(c)))));
            result[t.Id] = reasons;
        }
        return result;
    }

    /// <summary>What the rule reads about the people, from <paramref name="first"/> to <paramref name="last"/>.</summary>
    private sealed record Facts(List<LeaveRequest> Leave, List<Suspension> Suspensions, List<ToolCheck> Checks, List<HrRecord> Insurance,
        List<(int TechnicianId, string Destination)> Away, List<Offboarding> Leavers);

    private async Task<Facts> FactsOf(IReadOnlyCollection<Technician> technicians, DateOnly first, DateOnly last, CancellationToken ct)
    {
        if (technicians.Count == 1) return await FactsOf(technicians.First().Id, first, last, ct);
        var ids = technicians.Select(t => t.Id).ToList();
        var leave = await db.Set<LeaveRequest>().AsNoTracking()
            .Where(l => ids.Contains(l.TechnicianId) && l.Status == LeaveStatus.Approved && l.From <= last && l.To >= first).ToListAsync(ct);
        var suspensions = await db.Set<Suspension>().AsNoTracking()
            .Where(s => ids.Contains(s.TechnicianId) && s.From <= last && s.To >= first).ToListAsync(ct);
        // TLS-04: the latest kit check up to the last day decides; a complete re-check lifts an incomplete one.
        var checks = await db.Set<ToolCheck>().AsNoTracking()
            .Where(c => ids.Contains(c.TechnicianId) && c.CheckedOn <= last
                && !db.Set<ToolCheck>().Any(n => n.TechnicianId == c.TechnicianId && n.CheckedOn <= last && n.Id > c.Id))
            .ToListAsync(ct);
        // HR-08: the latest insurance policy on file must cover the days (people hired before Fieldline have none on file).
        var insurance = await db.HrRecords.AsNoTracking()
            .Where(x => ids.Contains(x.TechnicianId) && x.Stage == HrRecord.Hiring && x.Item == CompanyPolicy.InsuranceItem
                && !db.HrRecords.Any(n => n.TechnicianId == x.TechnicianId && n.Stage == HrRecord.Hiring && n.Item == CompanyPolicy.InsuranceItem && n.Id > x.Id))
            .ToListAsync(ct);
        // 第15篇: away on a service trip (sent, or on site) until the trip report is handed in.
        var away = (await db.ServiceTrips.AsNoTracking()
            .Where(x => ids.Contains(x.TechnicianId) && (x.Status == Trips.TripStatus.Underway || x.Status == Trips.TripStatus.OnSite))
            .Select(x => new { x.TechnicianId, x.Destination }).ToListAsync(ct)).Select(x => (x.TechnicianId, x.Destination)).ToList();
        var leavers = technicians.Any(t => t.Employment is EmploymentStatus.Leaving or EmploymentStatus.Left)
            ? await db.Offboardings.AsNoTracking().Where(o => ids.Contains(o.TechnicianId)).ToListAsync(ct) : [];
        return new Facts(leave, suspensions, checks, insurance, away, leavers);
    }

    /// <summary>
    /// The same facts of one person (a dispatch, a transfer) in one round trip instead of six: each is a small correlated
    /// read of the one technician's rows, the same rows the reads above select.
    /// </summary>
    private async Task<Facts> FactsOf(int id, DateOnly first, DateOnly last, CancellationToken ct)
    {
        // Correlated through the technician's row, with Take(1) for "the latest": a join each, which SQLite can run too (no
        // APPLY). Each also names the person itself: EF Core puts that inside the joined subquery, so the latest-row window
        // reads this person's rows by index, not every person's kit checks and insurance records (checked in a test).
        var row = await db.Technicians.AsNoTracking().Where(t => t.Id == id).Select(t => new
        {
            Leave = db.Set<LeaveRequest>().Where(l => l.TechnicianId == t.Id && l.TechnicianId == id && l.Status == LeaveStatus.Approved && l.From <= last && l.To >= first).ToList(),
            Suspensions = db.Set<Suspension>().Where(s => s.TechnicianId == t.Id && s.TechnicianId == id && s.From <= last && s.To >= first).ToList(),
            Check = db.Set<ToolCheck>().Where(c => c.TechnicianId == t.Id && c.TechnicianId == id && c.CheckedOn <= last).OrderByDescending(c => c.Id).Take(1).ToList(),
            Insurance = db.HrRecords.Where(x => x.TechnicianId == t.Id && x.TechnicianId == id && x.Stage == HrRecord.Hiring && x.Item == CompanyPolicy.InsuranceItem)
                .OrderByDescending(x => x.Id).Take(1).ToList(),
            Away = db.ServiceTrips.Where(x => x.TechnicianId == t.Id && x.TechnicianId == id && (x.Status == Trips.TripStatus.Underway || x.Status == Trips.TripStatus.OnSite))
                .Select(x => x.Destination).ToList(),
            Leaver = db.Offboardings.Where(o => o.TechnicianId == t.Id && o.TechnicianId == id).ToList(),
        }).SingleOrDefaultAsync(ct);
        if (row is null) return new Facts([], [], [], [], [], []);
        return new Facts(row.Leave, row.Suspensions, row.Check, row.Insurance, row.Away.Select(d => (id, d)).ToList(), row.Leaver);
    }

    /// <summary>
    /// The reasons <paramref name="tech"/> may not take <paramref name="order"/>: the days it asks for are today (the
    /// dispatch must be accepted and the customer called now) and the order's own day, and the skill it needs.
    /// </summary>
    public async Task<List<IneligibilityReason>> ForOrder(Technician tech, WorkOrder order, DateOnly today, TimeZoneInfo zone, CancellationToken ct)
    {
        var reasons = (await Reasons([tech], DaysOf(order, today, zone), ct))[tech.Id];
        // The order the trip is for is the traveller's to do.
        if (reasons.Any(r => r.Code == Codes.OnTrip)
            && await db.ServiceTrips.AnyAsync(x => x.TechnicianId == tech.Id && x.WorkOrderId == order.Id && (x.Status == Trips.TripStatus.Underway || x.Status == Trips.TripStatus.OnSite), ct))
            reasons.RemoveAll(r => r.Code == Codes.OnTrip);
        var policy = await policies.ById(db, order.PolicyVersionId, ct);
        var skill = TechnicianSkill.For(order);
        if (LacksSkill(tech, skill, policy))
            reasons.Add(new(Codes.Skill, Msg.Of("Lacks the skill this order needs: {0}.", Msg.Skill(skill))));
        reasons.AddRange(await Certificates(tech, order, policy, DaysOf(order, today, zone), ct));
        if (NeedsManager(tech, policy)) reasons.Add(PartTimeReason);
        return reasons;
    }

    /// <summary>DSP-21: part-time staff, whom only the after-sales manager may send (where the policy says so).</summary>
    public static bool NeedsManager(Technician tech, CompanyPolicy policy) => tech.PartTime && policy.PartTimeDispatchNeedsManager;

    public static readonly IneligibilityReason PartTimeReason =
        new(Codes.PartTime, Msg.Of("Part-time staff: sent only with the after-sales manager's approval."));

    /// <summary>
    /// Of <paramref name="technicians"/>, those <see cref="ForOrder"/> would find no reason against, asked for all at once
    /// (three or four queries, not one round per person): whom to tell that the order is in the pool.
    /// </summary>
    public async Task<List<Technician>> MayTake(IReadOnlyCollection<Technician> technicians, WorkOrder order, DateOnly today, TimeZoneInfo zone, CancellationToken ct) =>
        (await MayTake(technicians, [order], today, zone, ct))[order.Id];

    /// <summary>
    /// The same for several orders (a traveller's orders to hand over): the reasons and certificates are read once for
    /// each set of days the orders ask for — today, or today and a later appointment day — not once an order.
    /// </summary>
    public async Task<Dictionary<long, List<Technician>>> MayTake(IReadOnlyCollection<Technician> technicians, IReadOnlyCollection<WorkOrder> orders,
        DateOnly today, TimeZoneInfo zone, CancellationToken ct)
    {
        var result = orders.ToDictionary(o => o.Id, _ => new List<Technician>());
        if (technicians.Count == 0) return result;
        foreach (var sameDays in orders.GroupBy(o => DaysOf(o, today, zone)[^1]))
        {
            var days = DaysOf(sameDays.First(), today, zone);
            var reasons = await Reasons(technicians, days, ct);
            var certificates = await CertificatesForOrders(technicians, sameDays.ToList(), days, ct);
            foreach (var order in sameDays)
            {
                var policy = await policies.ById(db, order.PolicyVersionId, ct);
                var skill = TechnicianSkill.For(order);
                result[order.Id] = technicians.Where(t => reasons[t.Id].Count == 0 && !LacksSkill(t, skill, policy) && !certificates.ContainsKey((order.Id, t.Id))
                    && !NeedsManager(t, policy)).ToList();
            }
        }
        return result;
    }

    private static bool LacksSkill(Technician tech, string skill, CompanyPolicy policy) => policy.SkillMatching && !tech.Skills.Contains(skill);

    /// <summary>
    /// SAF-08, SAF-14, TRN-06: each certificate the order's jobs need (and a training pass, where the policy wants one
    /// before any dispatch) held and valid on every day the order asks for — missing, or not valid then (expired).
    /// </summary>
    private async Task<List<IneligibilityReason>> Certificates(Technician tech, WorkOrder order, CompanyPolicy policy, List<DateOnly> days, CancellationToken ct)
    {
        var needed = Needed(order, policy);
        if (needed.Count == 0) return [];
        var kinds = needed.Select(n => n.Kind).Distinct().ToList();
        var held = await db.Set<Certificate>().AsNoTracking().Where(c => c.TechnicianId == tech.Id && kinds.Contains(c.Kind)).ToListAsync(ct);
        return CertificateReasons(needed, held, days);
    }

    /// <summary>
    /// The plan's side of SAF-08/SAF-14/TRN-06: for each order that needs a certificate, the technicians who do not hold
    /// one valid on <paramref name="days"/>, with the reasons; the optimiser must not propose those pairs.
    /// </summary>
    public async Task<Dictionary<(long OrderId, int TechnicianId), List<IneligibilityReason>>> CertificatesForOrders(
        IReadOnlyCollection<Technician> technicians, IReadOnlyCollection<WorkOrder> orders, List<DateOnly> days, CancellationToken ct)
    {
        var result = new Dictionary<(long, int), List<IneligibilityReason>>();
        var policyOf = new Dictionary<int, CompanyPolicy>();
        var needs = new List<(WorkOrder Order, List<(string Kind, Msg Job)> Needed)>();
        foreach (var o in orders)
        {
            if (!policyOf.TryGetValue(o.PolicyVersionId, out var policy)) policyOf[o.PolicyVersionId] = policy = await policies.ById(db, o.PolicyVersionId, ct);
            if (Needed(o, policy) is { Count: > 0 } n) needs.Add((o, n));
        }
        if (needs.Count == 0 || technicians.Count == 0) return result;
        var ids = technicians.Select(t => t.Id).ToList();
        var kinds = needs.SelectMany(n => n.Needed.Select(x => x.Kind)).Distinct().ToList();
        var held = await db.Set<Certificate>().AsNoTracking().Where(c => ids.Contains(c.TechnicianId) && kinds.Contains(c.Kind)).ToListAsync(ct);
        foreach (var (order, needed) in needs)
            foreach (var t in technicians)
                if (CertificateReasons(needed, held.Where(c => c.TechnicianId == t.Id).ToList(), days) is { Count: > 0 } reasons)
                    result[(order.Id, t.Id)] = reasons;
        return result;
    }

    private static List<(string Kind, Msg Job)> Needed(WorkOrder order, CompanyPolicy policy)
    {
        var needed = order.JobList.Where(policy.CertificateForJob.ContainsKey).Select(j => (Kind: policy.CertificateForJob[j], Job: Msg.Code("job", j))).ToList();
        if (policy.TrainingPassBeforeDispatch) needed.Add(("trainingPass", Msg.Of("any dispatch")));
        return needed;
    }

    private static List<IneligibilityReason> CertificateReasons(List<(string Kind, Msg Job)> needed, List<Certificate> held, List<DateOnly> days)
    {
        var reasons = new List<IneligibilityReason>();
        foreach (var (kind, job) in needed.DistinctBy(n => n.Kind))
        {
            var ofKind = held.Where(c => c.Kind == kind).ToList();
            if (ofKind.Count == 0)
                reasons.Add(new(Codes.CertificateMissing, Msg.Of("No {0} certificate, needed for {1}.", Msg.Code("certificate", kind), job)));
            else if (!ofKind.Any(c => days.All(c.ValidOn)))
            {
                var latest = ofKind.MaxBy(c => c.ValidTo)!;
                reasons.Add(new(Codes.CertificateExpired, Msg.Of("The {0} certificate {1} is valid {2}–{3}, not on the job's day; needed for {4}.",
                    Msg.Code("certificate", kind), latest.Number, latest.ValidFrom.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    latest.ValidTo.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), job)));
            }
        }
        return reasons;
    }

    /// <summary>Today, and the day of the order's appointment (or requested visit) when it is later.</summary>
    public static List<DateOnly> DaysOf(WorkOrder order, DateOnly today, TimeZoneInfo zone)
    {
        var when = order.AppointmentStart ?? order.RequestedStart;
        var day = when is { } w ? Infrastructure.Http.BranchTime.Today(w, zone) : today;
        return day > today ? [today, day] : [today];
    }

    private static string Day(DateOnly d) => d.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>409: the person may not get this work; the problem document lists every reason with its code.</summary>
public sealed class NotEligibleException(int technicianId, Msg text, IReadOnlyList<IneligibilityReason> reasons) : Infrastructure.Http.RefusalException(text)
{
    public int TechnicianId { get; } = technicianId;
    public IReadOnlyList<IneligibilityReason> Reasons { get; } = reasons;
}
