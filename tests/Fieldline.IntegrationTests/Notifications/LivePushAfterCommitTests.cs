using System.Collections.Concurrent;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.Notifications;

[Collection(SqliteCollection.Name)] public sealed class LivePushAfterCommitTestsOnSqlite(SqliteFixture app) : LivePushAfterCommitTests(app);
[Collection(PostgresCollection.Name)] public sealed class LivePushAfterCommitTestsOnPostgres(PostgresFixture app) : LivePushAfterCommitTests(app);

/// <summary>
/// A page told that an order changed reads it at once (the board's row, the phone's list). So the push leaves only once
/// the change is committed: a request with an Idempotency-Key commits after it has built its answer, and a push sent
/// before that made the board read the order unchanged, and keep it so until the next change.
/// </summary>
public abstract class LivePushAfterCommitTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_board_told_of_a_change_made_with_an_idempotency_key_reads_the_changed_order_and_a_refused_change_pushes_nothing()
    {
        var dispatched = await _given.OrderIn("dispatched");
        var transport = new ReadsWhatItPushes();
        await using var host = app.Create(b => b.ConfigureTestServices(s => s.AddSingleton<ILiveTransport>(sp => transport.On(sp))));
        var client = host.CreateClient();
        var tech = new Api(client, app, "tech01");

        (await tech.Post($"/api/work-orders/{dispatched}/accept", null, Guid.NewGuid().ToString())).Expect(HttpStatusCode.OK);
        Assert.Equal([(dispatched, "accept", "Accepted")], transport.Seen.ToArray());

        // Accepting it again is refused (409): nothing changed, so nobody is told.
        (await tech.Post($"/api/work-orders/{dispatched}/accept", null, Guid.NewGuid().ToString())).Expect(HttpStatusCode.Conflict);
        Assert.Single(transport.Seen);

        // A new order, created with a key: the board reads it the moment it is told.
        var customer = await _given.Customer();
        var serial = await _given.Product(customer);
        var created = (await new Api(client, app, "clerk").Post("/api/work-orders", Given.RepairBody(customer, serial), Guid.NewGuid().ToString()))
            .Expect(HttpStatusCode.Created).Body["id"]!.GetValue<long>();
        Assert.Contains((created, "created", "New"), transport.Seen);
    }

    /// <summary>On each push, reads the order in a scope of its own (a page's request), and records the status it found there.</summary>
    private sealed class ReadsWhatItPushes : ILiveTransport
    {
        private IServiceProvider _services = null!;
        public ConcurrentQueue<(long? Order, string Action, string? Status)> Seen { get; } = new();

        public ILiveTransport On(IServiceProvider services)
        {
            _services = services;
            return this;
        }

        public void Post(LiveEnvelope envelope)
        {
            if (envelope.Event.Kind != "workOrderChanged" || envelope.Event.WorkOrderId is not { } id) return;
            using var scope = _services.CreateScope();
            var status = scope.ServiceProvider.GetRequiredService<AppDbContext>().WorkOrders.AsNoTracking().Where(o => o.Id == id)
                .Select(o => o.Status.ToString()).FirstOrDefault();
            Seen.Enqueue((id, envelope.Event.Body, status));
        }

        public Task SendAsync(LiveEnvelope envelope, CancellationToken ct) => Task.CompletedTask;

        public bool Connected => true;
    }
}
