using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Policy;

/// <summary>
/// A parsed, read-only policy version with typed accessors for the numbers the code enforces. Features read the policy
/// through these properties, never by a JSON path: each value is read from the document once, when the version is built
/// (a version never changes), with the default the regulation or the code assumes when the preset does not name it.
/// </summary>
public sealed partial class CompanyPolicy(PolicyVersion version, JsonObject document)
{
    public int VersionId { get; } = version.Id;
    public int Number { get; } = version.Number;

    /// <summary>The version's whole document, as published (tests and diagnostics); features read the typed properties.</summary>
    internal JsonObject Document { get; } = document;

    private JsonObject Parameters => Document["parameters"]!.AsObject();

    /// <summary>The node at a dotted path under <c>parameters</c>, or null when any step is missing.</summary>
    private static JsonNode? At(JsonObject document, string path)
    {
        JsonNode? node = document["parameters"];
        foreach (var part in path.Split('.')) node = (node as JsonObject)?[part];
        return node;
    }

    /// <summary>A number or flag of the policy, or null when the version does not have it (or has a value of another kind).</summary>
    private static T? Value<T>(JsonObject document, string path) where T : struct =>
        At(document, path) is JsonValue v && v.TryGetValue<T>(out var value) ? value : null;

    private static string? Text(JsonObject document, string path) =>
        At(document, path) is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static IReadOnlyList<string> Texts(JsonObject document, string path) => WordsAt(document["parameters"] as JsonObject, path) ?? [];

    /// <summary>The words of the list at a dotted path of <paramref name="parameters"/>, or null where there is no list (the policy editor, its checks).</summary>
    public static List<string>? WordsAt(JsonObject? parameters, string path)
    {
        JsonNode? node = parameters;
        foreach (var part in path.Split('.')) node = (node as JsonObject)?[part];
        return (node as JsonArray)?.Select(x => x is JsonValue v && v.TryGetValue<string>(out var text) ? text : null).OfType<string>().ToList();
    }

    /// <summary>INT-02/INT-03: what an intake record must contain (intake.requiredFields).</summary>
    public IReadOnlyList<string> RequiredIntakeFields { get; } = Texts(document, "intake.requiredFields");

    /// <summary>DSP-20: dispatch only to a technician with the skill the order needs.</summary>
    public bool SkillMatching { get; } = Value<bool>(document, "dispatch.skillMatching") ?? true;

    /// <summary>
    /// DSP-21: part-time staff (兼职售后服务人员) are sent on an order only with the after-sales manager's approval — the
    /// manager dispatching them, or approving a dispatcher's request to.
    /// </summary>
    /// <summary>
    /// GOV-03: the sign-off a change of the regulation goes through (<c>governance.approvalChain</c>: prepare, review,
    /// countersign, approve — 编制、审核、会签、批准), as step codes in order. Empty: a change is approved directly.
    /// </summary>
    public IReadOnlyList<string> ApprovalChain { get; } = Items(document, "governance.approvalChain").Select(i => i.Code).ToList();

    public bool PartTimeDispatchNeedsManager { get; } = Value<bool>(document, "dispatch.partTimeDispatchRequiresManagerApproval") ?? false;

    /// <summary>
    /// 抢单池: a new order goes into its branch's order pool at once, for an eligible technician to take (the dispatcher
    /// may still assign it). Off by default: the dispatcher assigns, or releases an order into the pool himself.
    /// </summary>
    public bool NewOrdersToPool { get; } = Value<bool>(document, "dispatch.newOrdersToPool") ?? false;

    /// <summary>INT-16: an angry customer's order is dispatched by the after-sales manager personally.</summary>
    public bool AngryCustomerToManager { get; } = Value<bool>(document, "intake.escalateAngryCustomerToManager") ?? false;

    /// <summary>WAR-01: the warranty length in months (warranty.months); null when the policy names none.</summary>
    public int? WarrantyMonths { get; } = Value<int>(document, "warranty.months");

