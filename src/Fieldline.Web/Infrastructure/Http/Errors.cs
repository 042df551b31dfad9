using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Infrastructure.Http;

// Use cases report the outcomes the API contract names by throwing these; ProblemDetailsHandler maps each one to its
// status code. Nothing is saved when one is thrown, because handlers call SaveChangesAsync last. Every refusal carries
// its text as a Msg, so it reads in the caller's language (the problem details, the console's message); the exception's
// own Message is the English text, for logs.

/// <summary>A refusal a person reads: its text in the catalogue, rendered in the reader's language.</summary>
public abstract class RefusalException(Msg text) : Exception
{
    public Msg Text { get; } = text;

    public override string Message => Text.Render(Catalogue.English);
}

/// <summary>400: the request is invalid; <see cref="Errors"/> names each bad field.</summary>
public sealed class ValidationFailedException(IReadOnlyDictionary<string, Msg[]> errors, string? scope = null)
    : RefusalException(Msg.Of("One or more fields are invalid: {0}.", string.Join(", ", errors.Keys)))
{
    public IReadOnlyDictionary<string, Msg[]> Errors { get; } = errors;

    /// <summary>Where the fields' labels are looked up first (<see cref="Validator(string?)"/>).</summary>
    public string? Scope { get; } = scope;

    /// <summary>The bad fields by their labels: "以下内容有误：出席人员。"</summary>
    public Msg Summary => Msg.Of("One or more fields are invalid: {0}.", Msg.Join(Errors.Keys.Select(k => Msg.Field(k, Scope))));

    /// <summary>The field errors in the current language (or <paramref name="culture"/>).</summary>
    public Dictionary<string, string[]> Rendered(System.Globalization.CultureInfo? culture = null) =>
        Errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.Render(culture)).ToArray());

    public static ValidationFailedException For(string field, Msg message) => new(new Dictionary<string, Msg[]> { [field] = [message] });

    /// <summary>One field's error: the template's {0} is the field's name in the reader's language, {1}… the values.</summary>
    public static ValidationFailedException For(string field, string template, params object?[] args) =>
        For(field, Msg.Of(template, [Msg.Field(field), .. args]));
}

/// <summary>404: the object does not exist or the caller may not see it (existence is not leaked).</summary>
public sealed class NotFoundException(Msg what) : RefusalException(Msg.Of("{0} was not found.", what))
{
    /// <summary>"Branch 5 was not found." — <paramref name="what"/> is an English noun of the catalogue.</summary>
    public NotFoundException(string what, object id) : this(Msg.Of("{0} {1}", Msg.Of(what), id)) { }

    public NotFoundException(string what) : this(Msg.Of(what)) { }
}

/// <summary>403: the caller's role may not do this.</summary>
public sealed class ForbiddenException(Msg detail) : RefusalException(detail)
{
    /// <summary>A sentence of the catalogue (its English text), with its values.</summary>
    public ForbiddenException(string text, params object?[] args) : this(Msg.Of(text, args)) { }
}

/// <summary>409: an illegal state transition, a duplicate, or a stale version.</summary>
public sealed class ConflictException(Msg detail, Msg? title = null) : RefusalException(detail)
{
    public Msg Title { get; } = title ?? Msg.Of("Conflict");

    public static ConflictException StaleVersion(Msg what, int sent, int current) =>
        new(Msg.Of("{0} was changed by someone else: you sent version {1}, the current version is {2}. Reload and try again.", what, sent, current),
            Msg.Of("Stale version"));
}

/// <summary>503: a service Fieldline relies on for this (the map service's address lookup) is not configured or did not answer.</summary>
public sealed class UnavailableException(Msg detail) : RefusalException(detail);

/// <summary>412: <c>If-Match</c> named a version that is no longer current.</summary>
public sealed class PreconditionFailedException(Msg detail) : RefusalException(detail);

/// <summary>
/// Collects field errors and throws them all at once, so a client sees every problem in one answer. A request whose field
/// names mean something of their own (a training's <c>present</c> are people, a kit check's are tools) names a
/// <paramref name="scope"/>: its fields' labels are looked up as <c>field.{scope}.{name}</c> first.
/// </summary>
public sealed class Validator(string? scope = null)
{
    private readonly Dictionary<string, List<Msg>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validator Add(string field, Msg message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    /// <summary>An error that says "{field label} …": the template's {0} is the field's name in the reader's language.</summary>
    public Validator Add(string field, string template, params object?[] args) => Add(field, Msg.Of(template, [Msg.Field(field, scope), .. args]));

    public bool Has(string field) => _errors.ContainsKey(field);

    public Validator Required(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, "{0} is required.");
        return this;
    }

    public Validator MaxLength(string? value, int max, string field)
    {
        if (value is not null && value.Length > max) Add(field, "{0} must be at most {1} characters (got {2}).", max, value.Length);
        return this;
    }

    public Validator RequiredText(string? value, int max, string field) => Required(value, field).MaxLength(value, max, field);

    public Validator Range(double? value, double min, double max, string field)
    {
        if (value is { } v && (double.IsNaN(v) || v < min || v > max)) Add(field, "{0} must be between {1} and {2}.", min, max);
        return this;
    }

    /// <summary>
    /// Parses an enum given as its camelCase name; an unknown name is an error that lists the allowed ones, each as its
    /// code with its name (<see cref="Msg.Choice"/>: <c>phone（来电）</c>). <paramref name="kind"/> is the catalogue's kind
    /// of the names (<c>callKind.phone</c>), the field's name by default; <paramref name="allowed"/> narrows the values a
    /// request may send (an appeal is decided upheld, reduced or dismissed — never back to pending).
    /// </summary>
    public T? Enum<T>(string? value, string field, bool required = true, string? kind = null, IReadOnlyCollection<T>? allowed = null) where T : struct, Enum
    {
        var values = allowed ?? System.Enum.GetValues<T>();
        var choices = Msg.Join(values.Select(v => Msg.Choice(kind ?? field, JsonNames.Of(v))));
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, "{0} is required. Allowed: {1}.", choices);
            return null;
        }
        foreach (var v in values)
            if (string.Equals(JsonNames.Of(v), value, StringComparison.Ordinal)) return v;
        Add(field, "{0}: '{1}' is not one of the allowed values: {2}.", value, choices);
        return null;
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid) throw new ValidationFailedException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), scope);
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
