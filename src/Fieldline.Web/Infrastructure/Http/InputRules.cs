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
        string? bad = http.Request.Query.FirstOrDefault(q => HasRefusedCharacter(q.Key) || q.Value.Any(HasRefusedCharacter)).Key;
        if (bad is null && http.Request.HasFormContentType && !HttpMethods.IsGet(http.Request.Method))
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            bad = form.FirstOrDefault(f => HasRefusedCharacter(f.Key) || f.Value.Any(HasRefusedCharacter)).Key
                ?? form.Files.FirstOrDefault(f => HasRefusedCharacter(f.FileName))?.Name;
        }
        if (bad is null)
        {
            await next(http);
            return;
        }
        var field = HasRefusedCharacter(bad) ? "query" : bad;
        var culture = LocalizationSetup.CultureOf(http);
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [RefusedInput.ControlCharacter(field).Render(culture)] })
            {
                Status = 400, Title = Msg.Of("Invalid request").Render(culture),
                Detail = Msg.Of("The request body could not be read at {0}.", Msg.Field(field)).Render(culture),
            },
        });
    });

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
}
