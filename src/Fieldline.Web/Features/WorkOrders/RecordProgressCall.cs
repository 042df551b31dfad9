using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record ProgressCallRequest(DateTimeOffset? ExpectedFinish, bool? Anomaly, string? Notes, int? Version);

/// <summary>INT-17 (SC-04): the clerk's progress call; an anomaly opens an emergency action item for the manager.</summary>
public sealed class RecordProgressCall(WorkOrderAccess access, AppDbContext db)
{
    public static readonly string[] AllowedRoles = [Roles.InfoClerk, Roles.Dispatcher, Roles.Manager];

    public Task<WorkOrderDto> Handle(CurrentUser user, long id, ProgressCallRequest r, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("record a progress call", AllowedRoles);
        var v = new Validator();
        if (r.ExpectedFinish is null) v.Add("expectedFinish", "{0} is required.");
        if (r.Anomaly is null) v.Add("anomaly", "{0} (true or false) is required.");
        v.MaxLength(r.Notes, 1000, "notes").ThrowIfInvalid();
        return access.Run(user, id, "record a progress call for", AllowedRoles, r.Version, ifMatch, (order, actor, now) =>
        {
            order.RecordProgressCall(r.ExpectedFinish!.Value.ToUniversalTime(), r.Anomaly!.Value, r.Notes, actor, now);
            if (r.Anomaly == true)
                Notify.Queue(db, now, "emergency", order.BranchId, order.Id, Msg.Of("{0}: installation anomaly, urgent", order.Code),
                    r.Notes is { } notes ? Msg.Verbatim(notes) : Msg.Of("The progress call found an anomaly."), [], [Roles.Manager, Roles.Dispatcher]);
            return Task.CompletedTask;
        }, ct);
    }
}
