using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Policy;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Evaluation;

/// <param name="Scores">
/// Item key → score 0–100 with one decimal, for the items of the form the supervisor scores (the measured ones are computed).
/// Read as they were sent, so that a wrong one is refused by its item's name and this rule, not as money or a JSON type.
/// </param>
/// <param name="Version">The assessment's version as read (0 before the first scoring): a stale one answers 409.</param>
public sealed record ScoreAssessmentBody(Dictionary<string, System.Text.Json.JsonElement>? Scores, string? Note, int? Version)
{
    public static ScoreAssessmentBody Of(IReadOnlyDictionary<string, decimal> scores, string? note, int? version) =>
        new(scores.ToDictionary(s => s.Key, s => System.Text.Json.JsonSerializer.SerializeToElement(s.Value)), note, version);
}

/// <summary>
/// <c>PUT /api/assessments/{personUserId}/{month}</c>: the supervisor scores the items of a technician's monthly
/// assessment that the system cannot measure (appearance, conduct — the ASM criteria). Scores merge into what was entered
/// before; a closed pay month is frozen (409); two supervisors scoring at once never overwrite each other (version).
/// </summary>
public sealed class ScoreAssessment(AppDbContext db, PolicyStore policies, BranchZones zones, FindAssessments find, TimeProvider clock)
{
    public static readonly string[] Scorers = [Roles.Supervisor, Roles.Manager, Roles.Admin];

    public async Task<AssessmentDto> Handle(CurrentUser user, int personUserId, string month, ScoreAssessmentBody body, IfMatchVersions? ifMatch, CancellationToken ct)
    {
        user.RequireAny("score assessments", Scorers);
        var m = PayPeriod.Require(month);
        var tech = await db.Technicians.AsNoTracking().FirstOrDefaultAsync(t => t.UserId == personUserId, ct);
        if (tech is null || !user.CanSeeBranch(tech.BranchId)) throw new NotFoundException(Msg.Of("Technician {0}", personUserId));
        var zone = await zones.For(tech.BranchId, ct);
        var now = clock.GetUtcNow();
        if (m > PayPeriod.Of(now, zone)) throw ValidationFailedException.For("month", "{0} may not be in the future.");

        var end = Sla.SlaMath.At(m.AddMonths(1), TimeOnly.MinValue, zone);
        var form = (await policies.InForce(db, end <= now ? end.AddTicks(-1) : now, ct)).Assessment;
        var manual = form.Items.Where(i => i.Manual).Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        var v = new Validator();
        if (body.Scores is null || body.Scores.Count == 0) v.Add("scores", "{0} is required: at least one item's score.");
        var scores = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (key, sent) in body.Scores ?? [])
        {
            if (!manual.Contains(key))
                v.Add("scores", "{0}: {1} is not an item the supervisor scores. Those items: {2}.", Msg.Verbatim(key),
                    manual.Count == 0 ? Msg.Of("none") : Msg.Join(manual.Select(k => Msg.Code("assessmentItem", k))));
            else if (sent.ValueKind != System.Text.Json.JsonValueKind.Number || !sent.TryGetDecimal(out var score)
                || score is < 0 or > 100 || decimal.Round(score, 1) != score)
                v.Add("scores", "{0}: {1} must be between 0 and 100 (one decimal).", Msg.Code("assessmentItem", key));
            else scores[key] = score;
        }
        v.MaxLength(body.Note, 1000, "note");
        v.ThrowIfInvalid();
        if (await db.PayPeriodCloses.AnyAsync(p => p.BranchId == tech.BranchId && p.Month == m, ct))
            throw new ConflictException(Msg.Of("Pay month {0} is closed: its assessments can no longer change.", PayPeriod.Name(m)), Msg.Of("Already closed"));

        var assessment = await db.Assessments.FirstOrDefaultAsync(a => a.PersonUserId == personUserId && a.Month == m, ct);
        Concurrency.Check("Assessment", assessment?.Version ?? 0, body.Version, ifMatch);
        if (assessment is null) db.Assessments.Add(assessment = new Assessment { BranchId = tech.BranchId, PersonUserId = personUserId, Month = m, Version = 1 });
        assessment.Score(scores, string.IsNullOrWhiteSpace(body.Note) ? assessment.Note : body.Note.Trim(), user.UserName, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        // Two first scorings of the same person and month: the unique (person, month) index lets one through. A later
        // scoring that lost a race is a DbUpdateConcurrencyException, run again (IdempotencyMiddleware); anything else surfaces.
        // The 409 is for a caller who sent the version 0 it read: one who sent none sent nothing stale, and the request is
        // run again, scoring over the first as if it had come second.
        catch (DbUpdateException e) when ((body.Version is not null || ifMatch is not null) && db.Entry(assessment).State == EntityState.Added && DbErrors.IsUniqueViolation(e, "Assessments"))
        {
            // Another supervisor scored the same person and month first: their scores stand until this one re-reads them.
            throw ConflictException.StaleVersion(Msg.Of("Assessment"), body.Version ?? 0, 1);
        }
        return (await find.For(tech.BranchId, zone, m, personUserId, ct)).People.Single();
    }
}
