using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Features.Reports.Kpis;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports;

public enum KpiGroupBy { Technician, Day, ProductLine }

/// <summary>A figure with the same figure of the period just before (as long, ending where this one starts).</summary>
public sealed record KpiFigure(string RuleId, string Key, string Unit, decimal? Value, decimal? Numerator, decimal? Denominator,
    decimal? Target, bool? Ok, decimal? Previous);

/// <summary>One slice of the period: a technician (<c>key</c> its id, <c>label</c> the name), a local day, or a product line.</summary>
public sealed record KpiGroup(string Key, string Label, IReadOnlyList<KpiValue> Kpis);

/// <summary>
/// The figures of a period [from, to) — local days of the branch — for one branch (or, for head office, the company),
/// with the previous period beside each, and the same figures per technician, day or product line when asked.
/// </summary>
public sealed record KpiReport(int? BranchId, DateOnly From, DateOnly To, DateOnly PreviousFrom, string? GroupBy,
    IReadOnlyList<KpiFigure> Kpis, IReadOnlyList<KpiGroup> Groups);

public sealed record KpiQuery(DateOnly? From, DateOnly? To, int? BranchId, string? GroupBy);

/// <summary>The dashboard's view: the figures with the previous period's, and the same facts by day, technician and product line.</summary>
/// <summary>
/// One point of a sparkline: the days [From, To] (inclusive, the branch's), the orders completed over them (<c>Value</c>)
/// and the orders received over them that are the technician's (<c>Received</c>: assigned to them), KPI-11 both.
/// </summary>
public sealed record KpiSparkPoint(DateOnly From, DateOnly To, decimal Value, decimal Received = 0);

/// <summary><c>Sparks</c>: per technician (the group's key), the orders received (assigned) and completed per day of the period (per few days when it is long).</summary>
public sealed record KpiDashboard(KpiReport Report, IReadOnlyList<KpiGroup> Days, IReadOnlyList<KpiGroup> Technicians, IReadOnlyList<KpiGroup> Lines,
    IReadOnlyDictionary<string, IReadOnlyList<KpiSparkPoint>>? Sparks = null);

public sealed class ComputeKpis(AppDbContext db, BranchZones zones, KpiFactReader reader, PolicyStore policies, TimeProvider clock, IServiceScopeFactory scopes)
{
    /// <summary>Who reads the company's figures: managers and supervisors (a branch its own), admins.</summary>
    public static readonly string[] Readers = [Roles.Admin, Roles.Manager, Roles.Supervisor];

    /// <summary>The longest period one request may ask for (the company's year, and a little more).</summary>
    public const int MaxDays = 731;

    public async Task<KpiReport> Handle(CurrentUser user, KpiQuery q, CancellationToken ct)
    {
        var groupBy = Check(user, q);
        var grain = groupBy switch { null => KpiGrain.Total, KpiGroupBy.Day => KpiGrain.Day, _ => KpiGrain.Period };
        var (report, facts, context) = await Build(user, q, grain, ct);
        return groupBy is { } g ? report with { GroupBy = JsonNames.Of(g), Groups = await Groups(g, facts, context, ct) } : report;
    }

    /// <summary>Everything the dashboard draws, from one read of the period's facts.</summary>
    public async Task<KpiDashboard> Dashboard(CurrentUser user, KpiQuery q, CancellationToken ct)
    {
        Check(user, q with { GroupBy = null });
        // The dashboard shows the on-time rates per clock of the period (and the one before), not per technician or day.
        var (report, facts, context) = await Build(user, q, KpiGrain.Day, ct, sliceClocks: false);
        var technicians = await Groups(KpiGroupBy.Technician, facts, context, ct);
        return new KpiDashboard(report, await Groups(KpiGroupBy.Day, facts, context, ct), technicians, await Groups(KpiGroupBy.ProductLine, facts, context, ct),
            Sparks(technicians, facts, report.From, report.To));
    }

