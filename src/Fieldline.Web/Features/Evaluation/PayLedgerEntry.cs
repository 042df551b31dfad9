using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using System.Globalization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Sla;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fieldline.Web.Features.Evaluation;

/// <summary>
/// What a ledger line is. Stored by name, so the kinds still to come (bonus, subsidy, chargeback, reversal — FEE-11,
/// RWD-01…06, SC-21, SC-33) are new members and new factory methods, not a schema change.
/// </summary>
public enum PayLedgerKind { Fine, Reversal, Earning, Bonus, Subsidy, Charge, Commission }

/// <summary>
/// One line of a person's pay ledger: money added to (positive) or deducted from (negative) their pay in one pay month
/// of their branch. Append-only like the timeline (a SaveChanges guard and database triggers): a mistake is corrected by a
/// new line, never by editing or deleting one, so what was paid can always be explained.
/// </summary>
public sealed class PayLedgerEntry : IAppendOnly
{
    private PayLedgerEntry() { }

    public long Id { get; private set; }
    public int BranchId { get; private init; }
    public int PersonUserId { get; private init; }
    /// <summary>The pay month (the first of the month in the branch's time zone) this line is paid or deducted in.</summary>
    public DateOnly Period { get; private init; }
    public PayLedgerKind Kind { get; private init; }
    /// <summary>CNY; a deduction is negative.</summary>
    public decimal Amount { get; private init; }
    /// <summary>The confirmed penalty case a fine posts (unique: exactly one posting per case, whatever races or retries).</summary>
    public long? PenaltyCaseId { get; private init; }
    /// <summary>The line a reversal gives back (an appeal reduced or dismissed the fine it posted); unique: reversed once.</summary>
    public long? ReversalOfId { get; private init; }
    public string RuleIds { get; private init; } = "";
    /// <summary>
    /// The work orders a line pays for or takes back ("12,13,14"), so a statement drills down to them: a piece rate's,
    /// a volume bonus's (the day's, the month's accepted repairs), a subsidy's orders. Null when no order is behind the
    /// line (a fine without an order, such as absenteeism; the monthly repair subsidy is per person) and on lines posted before it was kept.
    /// A column of the line rather than a link table: the close posts thousands of lines with up to hundreds of orders
    /// each, and nothing but the statement (and the daily bonus's take-back, per person) reads them.
    /// </summary>
    public string? OrderIds { get; private init; }
    public string Description { get; private init; } = "";

    /// <summary><see cref="OrderIds"/> as ids.</summary>
    public IReadOnlyList<long> WorkOrderIds => ParseOrderIds(OrderIds);

    public static IReadOnlyList<long> ParseOrderIds(string? ids) => string.IsNullOrEmpty(ids) ? []
        : ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToList();

    private static string? JoinOrderIds(IEnumerable<long> ids)
    {
        var text = string.Join(',', ids.Distinct().Select(x => x.ToString(CultureInfo.InvariantCulture)));
        return text.Length == 0 ? null : text;
    }
    public DateTimeOffset PostedAt { get; private init; }
    public string PostedBy { get; private init; } = "";

    /// <summary>
    /// What a fine's line says, as the penalty case names it (the rule's name in the reader's language, 罚款:旷工): the
    /// rule id is the line's own column. A case whose step costs no money (a warning, a revoked eligibility: PEN-61's 2nd
    /// offence, PEN-37's 1st) is no fine of 0 but a sanction without money; the statement shows it apart from the money
    /// lines (<see cref="FindPayStatements.KindOf"/>). Lines posted before this say "罚款 PEN-xx" and still read so.
    /// </summary>
    private static Msg FineText(PenaltyCase c)
    {
        var name = Msg.Code("fine", c.PenaltyKey);
        if (c.Amount == 0) return Msg.Of("Sanction without a fine: {0}", name);
        return c.Count > 1 ? Msg.Of("Fine: {0} × {1}", name, c.Count) : Msg.Of("Fine: {0}", name);
    }

    /// <summary>
    /// The deduction a confirmed penalty case posts: its amount, negative, in <paramref name="period"/>'s pay month, naming
    /// the case's order (<see cref="OrderIds"/>) as a bonus line names its orders. Only <see cref="PenaltyCase.Confirm"/>
    /// calls this, so a confirmation cannot happen without its posting.
    /// </summary>
    internal static PayLedgerEntry Fine(PenaltyCase c, PayPeriod period, string by, DateTimeOffset now) => new()
    {
        BranchId = c.BranchId, PersonUserId = c.PersonUserId, Period = period.Month, Kind = PayLedgerKind.Fine, Amount = -c.Amount,
        PenaltyCaseId = c.Id == 0 ? null : c.Id, // a case confirmed in the unit of work that proposed it gets its id from the navigation
        RuleIds = c.RuleIds, PostedAt = now, PostedBy = by, OrderIds = c.WorkOrderId is { } order ? JoinOrderIds([order]) : null,
        // A Msg (JSON): the ledger reads in each reader's language.
        Description = (period.Deferred
            ? Msg.Of("{0}; {1} was already closed, so it is deducted in {2}.", FineText(c), PayPeriod.Name(period.Natural), PayPeriod.Name(period.Month))
            : FineText(c)).ToJson().ToJsonString(),
    };

