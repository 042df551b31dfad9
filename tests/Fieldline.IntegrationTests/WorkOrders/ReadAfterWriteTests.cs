using System.Collections.Concurrent;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class ReadAfterWriteTestsOnSqlite(SqliteFixture app) : ReadAfterWriteTests(app);
[Collection(PostgresCollection.Name)] public sealed class ReadAfterWriteTestsOnPostgres(PostgresFixture app) : ReadAfterWriteTests(app);

/// <summary>
/// A write that has been answered is durable and visible: the clerk's next screen, the dispatcher's, the technician's
/// list read it at once, however many others write at the same time (on SQLite the answer waits for the group commit; a
/// request with an Idempotency-Key commits before its stored answer is sent).
/// </summary>
public abstract class ReadAfterWriteTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_create_a_dispatch_and_an_accept_once_answered_are_read_back_by_anyone_while_twelve_clients_write()
    {
        var tech = await _given.NewTechnician();
        var missed = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 12), new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (w, _) =>
        {
            var (clerk, dispatcher, manager, technician) = (app.Api("clerk"), app.Api("dispatcher"), app.Api("manager"), app.Api(tech.User));
            var customer = await _given.Customer();
            var serial = await _given.Product(customer);
            for (var i = 0; i < 8; i++)
            {
                var id = (await clerk.Post("/api/work-orders", Given.RepairBody(customer, serial, $"故障 {w}-{i}"), Guid.NewGuid().ToString())).Expect(HttpStatusCode.Created).Id;
                if ((await manager.Get($"/api/work-orders/{id}")).Status != HttpStatusCode.OK) missed.Enqueue($"{id} created, not found");
                (await dispatcher.Post($"/api/work-orders/{id}/dispatch", new { technicianId = tech.TechnicianId }, Guid.NewGuid().ToString())).Expect(HttpStatusCode.OK);
                var listed = (await technician.Get($"/api/work-orders?status=dispatched&pageSize=200")).Body["items"]!.AsArray();
                if (!listed.Any(o => o!["id"]!.GetValue<long>() == id)) missed.Enqueue($"{id} dispatched, not in the technician's list");
                (await technician.Post($"/api/work-orders/{id}/accept", null, Guid.NewGuid().ToString())).Expect(HttpStatusCode.OK);
                var status = (await dispatcher.Get($"/api/work-orders/{id}")).Body["status"]!.GetValue<string>();
                if (status != "accepted") missed.Enqueue($"{id} accepted, read as {status}");
                // Cancelled, so that its clocks do not run out and flood the branch's notices in the tests that follow.
                (await dispatcher.Post($"/api/work-orders/{id}/cancel", new { reason = "测试结束" })).Expect(HttpStatusCode.OK);
            }
        });
        Assert.Empty(missed);
    }
}
