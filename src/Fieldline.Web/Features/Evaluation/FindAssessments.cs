using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.People;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Reports.Kpis;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <param name="Measure">What the system measures for the item (onTimeRate, complaints, satisfaction, attendance), or none: the supervisor scores it.</param>
/// <param name="Criteria">For an item the supervisor scores, the ASM criteria it covers (<c>ASM-1..ASM-29</c>).</param>
public sealed record AssessmentItemDto(string Key, string Name, decimal Weight, string Measure, string? Criteria, bool Manual);

/// <param name="Score">0–100, or null: not scored yet (a manual item) or nothing to measure this month (no visit, no clock).</param>
/// <param name="Basis">What the score rests on, in the reader's language ("12 of 14 deadlines met").</param>
public sealed record AssessmentScoreDto(string Key, decimal? Score, string? Basis);

/// <param name="Total">The weighted score 0–100 over the items that have a score.</param>
/// <param name="Complete">Every item has a score (the manual ones entered by the supervisor).</param>
/// <param name="Passed">Whether the total reaches the form's pass mark; null while incomplete or when the company set no pass mark.</param>
/// <param name="EligibilityRevoked">The month's evaluation eligibility was revoked (EVL): shown beside the score, whatever it is.</param>
public sealed record AssessmentDto(int PersonUserId, string PersonName, int TechnicianId, string Month, IReadOnlyList<AssessmentScoreDto> Scores,
    decimal? Total, bool Complete, bool? Passed, bool EligibilityRevoked, string? Note, string? ScoredBy, DateTimeOffset? ScoredAt, int Version);

public sealed record AssessmentPage(string Month, int BranchId, bool Closed, decimal? PassScorePercent, IReadOnlyList<AssessmentItemDto> Items,
    IReadOnlyList<AssessmentDto> People);

