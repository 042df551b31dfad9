using Fieldline.Routing.Dispatch;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.Dispatch;

public sealed record PlanRequest(DateOnly? Date, int? BranchId, double? Seconds, long? Seed);

public sealed record PlanExplanationDto(string RequiredSkill, double TravelKilometres, int TechnicianOrders, double? DeadlineSlackMinutes, bool Pinned,
    int? NextBestTechnicianId, double? NextBestExtraCost, string Text)
{
    public string? NextBestTechnicianName { get; init; }
}

public sealed record PlanStopDto(long WorkOrderId, string Code, DateTimeOffset Arrival, DateTimeOffset ServiceStart, DateTimeOffset ServiceEnd,
    double TravelKilometresFromPrevious, double LateMinutes,
    [property: System.ComponentModel.Description(PlanStopDto.ScoreMeaning)] double Score,
    PlanExplanationDto Explanation)
{
    public const string ScoreMeaning = "What this assignment costs the plan, in the optimiser's units (one unit = one minute of driving): the route's cost "
        + "with this stop minus without it — the driving it adds, 10 per minute past the SLA deadline (30 if urgent), 0.2 per minute an urgent order "
        + "waits, and the technician's extra fairness weight for one more order. Lower is better; explanation.nextBestExtraCost is how much more "
        + "the next-best technician would cost.";
}

public sealed record PlanRouteDto(int TechnicianId, string TechnicianName, IReadOnlyList<PlanStopDto> Stops, double TravelKilometres, double TravelMinutes, DateTimeOffset ReturnHome);

public sealed record UnservedDto(long WorkOrderId, string Code, string Reason);

/// <summary>A technician the plan leaves out of the day, and every reason (on leave, suspended, off duty …) in the reader's language.</summary>
public sealed record LeftOutTechnicianDto(int TechnicianId, string TechnicianName, IReadOnlyList<People.EligibilityReasonDto> Reasons, string Text);

/// <summary>A technician the plan does not propose for one order (a certificate its jobs need is missing or not valid that day), with the reasons.</summary>
public sealed record ExcludedPairDto(long WorkOrderId, string Code, int TechnicianId, string TechnicianName, IReadOnlyList<People.EligibilityReasonDto> Reasons, string Text);

public sealed record PlanDto(DateOnly Date, int BranchId, IReadOnlyList<PlanRouteDto> Routes, IReadOnlyList<UnservedDto> Unserved, PlanSummary Summary)
{
    public IReadOnlyList<LeftOutTechnicianDto> LeftOut { get; init; } = [];

    /// <summary>Per order, the technicians it may not go to and why (SAF-08, SAF-14, TRN-06).</summary>
    public IReadOnlyList<ExcludedPairDto> Excluded { get; init; } = [];
}

/// <summary>
/// "Plan the day": a technician and a place in their route for every open order of the branch, with the reason and the
/// next-best alternative. A proposal only: the dispatcher accepts it order by order (dispatch), or edits it by hand.
/// </summary>
public sealed class PlanDay(BranchDay days, TimeProvider clock, BranchZones zones)
{
    public static readonly string[] Planners = [Roles.Dispatcher, Roles.Manager];

    public async Task<PlanDto> Handle(CurrentUser user, PlanRequest r, CancellationToken ct)
    {
        user.RequireAny("plan the day's routes", Planners);
        var branchId = r.BranchId ?? user.BranchId;
        var v = new Validator();
        if (!user.CanSeeBranch(branchId)) v.Add("branchId", "Branch {1} does not exist.", branchId);
        if (r.Seconds is < 0.1 or > 30) v.Add("seconds", "{0} must be between 0.1 and 30.");
        v.ThrowIfInvalid();
        var date = r.Date ?? BranchTime.Today(clock.GetUtcNow(), await zones.For(branchId, ct));
        var day = await days.Build(branchId, date, ct, clock.GetUtcNow());
        var plan = DispatchPlanner.Plan(day.Request, new DispatchOptions { TimeLimit = TimeSpan.FromSeconds(r.Seconds ?? 3), Seed = r.Seed ?? 1 });
        return ToDto(plan, day, branchId);
    }

    private static PlanDto ToDto(DispatchPlan plan, BranchDayInput day, int branchId)
    {
        DateTimeOffset L(DateTimeOffset t) => BranchTime.Local(t, day.Zone);
        string Name(string id) => day.TechnicianNames.GetValueOrDefault(id, id);
        static long Id(string s) => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        PlanExplanationDto Explain(AssignmentExplanation x)
        {
            var e = new PlanExplanationDto(x.RequiredSkill, Math.Round(x.TravelKilometres, 2), x.TechnicianOrders,
                x.DeadlineSlackMinutes is { } d ? Math.Round(d, 1) : null, x.Pinned, x.NextBestTechnicianId is { } alt ? (int)Id(alt) : null,
                x.NextBestExtraCost is { } c ? Math.Round(c, 1) : null, "");
            return e with { Text = PlanTexts.Explanation(e, Name).Render(), NextBestTechnicianName = x.NextBestTechnicianId is { } n ? Name(n) : null };
        }
        var routes = plan.Routes.Where(r => r.Stops.Count > 0).Select(r => new PlanRouteDto((int)Id(r.TechnicianId), Name(r.TechnicianId),
            r.Stops.Select(s => new PlanStopDto(Id(s.OrderId), day.OrderCodes[s.OrderId], L(s.Arrival), L(s.ServiceStart), L(s.ServiceEnd),
                Math.Round(s.TravelKilometresFromPrevious, 2), Math.Round(s.LateMinutes, 1), s.MarginalCost, Explain(s.Explanation))).ToList(),
            Math.Round(r.TravelKilometres, 2), Math.Round(r.TravelMinutes, 1), L(r.ReturnHome))).ToList();
        var excluded = day.Excluded.Select(x => new ExcludedPairDto(x.OrderId, x.Code, x.TechnicianId, x.Name, x.Reasons.Select(People.EligibilityReasonDto.From).ToList(),
            Infrastructure.Localization.Msg.Of("{0} may not take {1}: {2}", x.Name, x.Code, Infrastructure.Localization.Msg.Join(x.Reasons.Select(r => r.Full))).Render())).ToList();
        string Unserved(string orderId, string reason)
        {
            var why = PlanTexts.Reason(reason, Name).Render();
            var barred = excluded.Where(x => x.WorkOrderId == Id(orderId)).Select(x => x.Text).ToList();
            return barred.Count == 0 ? why : string.Join(" ", [why, .. barred]);
        }
        var unserved = plan.Unserved.Select(u => new UnservedDto(Id(u.OrderId), day.OrderCodes[u.OrderId], Unserved(u.OrderId, u.Reason)))
            .Concat(day.Skipped.Select(s => new UnservedDto(s.OrderId, s.Code, s.Reason.Render()))).ToList();
        var leftOut = day.LeftOut.Select(t => new LeftOutTechnicianDto(t.TechnicianId, t.Name, t.Reasons.Select(People.EligibilityReasonDto.From).ToList(),
            Infrastructure.Localization.Msg.Of("{0} is left out: {1}", t.Name, Infrastructure.Localization.Msg.Join(t.Reasons.Select(r => r.Full))).Render())).ToList();
        return new PlanDto(day.Date, branchId, routes, unserved, plan.Summary) { LeftOut = leftOut, Excluded = excluded };
    }
}
