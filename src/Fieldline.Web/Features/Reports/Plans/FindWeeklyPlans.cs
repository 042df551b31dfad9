using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Plans;

/// <summary>
/// A week's plan as shown: <c>status</c> approved (before the week began), submitted (awaiting approval, the week not
/// begun), unapproved (the week began without an approval: 未批准), notSubmitted (nothing yet, the week not begun).
/// </summary>
public sealed record WeeklyPlanDto(long? Id, int BranchId, DateOnly WeekStart, string? Text, IReadOnlyList<string> Items, string Status,
    DateTimeOffset? SubmittedAt, string? SubmittedBy, DateTimeOffset? ApprovedAt, string? ApprovedBy, int Version);

public sealed class FindWeeklyPlans(AppDbContext db, BranchZones zones, ComputeKpis kpis, TimeProvider clock)
{
    public static readonly string[] Readers = ComputeKpis.Readers;

    /// <summary>The Monday of the week after <paramref name="today"/>: the week a plan is made for.</summary>
    public static DateOnly NextMonday(DateOnly today) => today.AddDays(7 - ((int)today.DayOfWeek + 6) % 7);

    /// <summary>The Monday of <paramref name="today"/>'s week.</summary>
    public static DateOnly ThisMonday(DateOnly today) => today.AddDays(-(((int)today.DayOfWeek + 6) % 7));

    /// <summary>The plans of the last <paramref name="weeks"/> weeks and the next week, for the branches the caller may see.</summary>
    public async Task<IReadOnlyList<WeeklyPlanDto>> Handle(CurrentUser user, int? branchId, int weeks, CancellationToken ct)
    {
        user.RequireAny("see reports", Readers);
        var list = new List<WeeklyPlanDto>();
        foreach (var branch in await kpis.Scope(user, branchId, ct))
        {
            var zone = await zones.For(branch, ct);
            var next = NextMonday(BranchTime.Today(clock.GetUtcNow(), zone));
            var first = next.AddDays(-7 * weeks);
            var rows = await db.Set<WeeklyPlan>().AsNoTracking().Where(p => p.BranchId == branch && p.WeekStart >= first && p.WeekStart <= next).ToListAsync(ct);
            for (var week = next; week >= first; week = week.AddDays(-7))
                list.Add(await Dto(branch, week, rows.FirstOrDefault(p => p.WeekStart == week), zone, ct));
        }
        return list;
    }

    public async Task<WeeklyPlanDto> Dto(int branch, DateOnly week, WeeklyPlan? p, TimeZoneInfo zone, CancellationToken ct)
    {
        var begins = SlaMath.At(week, TimeOnly.MinValue, zone);
        var now = clock.GetUtcNow();
        var status = p is not null && p.ApprovedInTime(begins) ? "approved"
            : now >= begins ? "unapproved"
            : p?.SubmittedAt is not null ? "submitted" : "notSubmitted";
        var ids = new[] { p?.SubmittedByUserId, p?.ApprovedByUserId }.OfType<int>().ToList();
        var names = ids.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return new WeeklyPlanDto(p?.Id, branch, week, p?.Text, p?.Items ?? [], status, BranchTime.Local(p?.SubmittedAt, zone),
            p?.SubmittedByUserId is { } s ? names.GetValueOrDefault(s) : null, BranchTime.Local(p?.ApprovedAt, zone),
            p?.ApprovedByUserId is { } a ? names.GetValueOrDefault(a) : null, p?.Version ?? 0);
    }
}
