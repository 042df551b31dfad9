namespace Fieldline.Web.Infrastructure.Http;

/// <summary>
/// A page of a list. <see cref="Next"/>, where a list offers it, is the cursor of the page after this one (pass it as
/// <c>after</c>): it costs the same on the thousandth page as on the first, where <c>page</c> re-reads every row before.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total)
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Next { get; init; }

    /// <summary>True when <see cref="Total"/> stopped counting at its cap: there are at least that many.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool TotalIsCapped { get; init; }
}

public static class Paging
{
    public const int MaxPageSize = 200;

    /// <summary>Validates 1-based page and pageSize (≤ 200) and returns how many rows to skip and take.</summary>
    public static (int Skip, int Take) Check(int? page, int? pageSize)
    {
        var v = new Validator();
        var p = page ?? 1;
        var s = pageSize ?? 50;
        if (p < 1) v.Add("page", "{0} starts at 1.");
        if (s is < 1 or > MaxPageSize) v.Add("pageSize", "{0} must be between 1 and {1}.", MaxPageSize);
        v.ThrowIfInvalid();
        return ((p - 1) * s, s);
    }
}
