namespace Fieldline.Web.Infrastructure.Http;

// Use cases report the outcomes the API contract names by throwing these; ProblemDetailsHandler maps each one to its
// status code. Nothing is saved when one is thrown, because handlers call SaveChangesAsync last.

/// <summary>400: the request is invalid; <see cref="Errors"/> names each bad field.</summary>
public sealed class ValidationFailedException(IDictionary<string, string[]> errors)
    : Exception("One or more fields are invalid.")
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public static ValidationFailedException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>404: the object does not exist or the caller may not see it (existence is not leaked).</summary>
public sealed class NotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>403: the caller's role may not do this.</summary>
public sealed class ForbiddenException(string detail) : Exception(detail);

/// <summary>409: an illegal state transition, a duplicate, or a stale version.</summary>
public sealed class ConflictException(string detail, string title = "Conflict") : Exception(detail)
{
    public string Title { get; } = title;

    public static ConflictException StaleVersion(string what, int sent, int current) =>
        new($"{what} was changed by someone else: you sent version {sent}, the current version is {current}. Reload and try again.", "Stale version");
}

/// <summary>Collects field errors and throws them all at once, so a client sees every problem in one answer.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validator Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public Validator Required(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, $"'{field}' is required.");
        return this;
    }

    public Validator MaxLength(string? value, int max, string field)
    {
        if (value is not null && value.Length > max) Add(field, $"'{field}' must be at most {max} characters (got {value.Length}).");
        return this;
    }

    public Validator RequiredText(string? value, int max, string field) => Required(value, field).MaxLength(value, max, field);

    public Validator Range(double? value, double min, double max, string field)
    {
        if (value is { } v && (double.IsNaN(v) || v < min || v > max)) Add(field, $"'{field}' must be between {min} and {max}.");
        return this;
    }

    /// <summary>Parses an enum given as its camelCase name; unknown names are an error that lists the allowed ones.</summary>
    public T? Enum<T>(string? value, string field, bool required = true) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, $"'{field}' is required. Allowed: {string.Join(", ", Names<T>())}.");
            return null;
        }
        foreach (var v in System.Enum.GetValues<T>())
            if (string.Equals(JsonNames.Of(v), value, StringComparison.Ordinal)) return v;
        Add(field, $"'{value}' is not a valid {field}. Allowed: {string.Join(", ", Names<T>())}.");
        return null;
    }

    private static IEnumerable<string> Names<T>() where T : struct, Enum => System.Enum.GetValues<T>().Select(v => JsonNames.Of(v));

    public void ThrowIfInvalid()
    {
        if (!IsValid) throw new ValidationFailedException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}

public static class JsonNames
{
    /// <summary>The camelCase wire name of an enum member (InProgress → inProgress).</summary>
    public static string Of<T>(T value) where T : struct, Enum
    {
        var s = value.ToString();
        return char.ToLowerInvariant(s[0]) + s[1..];
    }
}
