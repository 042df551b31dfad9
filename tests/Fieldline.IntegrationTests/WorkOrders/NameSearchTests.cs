using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.WorkOrders;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class NameSearchTestsOnSqlite(SqliteFixture app) : NameSearchTests(app);
[Collection(PostgresCollection.Name)] public sealed class NameSearchTestsOnPostgres(PostgresFixture app) : NameSearchTests(app);

/// <summary>
/// A clerk types the beginning of a customer's name. A name many customers share ("张") is searched by walking the orders
/// newest first (its cost is a page, not the history); a rarer one by the customers' index. Either way the caller gets
/// the same orders, newest first, page by page.
/// </summary>
public abstract class NameSearchTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_name_shared_by_more_customers_than_the_lookup_takes_still_finds_their_orders_newest_first_page_by_page()
    {
        var prefix = $"宽搜{Random.Shared.Next(100_000, 999_999)}";
        var ids = new List<long>();
        for (var i = 0; i <= FindWorkOrders.WideNameCustomers; i++)
            ids.Add((await _given.Clerk.Post("/api/customers", new { name = $"{prefix}客户{i}", phone = Given.Phone(), address = "长沙市岳麓区麓山南路1号" }))
                .Expect(HttpStatusCode.Created).Id);
        var orders = new List<string>();
        foreach (var customer in ids.Take(3))
        {
            var serial = await _given.Product(customer);
            orders.Add((await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial))).Expect(HttpStatusCode.Created).Str("code")!);
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        orders.Reverse(); // newest first

        var all = (await _given.Dispatcher.Get($"/api/work-orders?q={Uri.EscapeDataString(prefix)}&pageSize=50")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(orders, all["items"]!.AsArray().Select(o => o!["code"]!.GetValue<string>()));
        Assert.Equal(3, all["total"]!.GetValue<int>());
        Assert.Null(all["totalIsCapped"]);

        var first = (await _given.Dispatcher.Get($"/api/work-orders?q={Uri.EscapeDataString(prefix)}&pageSize=2")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(orders.Take(2), first["items"]!.AsArray().Select(o => o!["code"]!.GetValue<string>()));
        Assert.True(first["totalIsCapped"]!.GetValue<bool>()); // not counted: there may be more
        var next = first["next"]!.GetValue<string>();
        var second = (await _given.Dispatcher.Get($"/api/work-orders?q={Uri.EscapeDataString(prefix)}&pageSize=2&after={next}")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(orders.Skip(2), second["items"]!.AsArray().Select(o => o!["code"]!.GetValue<string>()));

        // One more letter: a name only one customer has, found through the customers' index and counted.
        var one = (await _given.Dispatcher.Get($"/api/work-orders?q={Uri.EscapeDataString(prefix + "客户1")}&pageSize=50")).Expect(HttpStatusCode.OK).Body;
        Assert.Contains(orders[^2], one["items"]!.AsArray().Select(o => o!["code"]!.GetValue<string>()));
    }
}
