namespace Fieldline.Web.Infrastructure.Http;

public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

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
