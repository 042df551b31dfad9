using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Calls;

public sealed record CallQuery(int? BranchId, DateOnly? Date, string? Phone, string? Outcome, int? Page, int? PageSize);

/// <summary>The register of calls of a branch's local day (or all days) — by caller number, by outcome — newest first.</summary>
public sealed class FindCalls(AppDbContext db, BranchZones zones)
{
    public static readonly string[] Readers = [.. RecordCall.Recorders, Roles.ComplaintHandler, Roles.ReturnVisitAgent];

    public async Task<Page<CallDto>> Handle(CurrentUser user, CallQuery q, CancellationToken ct)
    {
        user.RequireAny("read the call register", Readers);
        var (skip, take) = Paging.Check(q.Page, q.PageSize);
        var v = new Validator();
        var outcome = v.Enum<CallOutcome>(q.Outcome, "outcome", required: false, kind: "callOutcome");
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(q.Phone) && (phone = PhoneNumber.Normalize(q.Phone)) is null) v.Add("phone", PhoneNumber.Rule);
        var branchId = q.BranchId ?? user.BranchId;
        if (!user.CanSeeBranch(branchId)) v.Add("branchId", "Branch {1} does not exist.", branchId);
        v.ThrowIfInvalid();
        var zone = await zones.For(branchId, ct);
        var calls = db.CallRecords.AsNoTracking().Where(c => c.BranchId == branchId);
        if (q.Date is { } day)
        {
            var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue))).ToUniversalTime();
            var to = from.AddDays(1);
            calls = calls.Where(c => c.ReceivedAt >= from && c.ReceivedAt < to);
        }
        if (phone is not null) calls = calls.Where(c => c.CallerPhone == phone);
        if (outcome is { } o) calls = calls.Where(c => c.Outcome == o);
        var total = await calls.CountAsync(ct);
        var rows = await calls.OrderByDescending(c => c.Id).Skip(skip).Take(take)
            .Select(c => new { Call = c, Code = db.WorkOrders.Where(w => w.Id == c.WorkOrderId).Select(w => w.Code).FirstOrDefault(),
                By = db.Users.Where(u => u.Id == c.RecordedByUserId).Select(u => u.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        return new Page<CallDto>(rows.Select(r => CallDto.From(r.Call, zone, r.Code, r.By)).ToList(), total);
    }
}
