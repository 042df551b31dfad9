using System.Globalization;
using Fieldline.Web.Features.Evaluation;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Evaluation;

/// <summary>
/// The monthly assessment (/manage/assessments): every technician of the branch on the company's form — the items the
/// system measures filled in, the supervisor's items scored here — with the total, pass or fail and the month's
/// eligibility beside it. Reads and scores through the same use cases as <c>GET /api/assessments</c> and
/// <c>PUT /api/assessments/{personUserId}/{month}</c>.
/// </summary>
public sealed class AssessmentsModel(FindAssessments find, ScoreAssessment score) : ConsolePage
{
    /// <summary>yyyy-MM; empty means the current month.</summary>
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    /// <summary>The person whose supervisor items are being scored.</summary>
    [BindProperty(SupportsGet = true)] public int? Person { get; set; }

    public AssessmentPage Assessments { get; private set; } = new("", 0, false, null, [], []);
    public AssessmentDto? Selected => Assessments.People.FirstOrDefault(p => p.PersonUserId == Person);
    public bool CanScore => Me.IsAny(ScoreAssessment.Scorers) && !Assessments.Closed;

    public static string Number(decimal? v) => v?.ToString("0.#", CultureInfo.InvariantCulture) ?? "—";

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostScore(int person, string month, int version, string? note, CancellationToken ct)
    {
        Month = month;
        Person = person;
        var scores = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (key, value) in Request.Form.Where(f => f.Key.StartsWith("score.", StringComparison.Ordinal)))
        {
            if (string.IsNullOrWhiteSpace(value)) continue;
            if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)) scores[key["score.".Length..]] = d;
            else ModelState.AddModelError("scores", T["{0}: {1} must be between 0 and 100 (one decimal).", T["Score"], value.ToString()]);
        }
        if (ModelState.IsValid && await Attempt(() => score.Handle(Me, person, month, ScoreAssessmentBody.Of(scores, note, version), null, ct)))
        {
            Flash = T["Saved."];
            return Redirect($"/manage/assessments?month={month}&person={person}");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("read assessments", FindAssessments.Readers);
        if (!await Attempt(async () => Assessments = await find.Handle(Me, string.IsNullOrEmpty(Month) ? null : Month, null, null, ct)))
            Assessments = await find.Handle(Me, null, null, null, ct);
        Month = Assessments.Month;
    }
}
