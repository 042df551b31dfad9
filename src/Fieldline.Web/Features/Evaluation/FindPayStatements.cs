using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <param name="Kind">earning, bonus, subsidy, deduction (a fine, a charge), sanction (a confirmed penalty whose step costs no money: a warning, a
/// revoked eligibility — amount 0, not a money line) or reversal (an appeal gave a fine back, a daily bonus taken back or paid back).</param>
/// <param name="WorkOrderIds">The orders the line pays for (a piece rate's, a volume bonus's, a subsidy's, a bonus taken back); empty when none is behind it.</param>
/// <param name="Posted">On the ledger; false: computed from the orders of the open month, posted when the month is closed.</param>
/// <param name="Orders">The same orders with their numbers, to show and link (<c>/orders/{id}</c>).</param>
public sealed record PayStatementLineDto(string Kind, decimal Amount, string? RuleId, string Description, IReadOnlyList<long> WorkOrderIds, long? PenaltyCaseId, bool Posted,
    IReadOnlyList<PayStatementOrderDto> Orders);

/// <summary>An order behind a statement line: its id and its number.</summary>
public sealed record PayStatementOrderDto(long Id, string Code);

public sealed record PayStatementTotalsDto(decimal Earning, decimal Bonus, decimal Subsidy, decimal Deduction, decimal Reversal);

/// <summary>The person's assessment of the month on the company's form (<see cref="FindAssessments"/>), as the statement shows it.</summary>
/// <param name="Total">The weighted score 0–100 over the items scored so far; null when nothing is scored.</param>
/// <param name="Complete">Every item has a score; while false the total is provisional and <paramref name="Passed"/> is null.</param>
/// <param name="Passed">The total reaches <paramref name="PassScorePercent"/>; null while incomplete or without a pass mark.</param>
/// <param name="Status">passed, failed, incomplete or noPassMark.</param>
/// <param name="Text">The same, in the reader's language ("78.5 分,未通过(及格 80 分)" / "未评完:78.5 分(暂定)").</param>
public sealed record PayStatementAssessmentDto(decimal? Total, bool Complete, bool? Passed, decimal? PassScorePercent, string Status, string Text)
{
    public static PayStatementAssessmentDto From(AssessmentDto a, decimal? pass)
    {
        var total = a.Total is { } t ? t.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) : "—";
        var status = !a.Complete ? "incomplete" : a.Passed is null ? "noPassMark" : a.Passed.Value ? "passed" : "failed";
        var passText = pass?.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) ?? "";
        var text = status switch
        {
            "incomplete" => Msg.Of("Assessment incomplete: {0} points so far (provisional)", total),
            "passed" => Msg.Of("Assessment {0} points: passed (pass mark {1})", total, passText),
            "failed" => Msg.Of("Assessment {0} points: failed (pass mark {1})", total, passText),
            _ => Msg.Of("Assessment {0} points (no pass mark set)", total),
        };
        return new(a.Total, a.Complete, a.Passed, pass, status, text.Render());
    }
}

/// <summary>One person's pay statement of a month: every line, the totals by kind, and the total (the sum of the lines).</summary>
/// <param name="EligibilityReasons">Why the month's evaluation eligibility was revoked (EVL), one text per trigger with its rule id, in the reader's language.</param>
/// <param name="Assessment">The month's assessment score and pass/fail; null when the company's form has no items or the person is not assessed (not a technician).</param>
public sealed record PayStatementDto(int PersonUserId, string? PersonName, int BranchId, string Month, bool Closed, IReadOnlyList<PayStatementLineDto> Lines,
    PayStatementTotalsDto Totals, decimal Total, bool EligibilityRevoked, IReadOnlyList<string> EligibilityReasons, PayStatementAssessmentDto? Assessment);

/// <summary>
/// The month's statements, one per person in name order. <paramref name="Items"/> is produced while the answer is written
/// (a few dozen people at a time), so a branch of thousands is never held whole; <paramref name="Total"/> is known first:
/// everyone matching, of whom a page asked for holds only its share.
/// </summary>
public sealed record PayStatementPage(string Month, IAsyncEnumerable<PayStatementDto> Items, int Total);

/// <summary>
/// The month's pay statements: what the ledger holds (fines as deductions, appeal reversals, and — once the month is
/// closed — the earnings, bonuses and subsidies posted at the close) and, while the month is open, what the pay run
/// computes from the orders. A technician reads their own; finance, managers and admins their branch's (head office any).
/// </summary>
public sealed class FindPayStatements(AppDbContext db, BranchZones zones, TimeProvider clock, ComputePay pay, FindAssessments assessments)
{
    /// <summary>
    /// How many people's statements are read and computed at a time: the process holds one group's orders, lines and order
    /// numbers, whatever the size of the branch (issue 15: memory flat in the number of people).
    /// </summary>
    internal const int PeoplePerRead = 50;

