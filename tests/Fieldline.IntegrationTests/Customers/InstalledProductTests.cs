using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Customers;

[Collection(SqliteCollection.Name)] public sealed class InstalledProductTestsOnSqlite(SqliteFixture app) : InstalledProductTests(app);
[Collection(PostgresCollection.Name)] public sealed class InstalledProductTestsOnPostgres(PostgresFixture app) : InstalledProductTests(app);

/// <summary>
/// WAR-01/WAR-02: completing an installation registers the unit to the customer — model, serial from the scanned barcode,
/// install day (branch time), the warranty the order's policy gives the product line — so the next repair is in warranty.
/// </summary>
public abstract class InstalledProductTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private async Task Walk(long id, (string User, int TechnicianId, int UserId) tech, object completion)
    {
        var t = app.Api(tech.User);
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech.TechnicianId })).Expect(HttpStatusCode.OK);
        (await t.Post($"/api/work-orders/{id}/accept")).Expect(HttpStatusCode.OK);
        var at = app.LocalNow.AddHours(1);
        (await t.Post($"/api/work-orders/{id}/contact", new { outcome = "reached", appointment = new { start = at, end = at.AddHours(2) } })).Expect(HttpStatusCode.OK);
        (await t.Post($"/api/work-orders/{id}/check-in", new { location = new { lat = 28.18, lng = 112.94 } })).Expect(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(45));
        (await t.Post($"/api/work-orders/{id}/complete", completion)).Expect(HttpStatusCode.OK);
    }

    private static object Completion(string barcode) => new
    {
        resolution = "安装完成,试机正常", barcode, testRunMinutes = 30, unitModel = "KFR-35GW",
        checklist = new { powerOff = true, testRun = true, serviceSticker = true },
        signature = "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng),
        photos = new[] { "data:image/png;base64," + Convert.ToBase64String(Given.TinyPng) },
    };

    [Fact]
    public async Task An_installation_registers_its_unit_with_the_policys_warranty_for_the_line_and_a_repair_two_days_later_is_in_warranty()
    {
        (await _given.Manager.Put("/api/policy", new { basedOn = "generic", parameters = new { warranty = new { monthsByProductLine = new { ac = 72 } } } }))
            .Expect(HttpStatusCode.OK);
        try
        {
            var customer = await _given.Customer();
            var install = (await _given.Clerk.Post("/api/work-orders", new
            {
                type = "install", channel = "hotline", customerId = customer, productLine = "ac", productModel = "KFR-35GW", purchaseDate = "2026-11-20",
            })).Expect(HttpStatusCode.Created).Id;
            var serial = $"GR{Guid.NewGuid():N}"[..16].ToUpperInvariant();
            await Walk(install, await _given.NewTechnician(), Completion(serial));
            var installedOn = DateOnly.FromDateTime(app.LocalNow.Date);

            var unit = (await _given.Clerk.Get($"/api/products/{serial}")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(("ac", "KFR-35GW", serial, installedOn.ToString("yyyy-MM-dd"), 72, true),
                (unit["productLine"]!.GetValue<string>(), unit["model"]!.GetValue<string>(), unit["serialNumber"]!.GetValue<string>(),
                 unit["installedOn"]!.GetValue<string>(), unit["warrantyMonths"]!.GetValue<int>(), unit["inWarranty"]!.GetValue<bool>()));
            var order = (await _given.Clerk.Get($"/api/work-orders/{install}")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(unit["id"]!.GetValue<int>(), order["product"]!["id"]!.GetValue<int>());

            await app.At(app.LocalNow.AddDays(2));
            var repair = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, "漏水"))).Expect(HttpStatusCode.Created).Body;
            Assert.True(repair["inWarranty"]!.GetValue<bool>());
            Assert.Equal(installedOn.AddMonths(72).AddDays(-1).ToString("yyyy-MM-dd"), repair["product"]!["warrantyEndsOn"]!.GetValue<string>());
        }
        finally { (await _given.Manager.Put("/api/policy", new { basedOn = "generic" })).Expect(HttpStatusCode.OK); }
    }

    [Fact]
    public async Task An_installation_of_a_unit_already_registered_sets_its_installation_day_and_registers_nothing_new()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer, warrantyMonths: 12, purchased: DateOnly.FromDateTime(app.LocalNow.Date));
        var install = (await _given.Clerk.Post("/api/work-orders", new { type = "install", channel = "hotline", customerId = customer, productSerial = serial }))
            .Expect(HttpStatusCode.Created).Id;
        await Walk(install, await _given.NewTechnician(), Completion(serial));
        var unit = (await _given.Clerk.Get($"/api/products/{serial}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal((DateOnly.FromDateTime(app.LocalNow.Date).ToString("yyyy-MM-dd"), 12),
            (unit["installedOn"]!.GetValue<string>(), unit["warrantyMonths"]!.GetValue<int>()));
        var products = (await _given.Clerk.Get($"/api/customers/{customer}")).Expect(HttpStatusCode.OK).Body["products"]!.AsArray();
        Assert.Single(products);
    }
}
