using System.Text.Json.Nodes;

namespace Fieldline.Web.Features.Policy;

/// <summary>What an assessment item measures when the system can fill it in (EVL, ASM): the rest are scored by the supervisor.</summary>
public enum AssessmentMeasure { None, OnTimeRate, Complaints, Satisfaction, Attendance }

/// <summary>
/// One item of the company's monthly assessment form (<c>assessment.items[]</c>): its key, its weight, and either what the
/// system measures for it (with the points one complaint, late day or absence costs) or the ASM criteria the supervisor
/// checks (<c>ASM-1..ASM-29</c>), scored 0–100.
/// </summary>
public sealed record AssessmentItem(string Key, decimal Weight, AssessmentMeasure Measure, string? Criteria,
    decimal PointsPerComplaint, decimal PointsPerLate, decimal PointsPerAbsence)
{
    public bool Manual => Measure == AssessmentMeasure.None;
}

/// <summary>The monthly assessment form (the 第13篇 assessment standard as data): items, weights and the pass mark (a percentage).</summary>
public sealed record AssessmentForm(IReadOnlyList<AssessmentItem> Items, decimal? PassScorePercent);

public sealed partial class CompanyPolicy
{
    /// <summary>
    /// The company's assessment form (<c>assessment.items</c>, <c>assessment.passScorePercent</c>); an empty form when the
    /// policy has none. The regulation gives the criteria but no weights or pass mark: the company sets them (§26).
    /// </summary>
    public AssessmentForm Assessment => _assessment ??= ReadAssessment();

    private AssessmentForm? _assessment;

    private AssessmentForm ReadAssessment()
    {
        var node = Parameters["assessment"] as JsonObject;
        var items = (node?["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => new AssessmentItem(
            (string)i["key"]!,
            (decimal?)i["weight"] ?? 0m,
            Enum.TryParse<AssessmentMeasure>((string?)i["measure"], ignoreCase: true, out var m) ? m : AssessmentMeasure.None,
            (string?)i["criteria"],
            (decimal?)i["pointsPerComplaint"] ?? 0m,
            (decimal?)i["pointsPerLate"] ?? 0m,
            (decimal?)i["pointsPerAbsence"] ?? 0m)).Where(i => i.Weight > 0).ToList();
        return new AssessmentForm(items, (decimal?)node?["passScorePercent"]);
    }
}
