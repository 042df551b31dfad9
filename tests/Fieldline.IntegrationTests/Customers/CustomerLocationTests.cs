using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Customers;

[Collection(SqliteCollection.Name)] public sealed class CustomerLocationTestsOnSqlite(SqliteFixture app) : CustomerLocationTests(app);
[Collection(PostgresCollection.Name)] public sealed class CustomerLocationTestsOnPostgres(PostgresFixture app) : CustomerLocationTests(app);

/// <summary>PUT /api/customers/{id}/location: the pin a clerk drops (or a geocoder's answer) becomes the customer's place, and their open orders follow.</summary>
public abstract class CustomerLocationTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task<JsonNode> Unlocated(Api? by = null, int? branchId = null) =>
        (await (by ?? _given.Clerk).Post("/api/customers", new { name = "未定位客户", phone = Given.Phone(), address = "长沙市雨花区韶山中路 9 号", branchId }))
        .Expect(HttpStatusCode.Created).Body;

    private static object Window => new { start = "2027-03-10T10:00:00+08:00", end = "2027-03-10T12:00:00+08:00" };

    private async Task<IReadOnlyList<JsonNode>> Skipped()
    {
        var plan = (await _given.Dispatcher.Post("/api/dispatch/plan", new { date = "2027-03-10", seconds = 0.2 })).Expect(HttpStatusCode.OK).Body;
        return plan["unserved"]!.AsArray().Where(u => u!["reason"]!.GetValue<string>().Contains("没有定位", StringComparison.Ordinal)).Select(u => u!).ToList(); // "The address has no location.", in Chinese by default
    }

    [Fact]
    public async Task A_pinned_location_is_stored_and_the_customers_open_order_follows_so_the_plan_can_place_it()
    {
        var customer = await Unlocated();
        var id = customer["id"]!.GetValue<int>();
        var serial = await _given.Product(id);
        var order = (await _given.Clerk.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = id, productSerial = serial, faultDescription = "不制冷", requestedWindow = Window,
        })).Expect(HttpStatusCode.Created).Body;
        var orderId = order["id"]!.GetValue<long>();
        Assert.Contains(await Skipped(), u => u["workOrderId"]!.GetValue<long>() == orderId);

        var located = (await _given.Clerk.Put($"/api/customers/{id}/location", new { location = new { lat = 28.1354, lng = 113.0353 }, version = customer["version"]!.GetValue<int>() }))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal(28.1354, located["location"]!["lat"]!.GetValue<double>());
        Assert.Equal(113.0353, located["location"]!["lng"]!.GetValue<double>());
        Assert.Equal(customer["version"]!.GetValue<int>() + 1, located["version"]!.GetValue<int>());

        var timeline = (await _given.Clerk.Get($"/api/work-orders/{orderId}")).Body["timeline"]!.AsArray();
        var entry = timeline.Last()!;
        Assert.Equal("located", entry["action"]!.GetValue<string>());
        Assert.Equal("clerk", entry["actor"]!.GetValue<string>());
        Assert.Equal(28.1354, entry["data"]!["location"]!["lat"]!.GetValue<double>());
        Assert.DoesNotContain(await Skipped(), u => u["workOrderId"]!.GetValue<long>() == orderId);
    }

    [Fact]
    public async Task An_order_already_on_site_keeps_the_place_its_technician_checked_in_at()
    {
        var orderId = await _given.OrderIn("inProgress");
        var order = (await _given.Clerk.Get($"/api/work-orders/{orderId}")).Body;
        var customerId = order["customer"]!["id"]!.GetValue<int>();
        var entries = order["timeline"]!.AsArray().Count;
        (await _given.Clerk.Put($"/api/customers/{customerId}/location", new { location = new { lat = 28.25, lng = 112.99 } })).Expect(HttpStatusCode.OK);
        var after = (await _given.Clerk.Get($"/api/work-orders/{orderId}")).Body;
        Assert.Equal(entries, after["timeline"]!.AsArray().Count);
        Assert.Equal(28.25, after["customer"]!["location"]!["lat"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_missing_or_impossible_location_is_refused_naming_the_field_and_nothing_changes()
    {
        var customer = await Unlocated();
        var id = customer["id"]!.GetValue<int>();
        var far = (await _given.Clerk.Put($"/api/customers/{id}/location", new { location = new { lat = 91.0, lng = 112.9 } })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["location.lat"], far.ErrorFields);
        Assert.Contains("纬度", far.Body["errors"]!["location.lat"]![0]!.GetValue<string>());
        var none = (await _given.Clerk.Put($"/api/customers/{id}/location", new { version = 0 })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["location"], none.ErrorFields);
        var half = (await _given.Clerk.Put($"/api/customers/{id}/location", new { location = new { lat = 28.1 } })).Expect(HttpStatusCode.BadRequest);
        Assert.Equal(["location.lng"], half.ErrorFields);

        var unchanged = (await _given.Clerk.Get($"/api/customers/{id}")).Body;
        Assert.Null(unchanged["location"]);
        Assert.Equal(customer["version"]!.GetValue<int>(), unchanged["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_location_set_on_a_stale_copy_is_refused_and_does_not_overwrite_the_newer_one()
    {
        var customer = await Unlocated();
        var id = customer["id"]!.GetValue<int>();
        var version = customer["version"]!.GetValue<int>();
        (await _given.Clerk.Put($"/api/customers/{id}/location", new { location = new { lat = 28.20, lng = 112.90 }, version })).Expect(HttpStatusCode.OK);
        // A second clerk, still looking at the customer as it was, drops another pin.
        (await _given.Dispatcher.Put($"/api/customers/{id}/location", new { location = new { lat = 28.30, lng = 113.00 }, version })).Expect(HttpStatusCode.Conflict);
        (await _given.Dispatcher.Send(HttpMethod.Put, $"/api/customers/{id}/location", new { location = new { lat = 28.30, lng = 113.00 } }, ifMatch: $"\"{version}\""))
            .Expect(HttpStatusCode.PreconditionFailed);
        var kept = (await _given.Clerk.Get($"/api/customers/{id}")).Body;
        Assert.Equal(28.20, kept["location"]!["lat"]!.GetValue<double>());
    }

    [Fact]
    public async Task Only_intake_staff_of_the_customers_branch_may_set_its_location()
    {
        var customer = await Unlocated();
        var id = customer["id"]!.GetValue<int>();
        var body = new { location = new { lat = 28.2, lng = 112.9 } };
        (await app.Api("tech01").Put($"/api/customers/{id}/location", body)).Expect(HttpStatusCode.Forbidden);
        (await app.Api("visitor").Put($"/api/customers/{id}/location", body)).Expect(HttpStatusCode.Forbidden);
        var headOffice = await Unlocated(app.Api("admin"), branchId: 1);
        (await _given.Clerk.Put($"/api/customers/{headOffice["id"]}/location", body)).Expect(HttpStatusCode.NotFound);
        (await app.Api().Put($"/api/customers/{id}/location", body)).Expect(HttpStatusCode.Unauthorized);
        Assert.Null((await _given.Clerk.Get($"/api/customers/{id}")).Body["location"]);
    }
}