/// <summary>
/// <c>GET /api/assessments?month=&amp;branchId=&amp;personUserId=</c>: the month's assessment of every technician of a branch
/// on the company's form (<c>assessment.items</c>). Items the system can measure are filled in from the month's records —
/// the SLA deadlines of the person's orders met (KPI-13), complaints against them (KPI-01), return-visit satisfaction,
/// late days and absences on the attendance sheet — the rest come from the supervisor (<see cref="ScoreAssessment"/>).
/// The supervisor, managers and finance read their branch; a technician reads their own.
/// </summary>
public sealed class FindAssessments(AppDbContext db, PolicyStore policies, BranchZones zones, KpiFactReader facts, ShowAttendanceSheet attendance, TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.Supervisor, Roles.Manager, Roles.Admin, Roles.Finance];

    public async Task<AssessmentPage> Handle(CurrentUser user, string? month, int? branchId, int? personUserId, CancellationToken ct)
    {
        int branch;
        if (user.IsOnlyTechnician || !user.IsAny(Readers))
        {
            user.RequireAny("read assessments", [.. Readers, Roles.Technician]);
            personUserId = user.UserId;
            branch = user.BranchId;
        }
        else
        {
            branch = branchId ?? user.BranchId;
            if (!user.CanSeeBranch(branch) || !await db.Branches.AnyAsync(b => b.Id == branch, ct)) throw new NotFoundException(Msg.Of("Branch {0}", branch));
        }
        var zone = await zones.For(branch, ct);
        var m = month is null ? PayPeriod.Of(clock.GetUtcNow(), zone)
            : PayPeriod.Require(month);
        return await For(branch, zone, m, personUserId, ct);
    }

    public async Task<AssessmentPage> For(int branch, TimeZoneInfo zone, DateOnly month, int? personUserId, CancellationToken ct)
    {
        var next = month.AddMonths(1);
        var now = clock.GetUtcNow();
        var end = SlaMath.At(next, TimeOnly.MinValue, zone);
        var policy = await policies.InForce(db, end <= now ? end.AddTicks(-1) : now, ct);
        var form = policy.Assessment;
        var closed = await db.PayPeriodCloses.AsNoTracking().AnyAsync(p => p.BranchId == branch && p.Month == month, ct);
        var items = form.Items.Select(i => new AssessmentItemDto(i.Key, Msg.Code("assessmentItem", i.Key).Render(), i.Weight,
            JsonNames.Of(i.Measure), i.Criteria, i.Manual)).ToList();

        var techs = await db.Technicians.AsNoTracking().Include(t => t.User)
            .Where(t => t.BranchId == branch && t.User!.IsActive && (personUserId == null || t.UserId == personUserId))
            .OrderBy(t => t.Id).ToListAsync(ct);
        if (techs.Count == 0 || form.Items.Count == 0) return new AssessmentPage(PayPeriod.Name(month), branch, closed, form.PassScorePercent, items, []);

        var users = techs.Select(t => t.UserId).ToList();
        // Only the facts the form measures (each kind is a GROUP BY over the month's orders, clocks or complaints).
        var kinds = form.Items.Aggregate(KpiFactKinds.None, (k, i) => k | i.Measure switch
        {
            AssessmentMeasure.OnTimeRate => KpiFactKinds.Clocks,
            AssessmentMeasure.Complaints => KpiFactKinds.Complaints,
            AssessmentMeasure.Satisfaction => KpiFactKinds.Visits,
            _ => KpiFactKinds.None,
        });
        var kpi = await facts.Read(branch, zone, month, next, ct, kinds: kinds);
        // Grouped once by person: a branch of thousands never scans every fact or day once per person.
        var clocksOf = kpi.Clocks.ToLookup(c => c.TechnicianId);
        var complaintsOf = kpi.Complaints.ToLookup(c => c.TechnicianId);
        var visitsOf = kpi.Visits.ToLookup(v => v.TechnicianId);
        var daysOf = (form.Items.Any(i => i.Measure == AssessmentMeasure.Attendance)
            ? (await attendance.Sheet(branch, month, next.AddDays(-1), policy, techs.Select(t => t.Id).ToList(), ct)).Days : []).ToLookup(d => d.TechnicianId);
        var saved = await db.Assessments.AsNoTracking().Where(a => a.Month == month && users.Contains(a.PersonUserId)).ToDictionaryAsync(a => a.PersonUserId, ct);
        var revoked = (await db.EligibilityCounters.AsNoTracking().Where(c => c.Month == month && c.RevokedAt != null && users.Contains(c.PersonUserId))
            .Select(c => c.PersonUserId).ToListAsync(ct)).ToHashSet();

        var people = techs.Select(t =>
        {
            saved.TryGetValue(t.UserId, out var a);
            var entered = a?.Scores ?? new Dictionary<string, decimal>();
            var scores = form.Items.Select(i => i.Manual
                ? new AssessmentScoreDto(i.Key, entered.TryGetValue(i.Key, out var s) ? s : null, null)
                : Measure(i, clocksOf[t.Id], complaintsOf[t.Id], visitsOf[t.Id], daysOf[t.Id])).ToList();
            var weighed = form.Items.Zip(scores).Where(p => p.Second.Score is not null).ToList();
            var weight = weighed.Sum(p => p.First.Weight);
            decimal? total = weight == 0 ? null : Math.Round(weighed.Sum(p => p.First.Weight * p.Second.Score!.Value) / weight, 1, MidpointRounding.AwayFromZero);
            var complete = form.Items.Zip(scores).All(p => !p.First.Manual || p.Second.Score is not null);
            bool? passed = complete && total is { } tt && form.PassScorePercent is { } pass ? tt >= pass : null;
            return new AssessmentDto(t.UserId, t.User!.DisplayName, t.Id, PayPeriod.Name(month), scores, total, complete, passed, revoked.Contains(t.UserId),
                a?.Note, a?.ScoredBy, a is null ? null : BranchTime.Local(a.ScoredAt, zone), a?.Version ?? 0);
        }).ToList();
        return new AssessmentPage(PayPeriod.Name(month), branch, closed, form.PassScorePercent, items, people);
    }

    /// <summary>A measured item's score from the month's records; null when there is nothing to measure (no deadline, no visit).</summary>
    /// <param name="clocks">The person's facts of the month (<see cref="KpiFacts"/> and the attendance sheet's days), each kind grouped by person.</param>
    private static AssessmentScoreDto Measure(AssessmentItem item, IEnumerable<ClockFact> clocks, IEnumerable<ComplaintFact> complaintFacts, IEnumerable<VisitFact> visitFacts,
        IEnumerable<AttendanceDayDto> days)
    {
        static decimal Clamp(decimal v) => Math.Round(Math.Clamp(v, 0m, 100m), 1, MidpointRounding.AwayFromZero);
        static string N(decimal v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        switch (item.Measure)
        {
            case AssessmentMeasure.OnTimeRate:
                int deadlines = clocks.Sum(c => c.Count), met = clocks.Sum(c => c.Met);
                return deadlines == 0 ? new(item.Key, null, Msg.Of("No deadline this month").Render())
                    : new(item.Key, Clamp(100m * met / deadlines), Msg.Of("{0} of {1} deadlines met", met, deadlines).Render());
            case AssessmentMeasure.Complaints:
                var complaints = complaintFacts.Sum(c => c.Count);
                return new(item.Key, Clamp(100m - complaints * item.PointsPerComplaint), Msg.Of("{0} complaints, {1} points each", complaints, N(item.PointsPerComplaint)).Render());
            case AssessmentMeasure.Satisfaction:
                var visits = visitFacts.ToList();
                var made = visits.Sum(v => v.Count);
                if (made == 0) return new(item.Key, null, Msg.Of("No return visit this month").Render());
                var average = (decimal)((double)visits.Sum(v => v.Satisfaction) / made);
                return new(item.Key, Clamp(average * 20m), Msg.Of("Average {0} of 5 from {1} return visits", N(Math.Round(average, 1)), made).Render());
            case AssessmentMeasure.Attendance:
                var mine = days.ToList();
                var lates = mine.Count(d => d.Status == "late");
                var absences = mine.Count(d => d.Status is "absent" or "absenteeism");
                return new(item.Key, Clamp(100m - lates * item.PointsPerLate - absences * item.PointsPerAbsence),
                    Msg.Of("{0} late days, {1} absences", lates, absences).Render());
            default:
                return new(item.Key, null, null);
        }
    }
}