    /// <summary>
    /// What an appeal gives back of a fine's posting (positive: money returned), in <paramref name="period"/>. Only
    /// <see cref="PenaltyCase.DecideAppeal"/> calls this; the posting itself stays as it was.
    /// </summary>
    internal static PayLedgerEntry Reversal(PenaltyCase c, PayLedgerEntry posting, decimal amount, PayPeriod period, string by, DateTimeOffset now)
    {
        var text = Msg.Of("Appeal on fine {0} (case {1}): {2} given back", Msg.Code("fine", c.PenaltyKey), c.Id, Format.Money(amount));
        return new()
        {
            BranchId = c.BranchId, PersonUserId = c.PersonUserId, Period = period.Month, Kind = PayLedgerKind.Reversal, Amount = amount, ReversalOfId = posting.Id,
            RuleIds = c.RuleIds, PostedAt = now, PostedBy = by, OrderIds = c.WorkOrderId is { } order ? JoinOrderIds([order]) : null,
            Description = (period.Deferred
                ? Msg.Of("{0}; {1} was already closed, so it is paid in {2}.", text, PayPeriod.Name(period.Natural), PayPeriod.Name(period.Month))
                : text).ToJson().ToJsonString(),
        };
    }

    /// <summary>
    /// A person's share of something the company paid for or lent (HR-06: half the uniform; HR-09: borrowed materials settled
    /// in money), negative; or (<see cref="PayLedgerKind.Commission"/>) a leaver's withheld commission paid on the payday
    /// after offboarding (HR-10/11), positive. HR's use cases (Features/People) post them.
    /// </summary>
    public static PayLedgerEntry Hr(int branchId, int person, PayLedgerKind kind, decimal amount, string ruleIds, Msg description, PayPeriod period, string by, DateTimeOffset now) => new()
    {
        BranchId = branchId, PersonUserId = person, Period = period.Month, Kind = kind, Amount = amount, RuleIds = ruleIds, PostedAt = now, PostedBy = by,
        Description = (period.Deferred
            ? Msg.Of("{0}; {1} was already closed, so it is booked in {2}.", description, PayPeriod.Name(period.Natural), PayPeriod.Name(period.Month))
            : description).ToJson().ToJsonString(),
    };

    /// <summary>
    /// A bonus posted at a month's close taken back (SC-33 edge: a complaint about that day came after the close): negative,
    /// linked to the bonus line (<see cref="ReversalOfId"/>, unique: taken back once), in the first open month, saying so.
    /// </summary>
    internal static PayLedgerEntry TakeBack(PayLedgerEntry bonus, Msg text, PayPeriod period, string by, DateTimeOffset now) => new()
    {
        BranchId = bonus.BranchId, PersonUserId = bonus.PersonUserId, Period = period.Month, Kind = PayLedgerKind.Reversal, Amount = -bonus.Amount, ReversalOfId = bonus.Id,
        RuleIds = bonus.RuleIds, OrderIds = bonus.OrderIds, PostedAt = now, PostedBy = by,
        Description = (period.Deferred
            ? Msg.Of("{0}; {1} was already closed, so it is deducted in {2}.", text, PayPeriod.Name(period.Natural), PayPeriod.Name(period.Month))
            : text).ToJson().ToJsonString(),
    };

    /// <summary>
    /// A daily bonus taken back for a complaint paid back, because that complaint was not upheld (rejected) and no other
    /// complaint about the day stands (SC-33, RWD-01: the bonus is lost only when the day's orders were complained of):
    /// positive, linked to the take-back line (<see cref="ReversalOfId"/>, unique: paid back once), in the first open
    /// month, saying so. A later complaint about the day takes it back again, linked to this line.
    /// </summary>
    internal static PayLedgerEntry PayBack(PayLedgerEntry takeBack, Msg text, PayPeriod period, string by, DateTimeOffset now) => new()
    {
        BranchId = takeBack.BranchId, PersonUserId = takeBack.PersonUserId, Period = period.Month, Kind = PayLedgerKind.Reversal, Amount = -takeBack.Amount, ReversalOfId = takeBack.Id,
        RuleIds = takeBack.RuleIds, OrderIds = takeBack.OrderIds, PostedAt = now, PostedBy = by,
        Description = (period.Deferred
            ? Msg.Of("{0}; {1} was already closed, so it is paid in {2}.", text, PayPeriod.Name(period.Natural), PayPeriod.Name(period.Month))
            : text).ToJson().ToJsonString(),
    };

