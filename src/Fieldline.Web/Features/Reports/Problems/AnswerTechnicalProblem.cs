using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Problems;

/// <summary><c>answer</c>: the technical department's solution or improvement (required, at most 4000 characters).</summary>
public sealed record TechnicalAnswerRequest(string? Answer);

/// <summary>
/// RPT-02 / RPT-09: the technical department's answer to a problem, recorded by a manager (the system has no technical
/// department role: head office's manager, or the branch's, records what the department answered). Answered once
/// (a second answer is a 409); whoever raised the problem is told in-app.
/// </summary>
public sealed class AnswerTechnicalProblem(AppDbContext db, BranchZones zones, FindTechnicalProblems find, TimeProvider clock)
{
    public static readonly string[] Answerers = [Roles.Admin, Roles.Manager];

    public async Task<TechnicalProblemDto> Handle(CurrentUser user, long id, TechnicalAnswerRequest r, CancellationToken ct)
    {
        user.RequireAny("answer a technical problem", Answerers);
        var problem = await db.Set<TechnicalProblem>().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (problem is null || !user.CanSeeBranch(problem.BranchId)) throw new NotFoundException("Technical problem", id);
        var v = new Validator();
        v.RequiredText(r.Answer, 4000, "answer");
        v.ThrowIfInvalid();
        var now = clock.GetUtcNow();
        problem.Reply(r.Answer!.Trim(), user.UserId, now);
        Notify.Queue(db, now, "technicalProblemAnswered", problem.BranchId, problem.WorkOrderId, Msg.Of("The technical department answered: {0}", problem.ProductModel),
            Msg.Of("Answer on {0}: {1}", problem.ProductModel, problem.Answer!), [problem.RaisedByUserId], []);
        await db.SaveChangesAsync(ct);
        return (await find.Dtos([problem], await zones.For(problem.BranchId, ct), null, ct))[0];
    }
}