    /// <summary>The most points a sparkline draws; a longer period is drawn a few days a point.</summary>
    public const int SparkPoints = 62;

    /// <summary>Each technician's orders received (assigned to them) and completed per day (KPI-11's definitions over the day's facts), for the dashboard's sparklines.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<KpiSparkPoint>> Sparks(IReadOnlyList<KpiGroup> technicians, KpiFacts facts, DateOnly from, DateOnly to)
    {
        var days = to.DayNumber - from.DayNumber;
        var step = Math.Max(1, (days + SparkPoints - 1) / SparkPoints);
        var buckets = Enumerable.Range(0, (days + step - 1) / step)
            .Select(i => (From: from.AddDays(i * step), To: from.AddDays(Math.Min(days, (i + 1) * step) - 1))).ToList();
        var byTechnician = facts.By(f => f.TechnicianId);
        return technicians.ToDictionary(g => g.Key, g =>
        {
            var id = int.Parse(g.Key, System.Globalization.CultureInfo.InvariantCulture);
            var byBucket = byTechnician(id).By(f => (f.Day.DayNumber - from.DayNumber) / step);
            return (IReadOnlyList<KpiSparkPoint>)buckets.Select((b, i) =>
            {
                var slice = byBucket(i);
                return new KpiSparkPoint(b.From, b.To, KpiDefinitions.Completed(slice).Value ?? 0, KpiDefinitions.Received(slice).Value ?? 0);
            }).ToList();
        });
    }

    private static KpiGroupBy? Check(CurrentUser user, KpiQuery q)
    {
        user.RequireAny("see reports", Readers);
        var v = new Validator();
        var groupBy = v.Enum<KpiGroupBy>(q.GroupBy, "groupBy", required: false);
        if (q is { From: { } from, To: { } to })
        {
            if (to <= from) v.Add("to", "{0} must be after {1}.", Msg.Field("from"));
            else if (to.DayNumber - from.DayNumber > MaxDays) v.Add("to", "{0} must be at most {1} days after {2}.", MaxDays, Msg.Field("from"));
        }
        v.ThrowIfInvalid();
        return groupBy;
    }

    private async Task<(KpiReport Report, KpiFacts Facts, KpiContext Context)> Build(CurrentUser user, KpiQuery q, KpiGrain grain, CancellationToken ct,
        bool sliceClocks = true)
    {
        var scope = await Scope(user, q.BranchId, ct);
        var zone = await zones.For(scope.FirstOrDefault(user.BranchId), ct);
        var today = BranchTime.Today(clock.GetUtcNow(), zone);
        // Without dates: this month so far (to its end); with one date only: the month from it, or the month up to it.
        var from = q.From ?? (q.To is { } t ? t.AddMonths(-1) : new DateOnly(today.Year, today.Month, 1));
        var to = q.To ?? from.AddMonths(1);
        var previousFrom = from.AddDays(-(to.DayNumber - from.DayNumber));

        var context = await Context(ct);
        // The previous period (only shown as a whole) is read at the same time on a connection of its own: the database
        // counts both periods at once, on two cores (a company year beside the year before it is a million orders).
        var previous = Task.Run(async () =>
        {
            await using var other = scopes.CreateAsyncScope();
            return await other.ServiceProvider.GetRequiredService<ComputeKpis>().Facts(scope, previousFrom, from, ct, KpiGrain.Total);
        }, ct);
        var facts = await Facts(scope, from, to, ct, grain, sliceClocks);
        var before = await previous;
        var then = KpiDefinitions.All(before, context).ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        var figures = KpiDefinitions.All(facts, context)
            .Select(k => new KpiFigure(k.RuleId, k.Key, k.Unit, k.Value, k.Numerator, k.Denominator, k.Target, k.Ok, then.GetValueOrDefault(k.Key)))
            .ToList();
        // A count the previous period had but this one lacks (a product line sold then, not now) still shows, as zero.
        figures.AddRange(then.Where(p => figures.All(f => f.Key != p.Key)
                && (p.Key.StartsWith("received.", StringComparison.Ordinal) || p.Key.StartsWith("completed.", StringComparison.Ordinal)))
            .Select(p => new KpiFigure("KPI-11", p.Key, KpiUnit.Count, 0, null, null, null, null, p.Value)));
        var report = new KpiReport(q.BranchId is null && user.IsHeadOffice ? null : scope[0], from, to, previousFrom, null, figures, []);
        return (report, facts, context);
    }