    /// <summary>The leaks the installer is charged for (INS-29, <c>leaks.leakTypes</c>: water, refrigerant); none when the policy has no leak rules.</summary>
    public IReadOnlyList<string> LeakTypes { get; } = Texts(document, "leaks.leakTypes");

    /// <summary>The company hotline left with every customer (ONS-21), printed on the service report.</summary>
    public string? Hotline { get; } = Text(document, "intake.hotline");

    /// <summary>
    /// PRT-11 / SC-26: the monthly parts cost report goes to finance when <c>reporting.monthlyPartsCostReportToFinance</c>;
    /// by the tenant-set day of the following month (<c>reporting.partsCostReportDueDay</c>; the regulation names none, the
    /// 5th is the assumption), after which the supervisor is reminded.
    /// </summary>
    public bool PartsCostReportToFinance { get; } = Value<bool>(document, "reporting.monthlyPartsCostReportToFinance") ?? false;

    public int PartsCostReportDueDay { get; } = Value<int>(document, "reporting.partsCostReportDueDay") ?? 5;

    /// <summary>RPT-10: the daily report of each technician's day, with the customers' feedback (<c>reporting.dailyReportRequired</c>).</summary>
    public bool DailyReport { get; } = Value<bool>(document, "reporting.dailyReportRequired") ?? false;

    /// <summary>RPT-15 / DSP-14: the end-of-day report of unfinished work to the dispatcher (with the daily report, or <c>reporting.unfinishedWorkReportDeadline</c>).</summary>
    public bool UnfinishedWorkReport => DailyReport || _unfinishedWorkReportDeadline;

    private readonly bool _unfinishedWorkReportDeadline = Text(document, "reporting.unfinishedWorkReportDeadline") is not null;

    /// <summary>RPT-04 / RPT-08 / SHOP-03: the weekly summary and quality feedback (<c>reporting.weeklySummaryToSuperior</c>, <c>weeklyQualityFeedbackToGM</c>).</summary>
    public bool WeeklySummary { get; } = (Value<bool>(document, "reporting.weeklySummaryToSuperior") ?? false) || (Value<bool>(document, "reporting.weeklyQualityFeedbackToGM") ?? false);

    /// <summary>RPT-03: the monthly report of the service orders to the GM office (<c>reporting.monthlyServiceOrdersToGMOffice</c>).</summary>
    public bool MonthlyReportToGMOffice { get; } = Value<bool>(document, "reporting.monthlyServiceOrdersToGMOffice") ?? false;

    /// <summary>RPT-19: monthly and quarterly operating statistics to the GM and the manufacturer (<c>reporting.monthlyAndQuarterlyOpsStats</c>).</summary>
    public bool OperatingStatistics { get; } = Value<bool>(document, "reporting.monthlyAndQuarterlyOpsStats") ?? false;

    /// <summary>RPT-01: every month the service records are bound into a book, one copy to the technical department (<c>reporting.monthlyServiceRecordBookToTechDept</c>).</summary>
    public bool ServiceRecordBook { get; } = Value<bool>(document, "reporting.monthlyServiceRecordBookToTechDept") ?? false;

    /// <summary>RPT-07 / CPL-13: at each month end the service and complaint records come back to the company for a problem review (<c>reporting.monthEndReview</c>).</summary>
    public bool MonthEndReview { get; } = Value<bool>(document, "reporting.monthEndReview") ?? false;

    /// <summary>
    /// RPT-11: who approves the supervisor's plan for the next week before it is carried out (<c>reporting.weeklyPlanApprovalRole</c>,
    /// "departmentManager": the branch's manager); null when the tenant keeps no weekly plan (unless <c>reporting.weeklyPlanRequired</c>).
    /// </summary>
    public string? WeeklyPlanApprovalRole { get; } = Text(document, "reporting.weeklyPlanApprovalRole")
        ?? ((Value<bool>(document, "reporting.weeklyPlanRequired") ?? false) ? "departmentManager" : null);

