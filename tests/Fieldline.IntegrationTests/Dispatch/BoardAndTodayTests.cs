using System.IO.Compression;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Dispatch;

[Collection(SqliteCollection.Name)] public sealed class BoardAndTodayTestsOnSqlite(SqliteFixture app) : BoardAndTodayTests(app);
[Collection(PostgresCollection.Name)] public sealed class BoardAndTodayTestsOnPostgres(PostgresFixture app) : BoardAndTodayTests(app);

public abstract class BoardAndTodayTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task The_board_lists_an_unassigned_order_with_its_dispatch_deadline_and_moves_it_to_the_technician_when_dispatched()
    {
        var order = await _given.NewRepairOrder();
        var id = order["id"]!.GetValue<long>();
        var board = (await _given.Dispatcher.Get("/api/dispatch/board")).Expect(HttpStatusCode.OK).Body;
        var row = board["unassigned"]!.AsArray().Single(o => o!["id"]!.GetValue<long>() == id)!;
        var due = order["clocks"]!.AsArray().Where(c => c!["state"]!.GetValue<string>() is "running" or "warning").Min(c => c!["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(due, row["nextDeadline"]!["dueAt"]!.GetValue<DateTimeOffset>());

        var tech = await _given.TechnicianId("tech01");
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech })).Expect(HttpStatusCode.OK);
        board = (await _given.Dispatcher.Get("/api/dispatch/board")).Body;
        Assert.DoesNotContain(board["unassigned"]!.AsArray(), o => o!["id"]!.GetValue<long>() == id);
        Assert.Contains(board["notAccepted"]!.AsArray(), o => o!["id"]!.GetValue<long>() == id);
        var techRow = board["technicians"]!.AsArray().Single(t => t!["id"]!.GetValue<int>() == tech)!;
        Assert.Contains(techRow["orders"]!.AsArray(), o => o!["id"]!.GetValue<long>() == id);
    }

    [Fact]
    public async Task Angry_customers_and_urgent_orders_head_the_queue()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var normal = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial))).Expect(HttpStatusCode.Created).Id;
        var angry = (await _given.Clerk.Post("/api/work-orders", new
        {
            type = "repair", channel = "hotline", customerId = customer, productSerial = serial, faultDescription = "第三次报修", angryCustomer = true,
        })).Expect(HttpStatusCode.Created).Id;
        var queue = (await _given.Dispatcher.Get("/api/dispatch/board")).Body["unassigned"]!.AsArray().Select(o => o!["id"]!.GetValue<long>()).ToList();
        Assert.True(queue.IndexOf(angry) < queue.IndexOf(normal));
    }

    [Fact]
    public async Task Technicians_and_other_branches_cannot_read_a_board()
    {
        (await app.Api("tech01").Get("/api/dispatch/board")).Expect(HttpStatusCode.Forbidden);
        (await _given.Dispatcher.Get("/api/dispatch/board?branchId=1")).Expect(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Today_counts_received_dispatched_and_what_is_overdue_per_clock()
    {
        var before = (await _given.Dispatcher.Get("/api/dispatch/today")).Expect(HttpStatusCode.OK).Body;
        var order = await _given.NewRepairOrder();
        var after = (await _given.Dispatcher.Get("/api/dispatch/today")).Body;
        Assert.Equal(before["received"]!.GetValue<int>() + 1, after["received"]!.GetValue<int>());
        Assert.Equal(before["unassigned"]!.GetValue<int>() + 1, after["unassigned"]!.GetValue<int>());

        var due = order["clocks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "dispatch")!["dueAt"]!.GetValue<DateTimeOffset>();
        await app.At(due.AddMinutes(1));
        var late = (await _given.Dispatcher.Get("/api/dispatch/today")).Body;
        Assert.True(late["overdueByClock"]!.AsArray().Single(c => c!["clock"]!.GetValue<string>() == "dispatch")!["orders"]!.GetValue<int>() >= 1);
        (await app.Api("tech01").Get("/api/dispatch/today")).Expect(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_order_list_filters_by_product_line_and_customer_and_exports_to_xlsx_with_Chinese_headers()
    {
        var customer = await _given.Customer();
        var serial = await _given.Product(customer, "purifier");
        var id = (await _given.Clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, "滤芯漏水"))).Expect(HttpStatusCode.Created).Id;
        var list = (await _given.Clerk.Get($"/api/work-orders?customerId={customer}&productLine=purifier")).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(id, list["items"]!.AsArray().Single()!["id"]!.GetValue<long>());
        Assert.Equal(0, (await _given.Clerk.Get($"/api/work-orders?customerId={customer}&productLine=ac")).Body["total"]!.GetValue<int>());
        (await _given.Clerk.Get("/api/work-orders?type=boat")).Expect(HttpStatusCode.BadRequest);

        var xlsx = await _given.Clerk.Send(HttpMethod.Get, $"/api/work-orders/export.xlsx?customerId={customer}", null);
        Assert.Equal(HttpStatusCode.OK, xlsx.Status);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Raw.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await xlsx.Raw.Content.ReadAsByteArrayAsync()));
        var sheet = string.Concat(zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal)).Select(e => new StreamReader(e.Open()).ReadToEnd()));
        Assert.Contains("工单号", sheet);
        Assert.Contains("净水器", sheet);
        Assert.Contains("维修", sheet);
    }

    [Fact]
    public async Task The_export_names_the_technician_and_speaks_the_readers_language()
    {
        var id = await _given.OrderIn("dispatched");
        var code = (await _given.Clerk.Get($"/api/work-orders/{id}")).Body["code"]!.GetValue<string>();
        var name = (await app.Api("tech01").Get("/api/me")).Body["displayName"]!.GetValue<string>();

        async Task<string> Sheet(Api who)
        {
            var xlsx = await who.Send(HttpMethod.Get, $"/api/work-orders/export.xlsx?q={code}", null);
            Assert.Equal(HttpStatusCode.OK, xlsx.Status);
            using var zip = new ZipArchive(new MemoryStream(await xlsx.Raw.Content.ReadAsByteArrayAsync()));
            return string.Concat(zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal)).Select(e => new StreamReader(e.Open()).ReadToEnd()));
        }

        var chinese = await Sheet(_given.Clerk);
        Assert.Contains(name, chinese);
        Assert.Contains("已派工", chinese);
        Assert.DoesNotContain("dispatched", chinese);
        var english = await Sheet(_given.Clerk.InLanguage("en"));
        Assert.Contains("Order no.", english);
        Assert.Contains(name, english);
        Assert.DoesNotContain("工单号", english);
    }
}