    /// <param name="page">With <paramref name="pageSize"/>: only that page of the people (1-based, up to 200 a page); without either, everyone.</param>
    /// <param name="name">Only people whose name contains it (case-insensitive).</param>
    public async Task<PayStatementPage> Handle(CurrentUser user, string? month, int? personUserId, int? branchId, CancellationToken ct,
        int? page = null, int? pageSize = null, string? name = null)
    {
        var (skip, take) = page is null && pageSize is null ? (0, int.MaxValue) : Paging.Check(page, pageSize);
        var zone = await zones.For(user.BranchId, ct);
        var m = month is null ? PayPeriod.Of(clock.GetUtcNow(), zone)
            : PayPeriod.Require(month);
        int branch;
        if (user.IsOnlyTechnician || (personUserId == user.UserId && !user.IsAny(FindPayLedger.Readers)))
        {
            if (personUserId is { } p && p != user.UserId) return Empty(m);
            personUserId = user.UserId;
            branch = user.BranchId;
        }
        else
        {
            user.RequireAny("read pay statements", FindPayLedger.Readers);
            branch = branchId ?? user.BranchId;
            if (personUserId is { } p)
                branch = await db.Users.AsNoTracking().Where(u => u.Id == p).Select(u => (int?)u.BranchId).FirstOrDefaultAsync(ct) ?? -1;
            if (!user.CanSeeBranch(branch)) return Empty(m);
        }
        var people = await People(branch, m, personUserId, ct);
        if (name?.Trim() is { Length: > 0 } part) people = people.Where(p => p.Name.Contains(part, StringComparison.OrdinalIgnoreCase)).ToList();
        var shown = people.Skip(skip).Take(take).ToList();
        return new PayStatementPage(PayPeriod.Name(m), Statements(branch, m, shown, personUserId, ct), people.Count);
    }

    private static PayStatementPage Empty(DateOnly month) => new(PayPeriod.Name(month), AsyncEnumerable.Empty<PayStatementDto>(), 0);

    /// <summary>Everyone with a statement in the branch's month, in name order: every technician of the branch and every person with a line on its ledger.</summary>
    private async Task<List<(int Id, string Name)>> People(int branchId, DateOnly month, int? personUserId, CancellationToken ct)
    {
        var ids = (await db.PayLedger.AsNoTracking().Where(e => e.BranchId == branchId && e.Period == month && (personUserId == null || e.PersonUserId == personUserId))
            .Select(e => e.PersonUserId).Distinct().ToListAsync(ct)).ToHashSet();
        ids.UnionWith(await db.Technicians.AsNoTracking().Where(t => t.BranchId == branchId && (personUserId == null || t.UserId == personUserId)).Select(t => t.UserId).ToListAsync(ct));
        if (personUserId is { } only) ids.Add(only);
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        return names.OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Select(u => (u.Id, u.DisplayName)).ToList();
    }

