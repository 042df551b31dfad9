using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Billing;

public sealed record PriceItemDto(int Id, string Code, string Name, string? ProductLine, string Kind, decimal StandardPrice, int Version)
{
    public static PriceItemDto From(PriceItem p) => new(p.Id, p.Code, p.Name, p.ProductLine, JsonNames.Of(p.Kind), p.StandardPrice, p.Version);
}

public static class BillingApi
{
    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/price-list", List).RequireAuthorization().WithTags("Billing");
        return app;
    }

    /// <summary>The active standard prices, optionally for one product line; everyone who quotes or charges may read it.</summary>
    private static async Task<Ok<IReadOnlyList<PriceItemDto>>> List(string? productLine, CurrentUser user, AppDbContext db, CancellationToken ct)
    {
        user.RequireAny("read the price list", [.. Roles.Office, Roles.Technician]);
        var query = db.PriceItems.AsNoTracking().Where(p => p.Active);
        if (!string.IsNullOrEmpty(productLine)) query = query.Where(p => p.ProductLine == null || p.ProductLine == productLine);
        var items = await query.OrderBy(p => p.Code).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<PriceItemDto>>(items.Select(PriceItemDto.From).ToList());
    }
}
