using Fieldline.Routing.Dispatch;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using RoutingTechnician = Fieldline.Routing.Dispatch.Technician;
using DispatchRequest = Fieldline.Routing.Dispatch.DispatchRequest;
using GeoPoint = Fieldline.Routing.Dispatch.GeoPoint;

namespace Fieldline.Web.Features.Dispatch;

/// <summary>One branch's day as the optimiser sees it, built from live data, with the names to show the answer.</summary>
public sealed record BranchDayInput(DispatchRequest Request, Dictionary<string, string> TechnicianNames, Dictionary<string, string> OrderCodes,
    List<(long OrderId, string Code, Infrastructure.Localization.Msg Reason)> Skipped, DateOnly Date, TimeZoneInfo Zone)
{
    /// <summary>The branch's technicians the eligibility rule keeps out of this day, with every reason.</summary>
    public List<(int TechnicianId, string Name, List<People.IneligibilityReason> Reasons)> LeftOut { get; init; } = [];

    /// <summary>Pairs the plan may not propose: a technician with the skill who lacks a certificate the order's jobs need (SAF-08, SAF-14, TRN-06).</summary>
    public List<(long OrderId, string Code, int TechnicianId, string Name, List<People.IneligibilityReason> Reasons)> Excluded { get; init; } = [];
}

/// <summary>
/// Builds the optimiser's input for a branch and date: the technicians the eligibility rule lets work that day (skills, home, the branch calendar's shift
/// and lunch, orders already done today for fairness) and the open orders (location, appointment or requested window,
/// the SLA deadline of their completion clocks, urgency, required skill); assigned orders are pinned to their technician.
/// </summary>
public sealed class BranchDay(AppDbContext db, SlaCalendars calendars, BranchZones zones, People.TechnicianEligibility eligibility, Policy.PolicyStore policies)
{
    private static readonly WorkOrderStatus[] Open = [WorkOrderStatus.New, WorkOrderStatus.Returned, WorkOrderStatus.Dispatched, WorkOrderStatus.Accepted, WorkOrderStatus.Scheduled];