    /// <summary>
    /// Where the repeat-offence window of an offence ladder starts (discipline.repeatOffenceWindow; regulations.md A11):
    /// the rolling 12 months by default, or the start of the calendar month (branch time).
    /// </summary>
    public DateTimeOffset OffenceWindowStart(DateTimeOffset now, TimeZoneInfo zone)
    {
        if (_calendarMonthOffenceWindow)
        {
            var local = TimeZoneInfo.ConvertTime(now, zone);
            var first = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
            return new DateTimeOffset(first, zone.GetUtcOffset(first)).ToUniversalTime();
        }
        return now.AddMonths(-12);
    }

    private readonly bool _calendarMonthOffenceWindow = Text(document, "discipline.repeatOffenceWindow") is "calendarMonth";

    /// <summary>
    /// How many days after a fine is confirmed the person may appeal it (discipline.appealWindowDays). The regulations name
    /// no window; 7 days is the assumption (a pay month's fines can still be appealed before payroll closes).
    /// </summary>
    public int AppealWindowDays { get; } = Value<int>(document, "discipline.appealWindowDays") ?? 7;

    /// <summary>ATT-21 / CND-11: how long a suspension lasts when the rule's step does not say.</summary>
    public int SuspensionDays { get; } = Value<int>(document, "discipline.suspensionDays") ?? 3;

    /// <summary>Every fine and sanction of this version (<c>penalties[]</c>), typed, in the policy's order.</summary>
    public IReadOnlyList<PenaltyRule> Rules => _rules.Value.List;

    /// <summary>
    /// The rule with this key, or null when this version does not have it (regulations.md A12: a rule a preset does not
    /// have is not applied). Found once per key: a version never changes, and scanning ~90 entries per breach was most
    /// of the SLA tick's per-clock time.
    /// </summary>
    public PenaltyRule? Rule(string key) => _rules.Value.ByKey.GetValueOrDefault(key);

    /// <summary>
    /// The rule that applies to a person of <paramref name="category"/>: the staff-specific rule named in
    /// <c>overriddenBy</c> when this version has it (PEN-32 → PEN-75 for an installer, PEN-01 → PEN-79 for a repair
    /// technician), else the rule itself.
    /// </summary>
    public PenaltyRule? RuleFor(string key, string? category) =>
        Rule(key) is not { } rule ? null
        : category is not null && rule.OverriddenBy.TryGetValue(category, out var over) && Rule(over) is { } specific ? specific
        : rule;

    /// <summary>A rule by its key or by its id (PEN-75; the first rule whose own id it is, else the first that lists it).</summary>
    public PenaltyRule? FindRule(string keyOrId) =>
        Rule(keyOrId) ?? Rules.FirstOrDefault(r => r.RuleId == keyOrId) ?? Rules.FirstOrDefault(r => r.RuleIds.Contains(keyOrId));

    /// <summary>The rule whose ids include <paramref name="ruleId"/> (e.g. the leak rule of PEN-69 whatever its key in this preset).</summary>
    public PenaltyRule? RuleWithId(string ruleId) => Rules.FirstOrDefault(r => r.RuleIds.Contains(ruleId));

    /// <summary>
    /// The rule keys of the policy's dismissal-review triggers (<c>dismissalReviewTriggers</c>: "consecutiveAbsenteeism(3 days)",
    /// "refuseWorkAssignment#2" → their keys). A review that no rule's action opens (DSM-17 from a verified complaint,
    /// <c>Complaints/VerifyComplaint</c>) opens only when its trigger is listed here: a trigger a preset does not have is
    /// not applied (regulations.md A12; Gree has no DSM-17).
    /// </summary>
    public IReadOnlySet<string> DismissalReviewTriggers => _triggers.Value;

    /// <summary>Whether the policy opens a dismissal review for <paramref name="ruleKey"/>: its trigger is listed, or its rule's action opens one.</summary>
    public bool HasDismissalTrigger(string ruleKey) =>
        DismissalReviewTriggers.Contains(ruleKey) || Rule(ruleKey) is { } rule && (rule.Actions.Any(a => a.OpensReview) || rule.Escalation.Any(s => s.Actions.Any(a => a.OpensReview)));

    /// <summary>Every reward, subsidy and pay component of this version (<c>rewards[]</c>), typed.</summary>
    public IReadOnlyList<RewardRule> Rewards => _rewards.Value;

