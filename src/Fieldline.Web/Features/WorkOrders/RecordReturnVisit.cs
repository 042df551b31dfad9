using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record ReturnVisitRequest(bool? Reached, int? Satisfaction, List<string>? Findings, string? Notes, int? Version);

/// <summary>The return-visit agent's call after completion (RV-01): satisfaction 1–5 and findings.</summary>
public sealed class RecordReturnVisit(WorkOrderAccess access)
{
    public static readonly string[] AllowedRoles = [Roles.ReturnVisitAgent];

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, ReturnVisitRequest r, int? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record a return visit", AllowedRoles);
        var v = new Validator();
        if (r.Reached is null) v.Add("reached", "{0} is required.");
        if (r.Reached == true && r.Satisfaction is null) v.Add("satisfaction", "{0} (1–5) is required when the customer was reached.");
        if (r.Satisfaction is < 1 or > 5) v.Add("satisfaction", "{0} must be between 1 and 5.");
        if (r.Findings is { Count: > 20 }) v.Add("findings", "At most 20 findings.");
        foreach (var f in r.Findings ?? [])
            if (string.IsNullOrWhiteSpace(f) || f.Length > 200) v.Add("findings", "Each finding is 1–200 characters.");
        v.MaxLength(r.Notes, 2000, "notes").ThrowIfInvalid();
        return access.Run(user, id, "record a return visit for", AllowedRoles, r.Version, ifMatch, (order, actor, now) =>
        {
            order.RecordReturnVisit(r.Reached!.Value, r.Satisfaction, r.Findings ?? [], r.Notes, actor, now);
            return Task.CompletedTask;
        }, ct);
    }
}