    /// <param name="now">When given, nothing is planned before it: a plan made at 14:00 never proposes 09:00.</param>
    public async Task<BranchDayInput> Build(int branchId, DateOnly date, CancellationToken ct, DateTimeOffset? now = null)
    {
        var zone = await zones.For(branchId, ct);
        var cal = await calendars.For(branchId, ct);
        var shiftStart = SlaMath.At(date, cal.WorkStart, zone);
        if (now is { } n && n > shiftStart) shiftStart = n;
        var shiftEnd = SlaMath.At(date, cal.WorkEnd, zone);
        DateTimeOffset? lunchStart = cal.LunchStart is { } ls ? SlaMath.At(date, ls, zone) : null;
        DateTimeOffset? lunchEnd = cal.LunchEnd is { } le ? SlaMath.At(date, le, zone) : null;

        var staff = await db.Technicians.AsNoTracking().Include(t => t.User).Where(t => t.BranchId == branchId && t.User!.IsActive).OrderBy(t => t.Id).ToListAsync(ct);
        var reasons = await eligibility.Reasons(staff, [date], ct);
        var techs = staff.Where(t => reasons[t.Id].Count == 0).ToList();
        var leftOut = staff.Where(t => reasons[t.Id].Count > 0).Select(t => (t.Id, t.User?.DisplayName ?? "", reasons[t.Id])).ToList();
        var doneToday = await db.WorkOrders.AsNoTracking()
            .Where(o => o.BranchId == branchId && o.TechnicianId != null && o.CompletedAt >= shiftStart.AddHours(-12) && o.CompletedAt < shiftEnd.AddHours(6))
            .GroupBy(o => o.TechnicianId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var orders = await db.WorkOrders.AsNoTracking().Where(o => o.BranchId == branchId && Open.Contains(o.Status)).OrderBy(o => o.Id).ToListAsync(ct);
        var ids = orders.Select(o => o.Id).ToList();
        var deadlines = await db.SlaClocks.AsNoTracking()
            .Where(c => c.WorkOrderId != null && ids.Contains(c.WorkOrderId.Value) && c.State == ClockState.Running && (c.Name == Clocks.Completion || c.Name == Clocks.CompletionTarget) && c.DueAt != null)
            .GroupBy(c => c.WorkOrderId!.Value).Select(g => new { g.Key, Due = g.Min(c => c.DueAt) }).ToDictionaryAsync(x => x.Key, x => x.Due, ct);

        // DSP-21: part-time staff are the manager's to send, never the plan's: left out of it, unless an order is theirs
        // already (the manager sent them), which stays pinned to them while every other order is barred to them.
        var partTimers = new HashSet<int>();
        var policy = await policies.InForce(db, shiftStart, ct);
        foreach (var t in techs.Where(t => People.TechnicianEligibility.NeedsManager(t, policy)).ToList())
        {
            partTimers.Add(t.Id);
            if (orders.Any(o => o.TechnicianId == t.Id)) continue;
            techs.Remove(t);
            leftOut.Add((t.Id, t.User?.DisplayName ?? "", [People.TechnicianEligibility.PartTimeReason]));
        }

        var centre = techs.Where(t => t.HomeLat is not null).Select(t => new GeoPoint(t.HomeLat!.Value, t.HomeLng!.Value)).DefaultIfEmpty(DayGenerator.Changsha).First();
        var routingTechs = techs.Select(t => new RoutingTechnician(t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Skills,
            t.HomeLat is { } lat && t.HomeLng is { } lng ? new GeoPoint(lat, lng) : centre, shiftStart, shiftEnd, lunchStart, lunchEnd, doneToday.GetValueOrDefault(t.Id))).ToList();
        var techIds = techs.Select(t => t.Id).ToHashSet();

        var certificates = await eligibility.CertificatesForOrders(techs, orders, [date], ct);
        var excluded = new List<(long, string, int, string, List<People.IneligibilityReason>)>();
        var skipped = new List<(long, string, Infrastructure.Localization.Msg)>();
        var routingOrders = new List<DispatchOrder>();
        foreach (var o in orders)
        {
            var (start, end) = o.AppointmentStart is { } a && o.AppointmentEnd is { } b ? (a, b)
                : o.RequestedStart is { } rs && o.RequestedEnd is { } re ? (rs, re) : (shiftStart, shiftEnd);
            if (end <= shiftStart || start >= shiftEnd) continue; // not today's work
            if (o.Lat is not { } lat || o.Lng is not { } lng) { skipped.Add((o.Id, o.Code, Infrastructure.Localization.Msg.Of("The address has no location."))); continue; }
            var pinned = o.TechnicianId is { } tid && techIds.Contains(tid) ? tid.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            var skill = WorkOrders.TechnicianSkill.For(o);
            var barred = techs.Where(t => certificates.ContainsKey((o.Id, t.Id)) && (t.Skills.Contains(skill) || t.Id == o.TechnicianId)).ToList();
            excluded.AddRange(barred.Select(t => (o.Id, o.Code, t.Id, t.User?.DisplayName ?? "", certificates[(o.Id, t.Id)])));
            barred.AddRange(techs.Where(t => partTimers.Contains(t.Id) && t.Id != o.TechnicianId && !barred.Contains(t)));
            routingOrders.Add(new DispatchOrder(o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), new GeoPoint(lat, lng),
                start < shiftStart ? shiftStart : start, end, JsonNames.Of(o.Type), skill, deadlines.GetValueOrDefault(o.Id),
                o.Priority == Priority.Urgent || o.AngryCustomer ? OrderPriority.Urgent : OrderPriority.Normal, pinned,
                ExcludedTechnicianIds: barred.Count == 0 ? null : barred.Select(t => t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet()));
        }
        return new BranchDayInput(new DispatchRequest(routingTechs, routingOrders),
            techs.ToDictionary(t => t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), t => t.User?.DisplayName ?? t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            orders.ToDictionary(o => o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), o => o.Code), skipped, date, zone) { LeftOut = leftOut, Excluded = excluded };
    }
}
