using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

public sealed record PayLedgerEntryDto(long Id, int BranchId, int PersonUserId, string Period, string Kind, decimal Amount, long? PenaltyCaseId,
    string RuleIds, string? RuleId, string Description, DateTimeOffset PostedAt, string PostedBy, IReadOnlyList<long> WorkOrderIds)
{
    public static PayLedgerEntryDto From(PayLedgerEntry e, TimeZoneInfo zone) => new(e.Id, e.BranchId, e.PersonUserId, PayPeriod.Name(e.Period),
        JsonNames.Of(e.Kind), e.Amount, e.PenaltyCaseId, e.RuleIds, e.RuleIds.Length == 0 ? null : e.RuleIds.Split(',')[0], StoredText.Render(e.Description),
        BranchTime.Local(e.PostedAt, zone), e.PostedBy, e.WorkOrderIds);
}

/// <summary>One person's sum for the month: what is added to (positive) or deducted from (negative) their pay.</summary>
public sealed record PersonTotalDto(int PersonUserId, string? PersonName, int Entries, decimal Total);

/// <summary>A page of the month's ledger lines (<c>items</c>, <c>total</c> as every list) and every person's sum over all of them.</summary>
public sealed record PayLedgerPage(string Month, IReadOnlyList<PayLedgerEntryDto> Items, int Total, IReadOnlyList<PersonTotalDto> Totals);

public sealed record PayLedgerQuery(string? Month, int? PersonUserId, bool? Mine, int? BranchId, int? Page, int? PageSize);

/// <summary>
/// The pay ledger of one month: a technician sees their own lines (mine is implied), finance, managers and admins their
/// branch's (head office every branch's), anyone their own with mine=true; other roles 403. A person or branch the caller
/// may not see gives an empty page, as the penalty-case list does.
/// </summary>
public sealed class FindPayLedger(AppDbContext db, BranchZones zones, TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.Finance, Roles.Manager, Roles.Admin];

    public async Task<PayLedgerPage> Handle(CurrentUser user, PayLedgerQuery q, CancellationToken ct)
    {
        var (skip, take) = Paging.Check(q.Page, q.PageSize);
        var month = q.Month is null ? PayPeriod.Of(clock.GetUtcNow(), await zones.For(user.BranchId, ct))
            : PayPeriod.Require(q.Month);
        var query = db.PayLedger.AsNoTracking().Where(e => e.Period == month);
        if (q.Mine == true || user.IsOnlyTechnician) query = query.Where(e => e.PersonUserId == user.UserId);
        else
        {
            user.RequireAny("read the pay ledger", Readers);
            if (!user.IsHeadOffice) query = query.Where(e => e.BranchId == user.BranchId);
        }
        if (q.PersonUserId is { } p) query = query.Where(e => e.PersonUserId == p);
        if (q.BranchId is { } b) query = query.Where(e => e.BranchId == b);

        // Summed here, not in SQL: SQLite cannot aggregate decimals; a branch's month is a few thousand lines at most.
        var amounts = await query.Select(e => new { e.PersonUserId, e.Amount }).ToListAsync(ct);
        var people = amounts.Select(a => a.PersonUserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var totals = amounts.GroupBy(a => a.PersonUserId)
            .Select(g => new PersonTotalDto(g.Key, names.GetValueOrDefault(g.Key), g.Count(), g.Sum(a => a.Amount)))
            .OrderBy(t => t.Total).ThenBy(t => t.PersonUserId).ToList();

        var rows = await query.OrderByDescending(e => e.Id).Skip(skip).Take(take).ToListAsync(ct);
        var items = new List<PayLedgerEntryDto>(rows.Count);
        foreach (var e in rows) items.Add(PayLedgerEntryDto.From(e, await zones.For(e.BranchId, ct)));
        return new PayLedgerPage(PayPeriod.Name(month), items, amounts.Count, totals);
    }
}