    /// <summary>The statements of <paramref name="people"/>, a group at a time (<see cref="PeoplePerRead"/>), each group's lines, order numbers and eligibility read together.</summary>
    private async IAsyncEnumerable<PayStatementDto> Statements(int branchId, DateOnly month, List<(int Id, string Name)> people, int? personUserId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (people.Count == 0) yield break;
        var closed = await db.PayPeriodCloses.AsNoTracking().AnyAsync(p => p.BranchId == branchId && p.Month == month, ct);
        var scores = await Scores(branchId, month, personUserId, ct);
        var name = PayPeriod.Name(month);
        var groups = 0;
        foreach (var group in people.Chunk(PeoplePerRead))
        {
            if (++groups % GroupsBetweenCollections == 0) CollectWhatWasWritten();
            var ids = group.Select(p => p.Id).ToArray();
            var posted = await db.PayLedger.AsNoTracking().Where(e => e.BranchId == branchId && e.Period == month && ids.Contains(e.PersonUserId))
                .OrderBy(e => e.Id).ToListAsync(ct);
            // The computed lines' order numbers come with the orders the pay run reads; only the posted lines' are looked up.
            var codes = new Dictionary<long, string>();
            var computed = closed ? [] : await pay.For(branchId, month, ids, null, ct, codes);
            var revoked = (await db.EligibilityCounters.AsNoTracking().Where(c => c.Month == month && c.RevokedAt != null && ids.Contains(c.PersonUserId))
                .OrderBy(c => c.RevokedAt).Select(c => new { c.PersonUserId, c.Kind, c.RuleId }).ToListAsync(ct))
                .ToLookup(c => c.PersonUserId, c => Msg.Of("{0} ({1})", Msg.Code("eligibility", c.Kind), c.RuleId ?? "").Render());
            await Codes(codes, posted.SelectMany(e => e.WorkOrderIds).Where(id => !codes.ContainsKey(id)).ToHashSet(), ct);
            List<PayStatementOrderDto> Orders(IReadOnlyList<long> orderIds) => orderIds.Select(id => new PayStatementOrderDto(id, codes.GetValueOrDefault(id, ""))).ToList();
            var postedOf = posted.ToLookup(e => e.PersonUserId);
            var computedOf = computed.ToLookup(c => c.PersonUserId);
            foreach (var (person, personName) in group)
            {
                var lines = postedOf[person].Select(e => new PayStatementLineDto(KindOf(e.Kind, e.Amount), e.Amount, e.RuleIds.Length == 0 ? null : e.RuleIds.Split(',')[0],
                        StoredText.Render(e.Description), e.WorkOrderIds, e.PenaltyCaseId, true, Orders(e.WorkOrderIds)))
                    .Concat(computedOf[person].Select(c => new PayStatementLineDto(KindOf(c.Kind, c.Amount), c.Amount, c.RuleIds.Split(',')[0], c.Description.Render(),
                        c.WorkOrderIds, null, false, Orders(c.WorkOrderIds))))
                    .ToList();
                decimal Sum(string kind) => lines.Where(l => l.Kind == kind).Sum(l => l.Amount);
                yield return new PayStatementDto(person, personName, branchId, name, closed, lines,
                    new PayStatementTotalsDto(Sum("earning"), Sum("bonus"), Sum("subsidy"), Sum("deduction"), Sum("reversal")), lines.Sum(l => l.Amount), revoked.Contains(person),
                    revoked[person].ToList(), scores.GetValueOrDefault(person));
            }
        }
    }

    /// <summary>How many groups are written between two full collections (<see cref="CollectWhatWasWritten"/>).</summary>
    internal const int GroupsBetweenCollections = 5;

    /// <summary>
    /// A full, non-compacting collection every 250 people. Each group's statements live while they are written, long
    /// enough to be promoted to the oldest generation, where they stay as garbage until a full collection: without it a
    /// branch of 2,000 left the process ~90 MB larger than one of 500 (docs/benchmarks.md, "Month close"). The space freed is
    /// reused by the next groups, so the heap stays one group's size. A few collections of a ~40 MB live heap per month
    /// close, instead of making every request of the process pay for an eager collector (<c>System.GC.ConserveMemory</c>
    /// cost the write path 13 % of its throughput at 50 clients).
    /// </summary>
    internal static void CollectWhatWasWritten() => GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);

    /// <summary>Each person's assessment as the statement shows it: small per person (a score and a text), so read once for the branch, not once per group.</summary>
    private async Task<Dictionary<int, PayStatementAssessmentDto>> Scores(int branchId, DateOnly month, int? personUserId, CancellationToken ct)
    {
        var assessed = await assessments.For(branchId, await zones.For(branchId, ct), month, personUserId, ct);
        return assessed.People.ToDictionary(a => a.PersonUserId, a => PayStatementAssessmentDto.From(a, assessed.PassScorePercent));
    }

    /// <summary>The numbers of the orders behind the lines, read in chunks (one parameter each: an array on PostgreSQL, JSON on SQLite).</summary>
    private async Task Codes(Dictionary<long, string> codes, HashSet<long> ids, CancellationToken ct)
    {
        foreach (var chunk in ids.Chunk(10_000))
            foreach (var o in await db.WorkOrders.AsNoTracking().Where(o => EF.Parameter(chunk).Contains(o.Id)).Select(o => new { o.Id, o.Code }).ToListAsync(ct))
                codes[o.Id] = o.Code;
    }

    /// <summary>A statement says deduction for a fine's line, and sanction for a fine that costs no money (never "a fine of 0").</summary>
    public static string KindOf(PayLedgerKind kind, decimal amount) => kind switch
    {
        PayLedgerKind.Fine when amount == 0 => Sanction,
        PayLedgerKind.Fine or PayLedgerKind.Charge => "deduction",
        PayLedgerKind.Commission => "earning",
        _ => JsonNames.Of(kind),
    };

    /// <summary>The kind of a statement line that holds no money: shown without an amount.</summary>
    public const string Sanction = "sanction";
}
