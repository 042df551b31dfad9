using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fieldline.Web.Features.Customers;

public static class CustomersApi
{
    public static IServiceCollection AddCustomersFeature(this IServiceCollection services) =>
        services.AddScoped<ManageCustomers>().AddScoped<RegisterProduct>().AddScoped<RegisterInstalledProduct>().AddScoped<SetCustomerLocation>();

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/api/customers").RequireAuthorization().WithTags("Customers");
        customers.MapGet("/", List);
        customers.MapGet("/{id:int}", Get);
        customers.MapPost("/", Create);
        customers.MapPost("/{id:int}/products", AddProduct);
        customers.MapPut("/{id:int}/location", SetLocation);
        app.MapGet("/api/products/{serial}", GetProduct).RequireAuthorization().WithTags("Customers");
        return app;
    }

    private static async Task<Ok<Page<CustomerDto>>> List(string? phone, string? q, int? page, int? pageSize, CurrentUser user, ManageCustomers handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.List(user, phone, q, page, pageSize, ct));

    private static async Task<Ok<CustomerDto>> Get(int id, CurrentUser user, ManageCustomers handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.Get(user, id, ct));

    private static async Task<Created<CustomerDto>> Create(CreateCustomerRequest request, CurrentUser user, ManageCustomers handler, CancellationToken ct)
    {
        var customer = await handler.Create(user, request, ct);
        return TypedResults.Created($"/api/customers/{customer.Id}", customer);
    }

    private static async Task<Ok<CustomerDto>> SetLocation(int id, SetLocationRequest request, CurrentUser user, SetCustomerLocation handler, HttpRequest http, CancellationToken ct) =>
        TypedResults.Ok(await handler.Handle(user, id, request, Concurrency.IfMatch(http), ct));

    private static async Task<Created<ProductDto>> AddProduct(int id, RegisterProductRequest request, CurrentUser user, RegisterProduct handler, CancellationToken ct)
    {
        var product = await handler.Handle(user, id, request, ct);
        return TypedResults.Created($"/api/products/{Uri.EscapeDataString(product.SerialNumber)}", product);
    }

    private static async Task<Ok<ProductDto>> GetProduct(string serial, CurrentUser user, RegisterProduct handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.FindBySerial(user, serial, ct));
}