    public RewardRule? Reward(string key) => Rewards.FirstOrDefault(r => r.Key == key);

    // Parsed on first use, thread-safely (Lazy's default mode): a cached version is read by many requests at once.
    private readonly Lazy<(IReadOnlyList<PenaltyRule> List, Dictionary<string, PenaltyRule> ByKey)> _rules = new(() =>
    {
        var list = (document["penalties"] as JsonArray ?? []).OfType<JsonObject>().Where(p => p["key"] is JsonValue).Select(PenaltyRule.Parse).ToList();
        return (list, list.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));
    });

    private readonly Lazy<IReadOnlySet<string>> _triggers = new(() =>
        (document["dismissalReviewTriggers"] as JsonArray ?? []).Select(t => (string?)t).OfType<string>()
            .Select(t => t.Split('#', '(')[0].Trim()).ToHashSet(StringComparer.Ordinal));

    private readonly Lazy<IReadOnlyList<RewardRule>> _rewards = new(() =>
        (document["rewards"] as JsonArray ?? []).OfType<JsonObject>().Where(p => p["key"] is JsonValue).Select(RewardRule.Parse).ToList());
}

/// <summary>
/// Finds the policy in force and caches parsed versions (they never change once published). Which version is in force
/// depends on the clock, so the store keeps the whole schedule (number, effective from) and picks from it in memory; the
/// schedule is read again after <see cref="ScheduleLifetime"/>, or at once after a publish on this node — another node's
/// publish reaches this one within that time (issue 14: one statement fewer on every write).
/// </summary>
public sealed class PolicyStore
{
    internal static readonly TimeSpan ScheduleLifetime = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<int, CompanyPolicy> _cache = new();
    private volatile Schedule? _schedule;

    private sealed record Schedule(IReadOnlyList<(int Id, DateTimeOffset EffectiveFrom)> NewestFirst, long ReadAt);

    /// <summary>A version was published (or written directly): the next request reads the schedule again.</summary>
    public void Changed() => _schedule = null;

    public async Task<CompanyPolicy> InForce(AppDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var schedule = _schedule;
        if (schedule is null || Environment.TickCount64 - schedule.ReadAt > (long)ScheduleLifetime.TotalMilliseconds)
        {
            var versions = await db.PolicyVersions.AsNoTracking().OrderByDescending(v => v.Number)
                .Select(v => new { v.Id, v.EffectiveFrom }).ToListAsync(ct);
            _schedule = schedule = new Schedule(versions.Select(v => (v.Id, v.EffectiveFrom)).ToList(), Environment.TickCount64);
        }
        foreach (var (id, from) in schedule.NewestFirst)
            if (from <= now) return await ById(db, id, ct);
        throw new InvalidOperationException("No policy is in force; the app seeds one at start.");
    }

    public async Task<CompanyPolicy> ById(AppDbContext db, int id, CancellationToken ct) =>
        _cache.TryGetValue(id, out var cached) ? cached : Parse(await db.PolicyVersions.AsNoTracking().SingleAsync(v => v.Id == id, ct));

    private CompanyPolicy Parse(PolicyVersion v) => _cache.GetOrAdd(v.Id, _ => Build(v));

    /// <summary>
    /// A parsed version, fully built before it is shared. <see cref="JsonNode.Parse(string, JsonNodeOptions?, System.Text.Json.JsonDocumentOptions)"/>
    /// builds objects and arrays lazily, on their first read, and that first read is not thread-safe: two requests
    /// reading a fresh cached policy at once could corrupt it. After <see cref="Materialize"/> every read is a plain
    /// read of a built dictionary or list, which is safe from any number of threads.
    /// </summary>
    internal static CompanyPolicy Build(PolicyVersion v)
    {
        var document = JsonNode.Parse(v.DocumentJson)!.AsObject();
        Materialize(document);
        return new CompanyPolicy(v, document);
    }

    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o: foreach (var (_, child) in o) Materialize(child); break;
            case JsonArray a: foreach (var child in a) Materialize(child); break;
        }
    }
}
