using System.Text.Json.Serialization;

namespace Fieldline.Web.Infrastructure.Http;

public static class WebSetup
{
    public static IServiceCollection AddHttpConventions(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsHandler.Localize);
        services.AddExceptionHandler<ProblemDetailsHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            InputRules.AddTo(o.SerializerOptions);
        });
        // Bad JSON reaches ProblemDetailsHandler as an exception, so the answer names the field that could not be read.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApiContract();
        return services;
    }

    /// <summary>
    /// No framing, no sniffing, scripts and styles only from this origin. Images may also come from
    /// <paramref name="imageOrigins"/>: the map tiles' hosts, from configuration.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, IEnumerable<string>? imageOrigins = null)
    {
        var images = string.Concat((imageOrigins ?? []).Select(o => " " + o));
        var policy = $"default-src 'self'; img-src 'self' data: blob:{images}; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
        return app.Use(async (http, next) =>
        {
            var h = http.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h.ContentSecurityPolicy = policy;
            await next(http);
        });
    }
}
