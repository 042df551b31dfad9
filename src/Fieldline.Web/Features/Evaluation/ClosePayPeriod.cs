using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

public sealed record ClosePayPeriodRequest(int? BranchId, string? Month);

public sealed record PayPeriodDto(int BranchId, string Month, DateTimeOffset ClosedAt, string ClosedBy)
{
    public static PayPeriodDto From(PayPeriodClose c, TimeZoneInfo zone) => new(c.BranchId, PayPeriod.Name(c.Month), BranchTime.Local(c.ClosedAt, zone), c.ClosedBy);
}

/// <summary>
/// Finance closes a branch's pay month once its payroll is done: from then on a fine whose own month it is goes to the
/// first open month after it. Only a month that has ended can be closed, and only once (409); a close is final.
/// </summary>
public sealed class ClosePayPeriod(AppDbContext db, BranchZones zones, TimeProvider clock, DatabaseOptions database, ComputePay pay)
{
    public static readonly string[] Closers = [Roles.Finance, Roles.Manager, Roles.Admin];

    public async Task<PayPeriodDto> Handle(CurrentUser user, ClosePayPeriodRequest r, CancellationToken ct)
    {
        user.RequireAny("close pay months", Closers);
        var v = new Validator();
        if (r.BranchId is null) v.Add("branchId", "{0} is required.");
        var month = PayPeriod.Parse(r.Month);
        if (month is null) v.Add("month", "{0} is required, as yyyy-MM.");
        v.ThrowIfInvalid();
        var branchId = r.BranchId!.Value;
        if (!user.CanSeeBranch(branchId) || !await db.Branches.AnyAsync(b => b.Id == branchId, ct)) throw new NotFoundException("Branch", branchId);
        var zone = await zones.For(branchId, ct);
        var now = clock.GetUtcNow();
        if (month >= PayPeriod.Of(now, zone))
            throw ValidationFailedException.For("month", "{0}: {1} has not ended yet in the branch; a pay month is closed after its last day.", r.Month);
        if (await IsClosed(branchId, month!.Value, ct)) throw AlreadyClosed(r.Month!, branchId);

        // The month's earnings, bonuses and subsidies are computed outside the write (the slow part), then posted in the
        // same commit as the close (the ledger refuses lines in a closed month). Computed a group of people at a time and
        // kept only as the rows to insert (their orders as one string each), so a branch of thousands is never held whole.
        var technicians = await db.Technicians.AsNoTracking().Where(t => t.BranchId == branchId).OrderBy(t => t.UserId).Select(t => t.UserId).ToListAsync(ct);
        var computed = new List<PayLedgerEntry[]>();
        var groups = 0;
        foreach (var group in technicians.Chunk(FindPayStatements.PeoplePerRead))
        {
            if (++groups % FindPayStatements.GroupsBetweenCollections == 0) FindPayStatements.CollectWhatWasWritten();
            computed.Add((await pay.For(branchId, month.Value, group, null, ct))
                .Select(l => PayLedgerEntry.Pay(branchId, l.PersonUserId, l.Kind, l.Amount, l.RuleIds, l.Description, l.WorkOrderIds, month.Value, user.UserName, now)).ToArray());
        }
        var close = new PayPeriodClose { BranchId = branchId, Month = month.Value, ClosedAt = now, ClosedBy = user.UserName };
        await db.BeginWriteAsync(ct);
        try
        {
            // Two closes of one month at once: on PostgreSQL the lock serialises them (SHARE ROW EXCLUSIVE conflicts with
            // itself, and with the postings in flight: a posting either committed before the close or sees it in the
            // ledger's trigger); on SQLite the write is the one writer's turn. So the second close reads the first one
            // here and answers 409, and never posts the month's lines a second time.
            if (database.IsPostgres) await db.Database.ExecuteSqlRawAsync(LockLedger, ct);
            if (await IsClosed(branchId, month.Value, ct)) throw AlreadyClosed(r.Month!, branchId);
            // A line that an earlier version's interrupted close posted without its close is not posted twice.
            var already = await db.PayLedger.AsNoTracking().Where(e => e.BranchId == branchId && e.Period == month && e.PenaltyCaseId == null && e.ReversalOfId == null)
                .Select(e => new { e.PersonUserId, e.Description }).ToListAsync(ct);
            var posted = already.Select(a => (a.PersonUserId, a.Description)).ToHashSet();
            // Each group's lines saved as a part (into the open write, then no longer tracked: a branch's 50,000 lines are
            // never tracked at once), then the close: one commit, so the lines and the close land together, and the
            // lines before the close, as the open-month trigger needs.
            foreach (var group in computed)
            {
                db.PayLedger.AddRange(group.Where(e => !posted.Contains((e.PersonUserId, e.Description))));
                await db.SaveAddedPartAsync(ct);
            }
            db.PayPeriodCloses.Add(close);
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e, "PayPeriodCloses"))
        {
            await db.RollbackWriteAsync();
            throw AlreadyClosed(r.Month!, branchId); // a close the checks above could not see (they should: defence in depth)
        }
        catch
        {
            await db.RollbackWriteAsync(); // anything else surfaces (a refused save of the ledger: 409 by its own rule, else 500)
            throw;
        }
        // The month's rows, computed and saved, are garbage now; a large branch's are collected here rather than left to
        // grow the process under the next request (docs/benchmarks.md, "Month close").
        if (technicians.Count > FindPayStatements.PeoplePerRead * FindPayStatements.GroupsBetweenCollections) FindPayStatements.CollectWhatWasWritten();
        return PayPeriodDto.From(close, zone);
    }

    public async Task<IReadOnlyList<PayPeriodDto>> Closed(CurrentUser user, int branchId, CancellationToken ct)
    {
        user.RequireAny("read closed pay months", FindPayLedger.Readers);
        if (!user.CanSeeBranch(branchId)) throw new NotFoundException("Branch", branchId);
        var zone = await zones.For(branchId, ct);
        var rows = await db.PayPeriodCloses.AsNoTracking().Where(p => p.BranchId == branchId).OrderByDescending(p => p.Month).Take(120).ToListAsync(ct);
        return rows.Select(p => PayPeriodDto.From(p, zone)).ToList();
    }

    private Task<bool> IsClosed(int branchId, DateOnly month, CancellationToken ct) =>
        db.PayPeriodCloses.AsNoTracking().AnyAsync(p => p.BranchId == branchId && p.Month == month, ct);

    private static ConflictException AlreadyClosed(string month, int branchId) => new(Msg.Of("Pay month {0} of branch {1} is already closed.", month, branchId), Msg.Of("Already closed"));

    private const string LockLedger = """LOCK TABLE "PayLedgerEntries" IN SHARE ROW EXCLUSIVE MODE""";
}
