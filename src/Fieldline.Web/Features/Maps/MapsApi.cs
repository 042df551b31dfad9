using Fieldline.Web.Features.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Maps;

public static class MapsApi
{
    public static IServiceCollection AddMapsFeature(this IServiceCollection services, IConfiguration config)
    {
        var options = (config.GetSection("Fieldline:Map").Get<MapOptions>() ?? new MapOptions()).Validated();
        services.AddSingleton(options).AddScoped<GeocodeAddress>();
        if (string.Equals(options.Geocoder, "AMap", StringComparison.OrdinalIgnoreCase))
            services.AddHttpClient<IGeocoder, AMapGeocoder>(c => c.Timeout = TimeSpan.FromSeconds(options.GeocoderTimeoutSeconds));
        else services.AddSingleton<IGeocoder, NoGeocoder>();
        return services;
    }

    public static IEndpointRouteBuilder MapMapsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/geocode", Geocode).RequireAuthorization().WithTags("Maps").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(503);
        return app;
    }

    private static async Task<Ok<GeocodeDto>> Geocode(string? address, string? city, CurrentUser user, GeocodeAddress handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, address, city, ct));
}
