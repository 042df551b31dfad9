using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Infrastructure.Http;

/// <summary>
/// What every value a client sends must be, whichever endpoint or page takes it, checked once where it is read:
/// text carries no control characters (a NUL is refused by PostgreSQL, and the rest only hide or spoof text), money has at
/// most two decimals, and dates fall between 1900 and 2100. JSON bodies are checked by converters, so the 400 names the
/// field through its JSON path; query strings and form fields by <see cref="UseInputRules"/>.
/// </summary>
public static class InputRules
{
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);
    public static readonly DateOnly LatestDate = new(2100, 12, 31);

    public static bool InRange(DateOnly day) => day >= EarliestDate && day <= LatestDate;

    /// <summary>
    /// A month as every endpoint and page takes it (yyyy-MM), within the date range: null when it is one, else why not.
    /// The range keeps month arithmetic (the month after, the last day) inside the calendar.
    /// </summary>
    public static Msg? MonthProblem(string field, string? text) =>
        !DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m)
            ? Msg.Of("{0} is a month written yyyy-MM, e.g. 2026-11.", Msg.Field(field))
            : InRange(m) ? null : RefusedInput.MonthOutOfRange(field);

    /// <summary>
    /// A query parameter that names a day or an instant (<c>date</c>, <c>day</c>, <c>from</c>, <c>to</c>) or a month
    /// (<c>month</c>) must be one, within the date range, on every API endpoint — also one that does not read it, so a
    /// misspelt filter is not silently ignored. Null when the value is fine (or empty: no filter).
    /// </summary>
    public static Msg? QueryValueProblem(string key, string value)
    {
        if (value.Length == 0) return null;
        var name = key.ToLowerInvariant();
        if (name == "month") return MonthProblem(name, value);
        if (name is not ("date" or "day" or "from" or "to")) return null;
        DateOnly day;
        if (DateOnly.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) day = d;
        else if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) day = DateOnly.FromDateTime(t.UtcDateTime);
        else return Msg.Of("{0} must be a date such as {1}.", Msg.Field(name), "2026-12-03");
        return InRange(day) ? null : RefusedInput.OutOfRange(name);
    }

    public static void AddTo(JsonSerializerOptions options)
    {
        options.Converters.Add(new TextConverter());
        options.Converters.Add(new MoneyConverter());
        options.Converters.Add(new DateConverter());
        options.Converters.Add(new TimeConverter());
    }

    /// <summary>C0 and C1 control characters and DEL, except tab, line feed and carriage return, which free text may hold.</summary>
    public static bool IsRefused(char c) => char.IsControl(c) && c is not ('\t' or '\n' or '\r');

    public static bool HasRefusedCharacter(string? s) => s is not null && s.Any(IsRefused);

    /// <summary>
    /// Digits as people type them on any keyboard (full-width １３９, Arabic-Indic ١٣٩, …) become ASCII digits, and full-width
    /// punctuation its ASCII form (NFKC), so a number is stored, compared and dialled one way.
    /// </summary>
    public static string FoldDigits(string s)
    {
        var folded = s.Normalize(NormalizationForm.FormKC);
        if (folded.All(char.IsAscii)) return folded;
        var b = new StringBuilder(folded.Length);
        foreach (var c in folded) b.Append(CharUnicodeInfo.GetDecimalDigitValue(c) is var d and >= 0 ? (char)('0' + d) : c);
        return b.ToString();
    }

    /// <summary>Refuses a query string or form field with a control character: a 400 naming the parameter, before anything runs.</summary>
    public static IApplicationBuilder UseInputRules(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var problem = QueryProblem(http.Request);
        if (problem is null && http.Request.HasFormContentType && !HttpMethods.IsGet(http.Request.Method))
        {
            // The one place a form is read (later readers get it from here): a body that is not the multipart it claims
            // to be (no boundary, a part cut short) is the caller's mistake, a 400 naming the form, not a 500.
            IFormCollection? form = null;
            try
            {
                form = await http.Request.ReadFormAsync(http.RequestAborted);
            }
            catch (Exception e) when (e is InvalidDataException or BadHttpRequestException { StatusCode: 400 } or IOException && !http.RequestAborted.IsCancellationRequested)
            {
                problem = ("form", Msg.Of("{0} could not be read: the upload is malformed or incomplete.", Msg.Field("form")), true);
            }
            var bad = form is null ? null : form.FirstOrDefault(f => HasRefusedCharacter(f.Key) || f.Value.Any(HasRefusedCharacter)).Key
                ?? form.Files.FirstOrDefault(f => HasRefusedCharacter(f.FileName))?.Name;
            if (bad is not null) problem = Refused(bad);
        }
        if (problem is not { } p)
        {
            await next(http);
            return;
        }
        var culture = LocalizationSetup.CultureOf(http);
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(new Dictionary<string, string[]> { [p.Field] = [p.Message.Render(culture)] })
            {
                Status = 400, Title = Msg.Of("Invalid request").Render(culture),
                Detail = (p.Unreadable ? Msg.Of("The request body could not be read at {0}.", Msg.Field(p.Field))
                    : Msg.Of("One or more fields are invalid: {0}.", Msg.Join([Msg.Field(p.Field)]))).Render(culture),
            },
        });
    });

    private static (string Field, Msg Message, bool Unreadable) Refused(string key)
    {
        var field = HasRefusedCharacter(key) ? "query" : key;
        return (field, RefusedInput.ControlCharacter(field), true);
    }

    /// <summary>A control character anywhere in the query; on the API, a date or month parameter that is not one (<see cref="QueryValueProblem"/>).</summary>
    private static (string Field, Msg Message, bool Unreadable)? QueryProblem(HttpRequest request)
    {
        string? bad = request.Query.FirstOrDefault(q => HasRefusedCharacter(q.Key) || q.Value.Any(HasRefusedCharacter)).Key;
        if (bad is not null) return Refused(bad);
        // Pages bind their dates through DateRangeBinder and show the refusal on the page itself.
        if (!request.Path.StartsWithSegments("/api")) return null;
        foreach (var (key, values) in request.Query)
            foreach (var value in values)
                if (value is not null && QueryValueProblem(key, value) is { } why) return (key.ToLowerInvariant(), why, false);
        return null;
    }

    private sealed class TextConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var s = reader.GetString();
            return HasRefusedCharacter(s) ? throw new RefusedInput(RefusedInput.ControlCharacter) : s;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    private sealed class MoneyConverter : JsonConverter<decimal>
    {
        // Every decimal a request carries is an amount of CNY (charges, fines, remittances); fen are the smallest unit.
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var d = reader.GetDecimal();
            return d != decimal.Round(d, 2) ? throw new RefusedInput(RefusedInput.MoreThanTwoDecimals) : d;
        }

        // api.md: money is "a decimal number of CNY with two places (30.00)". Adding 0.00m gives a decimal at least two
        // places (30 → 30.00, 30.5 → 30.50) and never drops one (a rate of 0.125 stays 0.125).
        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value + 0.00m);
    }

    private sealed class DateConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (!DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                throw new JsonException();
            return d < EarliestDate || d > LatestDate ? throw new RefusedInput(RefusedInput.OutOfRange) : d;
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private sealed class TimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var t = reader.GetDateTimeOffset();
            var day = DateOnly.FromDateTime(t.UtcDateTime);
            return day < EarliestDate || day > LatestDate ? throw new RefusedInput(RefusedInput.OutOfRange) : t;
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

/// <summary>A JSON value that was read but is not allowed; the problem handler names its field with the reason.</summary>
public sealed class RefusedInput(Func<string, Msg> reason) : JsonException
{
    public Msg For(string field) => reason(field);

    public static Msg ControlCharacter(string field) => Msg.Of("{0} contains a control character (such as NUL), which is not allowed.", Msg.Field(field));
    public static Msg MoreThanTwoDecimals(string field) => Msg.Of("{0} is an amount of money: at most two decimals.", Msg.Field(field));
    public static Msg OutOfRange(string field) => Msg.Of("{0} must be a date between {1} and {2}.", Msg.Field(field),
        InputRules.EarliestDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), InputRules.LatestDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    public static Msg MonthOutOfRange(string field) => Msg.Of("{0} must be a month between {1} and {2}.", Msg.Field(field),
        InputRules.EarliestDate.ToString("yyyy-MM", CultureInfo.InvariantCulture), InputRules.LatestDate.ToString("yyyy-MM", CultureInfo.InvariantCulture));
}