    /// <summary>An earning, bonus or subsidy the month's pay run computed: its rule id and the orders behind it (<see cref="OrderIds"/>).</summary>
    internal static PayLedgerEntry Pay(int branchId, int person, PayLedgerKind kind, decimal amount, string ruleIds, Msg description, IEnumerable<long> orders,
        DateOnly month, string by, DateTimeOffset now) => Pay(branchId, person, kind, amount, ruleIds, description, orders, new PayPeriod(month, month), by, now);

    /// <summary>
    /// As above, into <paramref name="period"/>: a line of a closed month found owing afterwards (a daily bonus whose only
    /// complaint was rejected after the close) is paid in the first open month, saying so.
    /// </summary>
    internal static PayLedgerEntry Pay(int branchId, int person, PayLedgerKind kind, decimal amount, string ruleIds, Msg description, IEnumerable<long> orders,
        PayPeriod period, string by, DateTimeOffset now) => new()
    {
        BranchId = branchId, PersonUserId = person, Period = period.Month, Kind = kind, Amount = amount, RuleIds = ruleIds, OrderIds = JoinOrderIds(orders),
        PostedAt = now, PostedBy = by,
        Description = (period.Deferred
            ? Msg.Of("{0}; {1} was already closed, so it is paid in {2}.", description, PayPeriod.Name(period.Natural), PayPeriod.Name(period.Month))
            : description).ToJson().ToJsonString(),
    };
}

/// <summary>
/// A pay month the branch's finance has closed (payroll done). A posting whose own month is closed goes to the first open
/// month after it (SC-33 edge: "otherwise it is deducted in the next payroll"). A close is final (append-only).
/// </summary>
public sealed class PayPeriodClose : IAppendOnly
{
    public int BranchId { get; init; }
    public DateOnly Month { get; init; }
    public DateTimeOffset ClosedAt { get; init; }
    public required string ClosedBy { get; init; }
}

/// <summary>Where a posting goes: its own month (<see cref="Natural"/>) or, when that is closed, the first open month after it.</summary>
public readonly record struct PayPeriod(DateOnly Natural, DateOnly Month)
{
    public bool Deferred => Month != Natural;

    public static string Name(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The pay month an instant falls in, as the branch counts it.</summary>
    public static DateOnly Of(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return new DateOnly(local.Year, local.Month, 1);
    }

    /// <summary>A month given as yyyy-MM within the input date range (<see cref="InputRules.MonthProblem"/>), or null.</summary>
    public static DateOnly? Parse(string? month) =>
        InputRules.MonthProblem("month", month) is null ? DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    /// <summary>A month given as yyyy-MM within the input date range; else a 400 naming <paramref name="field"/>.</summary>
    public static DateOnly Require(string? month, string field = "month") =>
        InputRules.MonthProblem(field, month) is { } why ? throw ValidationFailedException.For(field, why) : Parse(month)!.Value;
}

internal sealed class PayLedgerConfiguration : IEntityTypeConfiguration<PayLedgerEntry>, IEntityTypeConfiguration<PayPeriodClose>
{
    public void Configure(EntityTypeBuilder<PayLedgerEntry> b)
    {
        b.ToTable("PayLedgerEntries");
        b.HasIndex(x => x.PenaltyCaseId).IsUnique(); // one posting per case, even when two confirmations race
        // A posting is given back at most once. No foreign key: on SQLite adding one rebuilds the table, which would drop
        // the ledger's append-only triggers; lines are never deleted, so the reference cannot dangle.
        b.HasIndex(x => x.ReversalOfId).IsUnique();
        b.HasIndex(x => new { x.BranchId, x.Period });
        b.HasIndex(x => new { x.BranchId, x.PostedAt }); // the reports' fines and bonuses of a period
        b.HasIndex(x => new { x.PersonUserId, x.Period });
        b.Property(x => x.RuleIds).HasMaxLength(100);
        b.Property(x => x.Description).HasMaxLength(300);
        b.Property(x => x.PostedBy).HasMaxLength(64);
        b.Ignore(x => x.WorkOrderIds);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.PersonUserId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<PayPeriodClose> b)
    {
        b.HasKey(x => new { x.BranchId, x.Month }); // a month is closed once
        b.Property(x => x.ClosedBy).HasMaxLength(64);
        b.HasOne<Branch>().WithMany().HasForeignKey(x => x.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