    /// <summary>The branches the caller asked for and may see: their own; head office any one, or all of them.</summary>
    public async Task<IReadOnlyList<int>> Scope(CurrentUser user, int? branchId, CancellationToken ct)
    {
        if (branchId is { } asked)
        {
            if (!user.CanSeeBranch(asked) || !await db.Branches.AnyAsync(b => b.Id == asked, ct)) throw new NotFoundException("Branch", asked);
            return [asked];
        }
        return user.IsHeadOffice ? await db.Branches.OrderBy(b => b.Id).Select(b => b.Id).ToListAsync(ct) : [user.BranchId];
    }

    public async Task<KpiContext> Context(CancellationToken ct)
    {
        var policy = await policies.InForce(db, clock.GetUtcNow(), ct);
        return new KpiContext(policy.MaxComplaintRatePercent);
    }

    /// <summary>Every branch's facts over its own local days.</summary>
    public async Task<KpiFacts> Facts(IReadOnlyList<int> branches, DateOnly from, DateOnly to, CancellationToken ct, KpiGrain grain = KpiGrain.Period,
        bool sliceClocks = true)
    {
        var parts = new List<KpiFacts>();
        foreach (var branch in branches) parts.Add(await reader.Read(branch, await zones.For(branch, ct), from, to, ct, grain, sliceClocks));
        return KpiFacts.Concat(parts);
    }

    private async Task<IReadOnlyList<KpiGroup>> Groups(KpiGroupBy by, KpiFacts facts, KpiContext context, CancellationToken ct)
    {
        switch (by)
        {
            case KpiGroupBy.Technician:
                var ids = facts.Received.Select(o => o.TechnicianId).Concat(facts.Completed.Select(o => o.TechnicianId))
                    .Concat(facts.Complaints.Select(c => c.TechnicianId)).Concat(facts.Pay.Select(p => p.TechnicianId)).Concat(facts.Leaks.Select(l => l.TechnicianId))
                    .OfType<int>().Distinct().ToList();
                var names = await db.Technicians.AsNoTracking().Where(t => ids.Contains(t.Id))
                    .Select(t => new { t.Id, t.User!.DisplayName }).ToDictionaryAsync(t => t.Id, t => t.DisplayName, ct);
                var byTechnician = facts.By(f => f.TechnicianId);
                return ids.Select(id => new KpiGroup(id.ToString(System.Globalization.CultureInfo.InvariantCulture), names.GetValueOrDefault(id) ?? "",
                        KpiDefinitions.All(byTechnician(id), context)))
                    .OrderByDescending(g => g.Kpis.First(k => k.Key == "completed").Value).ThenBy(g => g.Label, StringComparer.Ordinal).ToList();
            case KpiGroupBy.Day:
                var days = facts.Received.Select(o => o.Day).Concat(facts.Completed.Select(o => o.Day)).Distinct().Order().ToList();
                var byDay = facts.By(f => f.Day);
                return days.Select(d => new KpiGroup(d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), KpiDefinitions.All(byDay(d), context))).ToList();
            default:
                var lines = facts.Received.Select(o => o.ProductLine).Concat(facts.Completed.Select(o => o.ProductLine)).OfType<string>().Distinct()
                    .Order(StringComparer.Ordinal).ToList();
                var byLine = facts.By(f => f.ProductLine);
                return lines.Select(l => new KpiGroup(l, Msg.Code("line", l).Render(), KpiDefinitions.All(byLine(l), context))).ToList();
        }
    }
}
