using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

public sealed record ReviewDecision(bool? Uphold, string? Note);

/// <summary>
/// Dismissal reviews (DSM, regulations.md §25) opened by the rules, for a manager: listed with their trigger, reason and
/// evidence, and decided — upheld (the person is dismissed) or rejected (kept) — with a note. Never acted on automatically.
/// Used by <c>GET /api/dismissal-reviews</c>, <c>POST /api/dismissal-reviews/{id}/decide</c> and the console's penalty page.
/// </summary>
public sealed class DecideDismissalReview(AppDbContext db, TimeProvider clock)
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
        review.Decide(body.Uphold!.Value, user.UserName, body.Note!.Trim(), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return review;
    }
}
