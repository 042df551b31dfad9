using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Mobile;

public sealed record MonthOrderDto(long Id, string Code, string Type, string CustomerName, DateTimeOffset CompletedAt, bool EmptyTrip);

/// <summary>A missed deadline of the month, as the technician reads it.</summary>
public sealed record MonthBreachDto(long Id, long? WorkOrderId, string? WorkOrderCode, string Clock, string ClockName, bool IsTarget, string Text, DateTimeOffset DetectedAt);

/// <summary>A fine of the month (proposed, confirmed or dismissed) with its name and evidence as sentences.</summary>
/// <param name="Appeal">The appeal's state (pending, upheld, reduced, dismissed), <paramref name="AppealName"/> as the reader says it;
/// <paramref name="AppealUntil"/> when a confirmed fine not yet appealed may still be.</param>
public sealed record MonthFineDto(long Id, long? WorkOrderId, string RuleId, string Name, decimal Amount, string State, string StateName, string Evidence, DateTimeOffset CreatedAt,
    string? Appeal, string? AppealName, DateTimeOffset? AppealUntil, int Version);

/// <param name="LedgerTotal">The month's pay-ledger sum (fines negative), <paramref name="Ledger"/> its lines.</param>
public sealed record MonthSummaryDto(string Month, int Completed, int EmptyTrips, IReadOnlyList<MonthOrderDto> Items, decimal LedgerTotal, IReadOnlyList<PayLedgerEntryDto> Ledger,
    IReadOnlyList<MonthBreachDto> Breaches, IReadOnlyList<MonthFineDto> Fines);

/// <summary>
/// "My month" on the phone: the orders the technician finished since the first of the month in their branch's time
/// zone. The work-order list filters by creation time, so this reads completion time here instead. With them, what the
/// month's pay ledger holds for the technician (the fines confirmed into this pay month), from the ledger's own use case.
/// </summary>
public sealed class SummariseMyMonth(AppDbContext db, WorkOrderAccess access, BranchZones zones, TimeProvider clock, FindPayLedger ledger, Policy.RuleTexts rules, Policy.PolicyStore policies)
{
    public async Task<MonthSummaryDto> Handle(CurrentUser user, CancellationToken ct)
    {
        user.RequireAny("read their month", Roles.Technician);
        var technicianId = await db.Technicians.Where(t => t.UserId == user.UserId).Select(t => (int?)t.Id).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("Technician profile");
        var zone = await zones.For(user.BranchId, ct);
        var local = BranchTime.Local(clock.GetUtcNow(), zone);
        var firstLocal = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var from = new DateTimeOffset(firstLocal, zone.GetUtcOffset(firstLocal)).ToUniversalTime();
        var rows = await access.Visible(user).AsNoTracking()
            .Where(o => o.TechnicianId == technicianId && o.CompletedAt >= from)
            .Select(o => new { o.Id, o.Code, o.Type, Customer = o.Customer!.Name, o.CompletedAt, o.EmptyTrip })
            .ToListAsync(ct);
        var items = rows.OrderByDescending(r => r.CompletedAt)
            .Select(r => new MonthOrderDto(r.Id, r.Code, JsonNames.Of(r.Type), r.Customer, BranchTime.Local(r.CompletedAt!.Value, zone), r.EmptyTrip)).ToList();
        var pay = await ledger.Handle(user, new PayLedgerQuery($"{local:yyyy-MM}", null, Mine: true, null, 1, Paging.MaxPageSize), ct);
        // The month's missed deadlines and fines, written out as sentences in the technician's language (the phone shows them as they come).
        var facts = new Infrastructure.Localization.DataText(zone, clock.GetUtcNow());
        var breaches = await db.SlaBreaches.AsNoTracking().Where(b => b.ResponsibleUserId == user.UserId && b.DetectedAt >= from)
            .OrderByDescending(b => b.DetectedAt).Take(100)
            .Select(b => new { b.Id, b.WorkOrderId, Code = db.WorkOrders.Where(o => o.Id == b.WorkOrderId).Select(o => o.Code).FirstOrDefault(), b.Clock, b.RuleId, b.IsTarget, b.DueAt, b.ActualAt, b.DetectedAt }).ToListAsync(ct);
        var breachItems = breaches.Select(b => new MonthBreachDto(b.Id, b.WorkOrderId, b.Code, b.Clock, Infrastructure.Localization.Catalogue.Code("clock", b.Clock), b.IsTarget,
            facts.Evidence(System.Text.Json.JsonSerializer.SerializeToElement(new { clock = b.Clock, dueAt = b.DueAt, actualAt = b.ActualAt,
                lateMinutes = b.ActualAt is { } a ? Math.Round((a - b.DueAt).TotalMinutes) : (double?)null })),
            BranchTime.Local(b.DetectedAt, zone))).ToList();
        // This month's fines, and earlier ones confirmed lately (they may still be appealed).
        var lately = clock.GetUtcNow().AddDays(-31);
        var cases = await db.PenaltyCases.AsNoTracking().Where(c => c.PersonUserId == user.UserId && (c.CreatedAt >= from || c.DecidedAt >= lately))
            .OrderByDescending(c => c.CreatedAt).Take(100).ToListAsync(ct);
        // Who recorded them, by name ("登记人：王主管"), not by login: the few users the evidence names.
        var logins = cases.SelectMany(c => RecordedBy(c.EvidenceJson)).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => logins.Contains(u.UserName)).Select(u => new { u.UserName, u.DisplayName }).ToListAsync(ct);
        var fineFacts = new Infrastructure.Localization.DataText(zone, clock.GetUtcNow(), people: login => names.FirstOrDefault(n => n.UserName == login)?.DisplayName);
        var appealable = new Dictionary<long, DateTimeOffset>();
        var now = clock.GetUtcNow();
        foreach (var c in cases.Where(c => c.State == Evaluation.PenaltyState.Confirmed && c.Appeal is null && c.Amount > 0))
            if (Evaluation.AppealPenaltyCase.Deadline(c, await policies.ById(db, c.PolicyVersionId, ct)) is { } until && until >= now) appealable[c.Id] = BranchTime.Local(until, zone);
        var fineItems = cases.Select(c => new MonthFineDto(c.Id, c.WorkOrderId, c.RuleIds.Split(',')[0], rules.FineName(c.PenaltyKey, null, c.RuleIds), c.Amount,
            JsonNames.Of(c.State), Infrastructure.Localization.Catalogue.Code("penalty", JsonNames.Of(c.State)),
            fineFacts.Evidence(System.Text.Json.JsonDocument.Parse(c.EvidenceJson).RootElement), BranchTime.Local(c.CreatedAt, zone),
            c.Appeal is { } a ? JsonNames.Of(a) : null, c.Appeal is { } b ? Infrastructure.Localization.Catalogue.Code("appeal", JsonNames.Of(b)) : null,
            appealable.TryGetValue(c.Id, out var until) ? until : null, c.Version)).ToList();
        return new MonthSummaryDto($"{local:yyyy-MM}", items.Count, items.Count(i => i.EmptyTrip), items, pay.Totals.Sum(t => t.Total), pay.Items, breachItems, fineItems);
    }

    /// <summary>The user name an evidence's <c>recordedBy</c> holds, if any.</summary>
    private static IEnumerable<string> RecordedBy(string evidenceJson)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(evidenceJson);
        if (doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("recordedBy", out var by)
            && by.ValueKind == System.Text.Json.JsonValueKind.String && by.GetString() is { } login)
            return [login];
        return [];
    }
}
