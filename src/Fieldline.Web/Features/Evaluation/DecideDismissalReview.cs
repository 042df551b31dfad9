using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

public sealed record ReviewDecision(bool? Uphold, string? Note);

/// <summary>
/// Dismissal reviews (DSM, regulations.md §25) opened by the rules, for a manager: listed with their trigger, reason and
/// evidence, and decided — upheld (同意辞退: the person is dismissed) or rejected (留用: kept) — with a note. Never acted on
/// automatically. Upholding settles the fine that opened the review in the same save: the rule's sanction is the dismissal
/// and its money together ("dismissal + 500", PEN-79/DSM-04; "expulsion + 200", PEN-45/DSM-14), so a proposed case is
/// confirmed and posted to the pay ledger; keeping the person leaves the case for the normal confirm / dismiss and appeal path.
/// Used by <c>GET /api/dismissal-reviews</c>, <c>POST /api/dismissal-reviews/{id}/decide</c> and the console's penalty page.
/// </summary>
public sealed class DecideDismissalReview(AppDbContext db, TimeProvider clock, ProposePenaltyCase penalties)
{
    public static readonly string[] Readers = [Roles.Manager, Roles.Admin];

    public async Task<IReadOnlyList<DismissalReview>> List(CurrentUser user, string? state, CancellationToken ct)
    {
        user.RequireAny("read dismissal reviews", Readers);
        var v = new Validator();
        var st = v.Enum<ReviewState>(state, "state", required: false, kind: "review");
        v.ThrowIfInvalid();
        var query = db.DismissalReviews.AsNoTracking();
        if (!user.IsHeadOffice) query = query.Where(r => r.BranchId == user.BranchId);
        if (st is { } s) query = query.Where(r => r.State == s);
        return await query.OrderByDescending(r => r.Id).Take(500).ToListAsync(ct);
    }

    public async Task<DismissalReview> Handle(CurrentUser user, long id, ReviewDecision body, CancellationToken ct)
    {
        user.RequireAny("decide dismissal reviews", Readers);
        var v = new Validator().RequiredText(body.Note, 500, "note");
        if (body.Uphold is null) v.Add("uphold", "{0} (true: dismiss the person; false: keep them) is required.");
        v.ThrowIfInvalid();
        var review = await db.DismissalReviews.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (review is null || !user.CanSeeBranch(review.BranchId)) throw new NotFoundException("Dismissal review", id);
        var now = clock.GetUtcNow();
        review.Decide(body.Uphold!.Value, user.UserName, body.Note!.Trim(), now);
        // A fine that rests on a complaint still waits for the complaint's verification, which confirms it (CPL-20).
        if (body.Uphold == true && review.PenaltyCaseId is { } caseId
            && await db.PenaltyCases.FirstOrDefaultAsync(c => c.Id == caseId && c.State == PenaltyState.Proposed, ct) is { } fine
            && (fine.ComplaintId is not { } complaintId || await db.Complaints.AnyAsync(x => x.Id == complaintId && x.VerifiedAt != null, ct)))
            await penalties.Confirm(fine, user.UserName, ProposePenaltyCase.Note(Msg.Of("Confirmed with the dismissal review {0} it opened (upheld).", review.Id)), now, null, ct);
        await db.SaveChangesAsync(ct);
        return review;
    }
}
