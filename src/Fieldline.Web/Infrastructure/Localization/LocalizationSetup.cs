using System.Globalization;
using Fieldline.Web.Features.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Net.Http.Headers;

namespace Fieldline.Web.Infrastructure.Localization;

/// <summary>
/// Which language a request is answered in. Chinese unless someone asked otherwise:
/// <list type="bullet">
/// <item>console pages: the language cookie the header switch sets (also set at sign-in from the user's saved choice);
/// a browser's own Accept-Language is ignored, so a browser set to English still opens the Chinese console;</item>
/// <item>the API: the request's Accept-Language (API clients, the phone app), else the caller's saved choice (the token's
/// <c>lang</c> claim);</item>
/// <item>anything else (the customer's report link, the phone app's files): Chinese.</item>
/// </list>
/// </summary>
public static class LocalizationSetup
{
    public const string LanguageCookie = "fieldline.lang";
    public const string LanguageClaim = "lang";

    public static IServiceCollection AddFieldlineLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(Catalogue.Chinese);
            o.SupportedCultures = o.SupportedUICultures = [.. Catalogue.Supported];
            o.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(http => Task.FromResult(IsApi(http) ? FromAcceptLanguage(http) : null)),
                new CustomRequestCultureProvider(http => Task.FromResult(IsApi(http) ? FromClaim(http) : FromCookie(http))),
            ];
        });
        return services;
    }

    private static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/api");

    private static ProviderCultureResult? FromAcceptLanguage(HttpContext http)
    {
        var header = http.Request.Headers.AcceptLanguage;
        if (!StringWithQualityHeaderValue.TryParseList(header, out var tags)) return null;
        var best = tags.Where(t => (t.Quality ?? 1) > 0).OrderByDescending(t => t.Quality ?? 1)
            .Select(t => Catalogue.Match(t.Value.Value)).FirstOrDefault(c => c is not null);
        return best is null ? null : new ProviderCultureResult(best.Name);
    }

    private static ProviderCultureResult? FromClaim(HttpContext http) =>
        Catalogue.Match(http.User.FindFirst(LanguageClaim)?.Value) is { } c ? new ProviderCultureResult(c.Name) : null;

    private static ProviderCultureResult? FromCookie(HttpContext http) =>
        http.Request.Cookies.TryGetValue(LanguageCookie, out var value) && CookieRequestCultureProvider.ParseCookieValue(value) is { } parsed
            && Catalogue.Match(parsed.UICultures.FirstOrDefault().Value) is { } c
            ? new ProviderCultureResult(c.Name) : null;

    /// <summary>Remembers a console user's language in the browser for a year.</summary>
    public static void SetLanguageCookie(HttpResponse response, CultureInfo culture) =>
        response.Cookies.Append(LanguageCookie, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = TimeProvider.System.GetUtcNow().AddYears(1), IsEssential = true, SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax, HttpOnly = true });

    /// <summary>The culture this request is answered in (also after the middleware has returned, e.g. in the exception handler).</summary>
    public static CultureInfo CultureOf(HttpContext http) =>
        http.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture ?? Catalogue.Chinese;

    /// <summary>Runs <paramref name="action"/> with <paramref name="culture"/> as the current culture (a background job writing to one person).</summary>
    public static T In<T>(CultureInfo culture, Func<T> action)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        try { return action(); }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi); }
    }

    /// <summary>A user's saved language, or Chinese.</summary>
    public static CultureInfo CultureOf(User user) => Catalogue.Match(user.Language) ?? Catalogue.Chinese;

    /// <summary>
    /// The phone app's share of the catalogue: its own texts (<c>m.*</c>) and the names of the codes it shows, one JSON
    /// object per language. Served from the same resources as everything else, cached by the app for offline use.
    /// </summary>
    public static IEndpointRouteBuilder MapMessageCatalogue(this IEndpointRouteBuilder app)
    {
        app.MapGet("/m/i18n/{lang}.json", (string lang, HttpContext http) =>
        {
            if (Catalogue.Match(lang) is not { } culture || culture.Name != lang) return Results.NotFound();
            http.Response.Headers.CacheControl = "no-cache";
            var neutral = Catalogue.Entries(CultureInfo.InvariantCulture);
            var own = Catalogue.Entries(culture);
            var phone = neutral.Keys.Where(k => PhonePrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal)))
                .ToDictionary(k => k, k => own.TryGetValue(k, out var v) ? v : neutral[k]);
            return Results.Json(phone);
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static readonly string[] PhonePrefixes = ["m.", "status.", "type.", "line.", "clock.", "clockState.", "channel.", "penalty.", "ledger.", "role.", "field.", "unit.", "leaveStatus.", "requisitionStatus.", "partWarrantyClass.", "oldPartStatus.", "statementKind."];
}
