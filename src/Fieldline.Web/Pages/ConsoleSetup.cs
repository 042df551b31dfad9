using System.Globalization;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;

namespace Fieldline.Web.Pages;

/// <summary>
/// The back-office console: server-rendered Razor Pages (htmx for partial updates), signed in with a cookie, protected
/// against CSRF by antiforgery tokens, in Chinese by default with English a click away. Pages call the same use-case
/// handlers as the API, with the same role and branch checks.
/// </summary>
public static class ConsoleSetup
{
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/", AuthSetup.ConsolePolicy);
            o.Conventions.AllowAnonymousToPage("/Identity/Login");
            o.Conventions.AllowAnonymousToPage("/Identity/Language");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToPage("/ReturnVisits/Rate"); // the customer's signed link: the signature is the credential
        }).AddMvcOptions(o =>
        {
            o.Filters.Add<ConsoleErrors>();
            o.ModelBinderProviders.Insert(0, new DateRangeBinderProvider());
            // Required fields are the use cases' business (named in their own words); an empty filter is not an error.
            o.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
            // A value the form sent that cannot be read is named in the reader's language, by the field's label.
            o.ModelMetadataDetailsProviders.Add(new BindingMessages());
            var fallback = BindingMessages.For(null, null);
            var messages = o.ModelBindingMessageProvider;
            messages.SetMissingBindRequiredValueAccessor(fallback.MissingBindRequiredValueAccessor);
            messages.SetMissingKeyOrValueAccessor(fallback.MissingKeyOrValueAccessor);
            messages.SetMissingRequestBodyRequiredValueAccessor(fallback.MissingRequestBodyRequiredValueAccessor);
            messages.SetValueMustNotBeNullAccessor(fallback.ValueMustNotBeNullAccessor);
            messages.SetAttemptedValueIsInvalidAccessor(fallback.AttemptedValueIsInvalidAccessor);
            messages.SetNonPropertyAttemptedValueIsInvalidAccessor(fallback.NonPropertyAttemptedValueIsInvalidAccessor);
            messages.SetUnknownValueIsInvalidAccessor(fallback.UnknownValueIsInvalidAccessor);
            messages.SetNonPropertyUnknownValueIsInvalidAccessor(fallback.NonPropertyUnknownValueIsInvalidAccessor);
            messages.SetValueIsInvalidAccessor(fallback.ValueIsInvalidAccessor);
            messages.SetValueMustBeANumberAccessor(fallback.ValueMustBeANumberAccessor);
            messages.SetNonPropertyValueMustBeANumberAccessor(fallback.NonPropertyValueMustBeANumberAccessor);
        });
        services.AddAntiforgery(o =>
        {
            o.HeaderName = "RequestVerificationToken"; // htmx sends it from the page's meta tag (console.js)
            o.Cookie.Name = "fieldline.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        // Cookies and antiforgery tokens stay valid across restarts and on every node: the key ring lives in the database.
        services.AddDataProtection().SetApplicationName("Fieldline").PersistKeysToDbContext<Infrastructure.Data.AppDbContext>();
        services.AddSingleton<Text>();
        // Razor encodes every value it writes; Chinese text stays readable in the HTML instead of becoming &#x...; entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return services;
    }

    /// <summary>Pages get the user's language and friendly error pages; the API keeps problem+json and invariant culture.</summary>
    public static IApplicationBuilder UseConsole(this IApplicationBuilder app) =>
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/api"), pages => pages
            .UseStatusCodePagesWithReExecute("/error/{0}"));

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        // The board's and the notification bell's live feed, for a signed-in console user (the API's twin takes a bearer token).
        app.MapGet("/console/live", NotificationsApi.Stream).RequireAuthorization(AuthSetup.ConsolePolicy).ExcludeFromDescription();
        return app;
    }
}
