using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Calls;

public sealed record RecordCallRequest(string? Kind, string? CallerName, string? CallerPhone, string? Summary, string? Outcome, string? ForwardedTo,
    bool? Urgent, string? WorkOrderCode, int? BranchId);

public sealed record CallDto(long Id, int BranchId, DateTimeOffset ReceivedAt, string Kind, string? CallerName, string? CallerPhone, string Summary,
    string Outcome, string? ForwardedTo, bool Urgent, long? WorkOrderId, string? WorkOrderCode, int RecordedByUserId, string? RecordedBy)
{
    /// <summary>The record with its time in the branch's zone, its order's number and who recorded it (by name).</summary>
    public static CallDto From(CallRecord c, TimeZoneInfo zone, string? orderCode, string? recordedBy) => new(c.Id, c.BranchId, BranchTime.Local(c.ReceivedAt, zone),
        JsonNames.Of(c.Kind), c.CallerName, c.CallerPhone, c.Summary, JsonNames.Of(c.Outcome), c.ForwardedTo, c.Urgent, c.WorkOrderId, orderCode, c.RecordedByUserId, recordedBy);
}

/// <summary>
/// 来电登记: the clerk (or, out of hours and on holidays, the supervisor — INT-10) records every customer call, letter or
/// visit (INT-04/05) with what was done: solved on the phone (INT-21), an order created (its number), or handed to the
/// department responsible — whose people are told at once. An urgent matter is reported upward at once: the branch's
/// managers and supervisor are notified (INT-05).
/// </summary>
public sealed class RecordCall(AppDbContext db, TimeProvider clock, BranchZones zones)
{
    public static readonly string[] Recorders = [.. Roles.Intake, Roles.Supervisor];

    /// <summary>The departments a call is handed to, by the role that answers for them.</summary>
    public static readonly string[] ForwardTargets = [Roles.Dispatcher, Roles.ComplaintHandler, Roles.ReturnVisitAgent, Roles.WarehouseKeeper, Roles.Finance, Roles.Supervisor, Roles.Manager];

    public async Task<CallDto> Handle(CurrentUser user, RecordCallRequest r, CancellationToken ct)
    {
        user.RequireAny("record customer calls", Recorders);
        var v = new Validator();
        var kind = v.Enum<CallKind>(r.Kind ?? "phone", "kind", kind: "callKind");
        var outcome = v.Enum<CallOutcome>(r.Outcome, "outcome", kind: "callOutcome");
        v.RequiredText(r.Summary, 1000, "summary").MaxLength(r.CallerName, 100, "callerName");
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(r.CallerPhone) && (phone = PhoneNumber.Normalize(r.CallerPhone)) is null) v.Add("callerPhone", PhoneNumber.Rule);
        if (kind == CallKind.Phone && string.IsNullOrWhiteSpace(r.CallerPhone)) v.Add("callerPhone", "{0} is required for a phone call.");
        var branchId = r.BranchId ?? user.BranchId;
        if (!user.CanSeeBranch(branchId) || !await zones.Exists(branchId, ct)) v.Add("branchId", "Branch {1} does not exist.", branchId);
        string? forwardedTo = null;
        if (outcome == CallOutcome.Forwarded)
        {
            if (string.IsNullOrWhiteSpace(r.ForwardedTo)) v.Add("forwardedTo", "{0} is required when the call is handed on.");
            else if (!ForwardTargets.Contains(r.ForwardedTo)) v.Add("forwardedTo", "{0}: '{1}' is not one of the allowed values: {2}.", r.ForwardedTo, Msg.Join(ForwardTargets.Select(t => Msg.Choice("role", t))));
            else forwardedTo = r.ForwardedTo;
        }
        (long Id, string Code)? order = null;
        if (outcome == CallOutcome.OrderCreated)
        {
            var code = r.WorkOrderCode?.Trim();
            if (string.IsNullOrEmpty(code)) v.Add("workOrderCode", "{0} is required when an order was created.");
            else if (await db.WorkOrders.AsNoTracking().Where(o => o.Code == code && o.BranchId == branchId).Select(o => new { o.Id, o.Code }).FirstOrDefaultAsync(ct) is { } found)
                order = (found.Id, found.Code);
            else v.Add("workOrderCode", "No order has this number.");
        }
        v.ThrowIfInvalid();

        var now = clock.GetUtcNow();
        var call = new CallRecord
        {
            BranchId = branchId, ReceivedAt = now, Kind = kind!.Value, CallerName = r.CallerName?.Trim() is { Length: > 0 } n ? n : null, CallerPhone = phone,
            Summary = r.Summary!.Trim(), Outcome = outcome!.Value, ForwardedTo = forwardedTo, Urgent = r.Urgent ?? false, WorkOrderId = order?.Id, RecordedByUserId = user.UserId,
        };
        db.CallRecords.Add(call);
        var who = Msg.Verbatim(call.CallerName ?? call.CallerPhone ?? "");
        if (call.Urgent)
            Notifications.Notify.Queue(db, now, "urgentCall", branchId, order?.Id, Msg.Of("Urgent customer call: {0}", who), Msg.Verbatim(call.Summary), [], [Roles.Manager, Roles.Supervisor]);
        if (forwardedTo is not null)
            Notifications.Notify.Queue(db, now, "callForwarded", branchId, null, Msg.Of("A customer call was handed to you: {0}", who), Msg.Verbatim(call.Summary), [], [forwardedTo]);
        await db.SaveChangesAsync(ct);
        var by = await db.Users.AsNoTracking().Where(u => u.Id == user.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        return CallDto.From(call, await zones.For(branchId, ct), order?.Code, by);
    }
}
