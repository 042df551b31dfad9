using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Infrastructure.Data.Migrations;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Customers;

[Collection(SqliteCollection.Name)] public sealed class LandlinePhoneTestsOnSqlite(SqliteFixture app) : LandlinePhoneTests(app);
[Collection(PostgresCollection.Name)] public sealed class LandlinePhoneTestsOnPostgres(PostgresFixture app) : LandlinePhoneTests(app);

/// <summary>
/// F2: a landline is one number however the caller or the clerk writes it (0731-8888777, 07318888777, (0731) 888 8777,
/// +86 731 8888777), as a mobile already was: one customer, the duplicate refused, and every search by number finds it —
/// the customer lookup, the order's inline customer matched by phone, the order search, the intake screen's caller
/// identification (INT-11) and the call register (INT-04/10).
/// </summary>
public abstract class LandlinePhoneTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_landline_written_with_or_without_separators_is_one_customer_found_by_every_search_by_number()
    {
        var local = Random.Shared.Next(20_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var canonical = $"0731-{local}";
        var name = $"座机客户{local}";
        var created = (await _given.Clerk.Post("/api/customers", new { name, phone = $"0731-{local}", address = "长沙市雨花区2号", location = new { lat = 28.15, lng = 113.03 } }))
            .Expect(HttpStatusCode.Created);
        Assert.Equal(canonical, created.Str("phone"));
        var id = created.Id;

        // The same number without the dash is the same customer: a second registration is the duplicate it is.
        (await _given.Clerk.Post("/api/customers", new { name = "另一个", phone = $"0731{local}", address = "长沙" })).Expect(HttpStatusCode.Conflict);

        foreach (var typed in new[] { $"0731{local}", $"0731 {local[..4]} {local[4..]}", $"(0731){local}", $"+86 731 {local}", $"0086-731-{local}" })
        {
            var found = (await _given.Clerk.Get($"/api/customers?phone={Uri.EscapeDataString(typed)}")).Expect(HttpStatusCode.OK).Body;
            Assert.Equal(1, found["total"]!.GetValue<int>());
            Assert.Equal(id, found["items"]![0]!["id"]!.GetValue<long>());
        }

        // An order whose caller is given inline is matched to the customer by the number, not made a new customer.
        var order = (await _given.Clerk.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", customer = new { name, phone = $"0731{local}", address = "长沙市雨花区2号" },
            productLine = "ac", productModel = "KFR-35", purchaseDate = "2025-01-01", faultDescription = "不制冷",
        })).Expect(HttpStatusCode.Created).Body;
        Assert.Equal(id, order["customer"]!["id"]!.GetValue<long>());
        var search = (await _given.Clerk.Get($"/api/work-orders?q={Uri.EscapeDataString($"0731 {local}")}")).Expect(HttpStatusCode.OK).Body;
        Assert.Contains(search["items"]!.AsArray(), o => o!["id"]!.GetValue<long>() == order["id"]!.GetValue<long>());

        // The intake screen knows the caller by the number as the phone system shows it.
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        Assert.Contains(name, await clerk.Get($"/intake?handler=Caller&phone={Uri.EscapeDataString($"0731{local}")}"));

        // The call register stores the number one way and finds it however it is asked for.
        var call = (await _given.Clerk.Post("/api/calls", new { kind = "phone", callerName = name, callerPhone = $"0731{local}", summary = "咨询", outcome = "solvedByPhone" }))
            .Expect(HttpStatusCode.Created).Body;
        Assert.Equal(canonical, call["callerPhone"]!.GetValue<string>());
        var calls = (await _given.Clerk.Get($"/api/calls?phone={Uri.EscapeDataString($"+86-731-{local}")}")).Expect(HttpStatusCode.OK).Body;
        Assert.Contains(calls["items"]!.AsArray(), c => c!["id"]!.GetValue<long>() == call["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_migration_rewrites_landlines_stored_as_typed_and_leaves_a_later_duplicate_customer_its_old_spelling()
    {
        var local = Random.Shared.Next(20_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var first = await _given.Customer();
        var duplicate = await _given.Customer();
        var beijing = await _given.Customer();
        var withExtension = await _given.Customer();
        // As the app stored them before PhoneNumber.Normalize wrote one form.
        async Task Store(long id, string phone) => await app.Db(db => db.Customers.Where(c => c.Id == id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Phone, phone)));
        await Store(first, $"0731{local}");
        await Store(duplicate, $"073-1{local}");
        await Store(beijing, $"010{local}");
        await Store(withExtension, $"0431-{local[..7]}-12");
        var serial = await _given.Product(first);
        var order = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(first, serial))).Expect(HttpStatusCode.Created).Id;
        await app.Db(db => db.WorkOrders.Where(o => o.Id == order).ExecuteUpdateAsync(u => u.SetProperty(o => o.ContactPhone, $"0731{local}")));

        await app.Db(db => db.Database.ExecuteSqlRawAsync(LandlineRenormalisation.Sql));
        // Run twice, as a database restored from a backup may be: nothing more changes.
        await app.Db(db => db.Database.ExecuteSqlRawAsync(LandlineRenormalisation.Sql));

        async Task<string> Phone(long id) => (await _given.Clerk.Get($"/api/customers/{id}")).Expect(HttpStatusCode.OK).Str("phone")!;
        Assert.Equal($"0731-{local}", await Phone(first));
        Assert.Equal($"073-1{local}", await Phone(duplicate));
        Assert.Equal($"010-{local}", await Phone(beijing));
        Assert.Equal($"0431-{local[..7]}-12", await Phone(withExtension));
        var found = (await _given.Clerk.Get($"/api/customers?phone={Uri.EscapeDataString($"0731 {local}")}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(first, Assert.Single(found["items"]!.AsArray())!["id"]!.GetValue<long>());
        Assert.Equal($"0731-{local}", (await _given.Clerk.Get($"/api/work-orders/{order}")).Expect(HttpStatusCode.OK).Str("contactPhone"));
    }
}
