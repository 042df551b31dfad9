using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Clock;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fieldline.IntegrationTests.Notifications;

[Collection(SqliteCollection.Name)] public sealed class DeliveryTestsOnSqlite(SqliteFixture app) : DeliveryTests(app);
[Collection(PostgresCollection.Name)] public sealed class DeliveryTestsOnPostgres(PostgresFixture app) : DeliveryTests(app);

public abstract class DeliveryTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static async Task Tick(WebApplicationFactory<Program> node)
    {
        foreach (var work in node.Services.GetServices<IDueWork>()) await work.RunDueAsync(default);
    }

    private Task<OutboxDelivery> SmsOf(long orderId) => app.Db(db => db.OutboxDeliveries.AsNoTracking()
        .SingleAsync(d => d.Channel == DeliveryChannel.Sms && db.Outbox.Any(m => m.Id == d.OutboxId && m.WorkOrderId == orderId && m.Kind == "dispatchOrder")));

    [Fact]
    public async Task A_failing_sms_gateway_never_holds_back_the_in_app_notice_and_the_sms_is_retried_with_backoff_until_dead_then_resent_once_by_an_admin()
    {
        await using var gateway = await FakeSmsGateway.Start();
        await using var node = app.Create(b =>
        {
            b.UseSetting("Fieldline:Sms:Url", gateway.Url);
            b.UseSetting("Fieldline:Deliveries:MaxAttempts", "3");
            b.UseSetting("Fieldline:Deliveries:SmsTimeoutSeconds", "1");
        });
        node.CreateClient().Dispose();
        await app.Tick(); // what earlier tests left in the outbox goes out now (to the log), so this gateway sees only this test's SMS
        gateway.Behaviour = FakeSmsGateway.Mode.Fail;

        var id = await _given.OrderIn("dispatched"); // the SMS dispatch order to tech01 (DSP-01)
        await Tick(node);
        var inbox = (await app.Api("tech01").Get("/api/notifications?pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Contains(inbox, n => n!["kind"]!.GetValue<string>() == "dispatchOrder" && n["workOrderId"]?.GetValue<long>() == id);
        var sms = await SmsOf(id);
        Assert.Equal((DeliveryState.Pending, 1), (sms.State, sms.Attempts));
        Assert.NotNull(sms.LastError);
        Assert.Equal(app.Clock.GetUtcNow().AddSeconds(30), sms.NextAttemptAt);

        // Not due yet: nothing is sent before the backoff has passed.
        await Tick(node);
        Assert.Equal(1, (await SmsOf(id)).Attempts);

        // A gateway that never answers fails the attempt at the client's time-out, and the wait doubles.
        gateway.Behaviour = FakeSmsGateway.Mode.Hang;
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        var attempt = System.Diagnostics.Stopwatch.StartNew();
        await Tick(node);
        Assert.InRange(attempt.Elapsed.TotalSeconds, 0.5, 10);
        sms = await SmsOf(id);
        Assert.Equal((DeliveryState.Pending, 2), (sms.State, sms.Attempts));
        Assert.Equal(app.Clock.GetUtcNow().AddSeconds(60), sms.NextAttemptAt);

        gateway.Behaviour = FakeSmsGateway.Mode.Fail;
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await Tick(node);
        Assert.Equal(DeliveryState.Dead, (await SmsOf(id)).State);

        var dead = (await app.Api("admin").Get("/api/deliveries?state=dead&pageSize=200")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        var listed = dead.Single(d => d!["id"]!.GetValue<long>() == sms.Id)!;
        Assert.Equal(("sms", "dispatchOrder", "tech01", 3), (listed["channel"]!.GetValue<string>(), listed["kind"]!.GetValue<string>(),
            listed["userName"]!.GetValue<string>(), listed["attempts"]!.GetValue<int>()));
        (await app.Api("manager").Get("/api/deliveries")).Expect(HttpStatusCode.Forbidden);
        (await app.Api("manager").Post($"/api/deliveries/{sms.Id}/retry")).Expect(HttpStatusCode.Forbidden);

        gateway.Behaviour = FakeSmsGateway.Mode.Accept;
        (await app.Api("admin").Post($"/api/deliveries/{sms.Id}/retry")).Expect(HttpStatusCode.NoContent);
        (await app.Api("admin").Post($"/api/deliveries/{sms.Id}/retry")).Expect(HttpStatusCode.Conflict); // pending again, not dead
        await Tick(node);
        await Tick(node);
        Assert.Equal(DeliveryState.Delivered, (await SmsOf(id)).State);
        var sent = Assert.Single(gateway.Accepted, a => a.Key == $"fieldline-delivery-{sms.Id}");
        var body = System.Text.Json.Nodes.JsonNode.Parse(sent.Body)!;
        Assert.Equal("18673100001", body["to"]!.GetValue<string>()); // tech01's phone
        Assert.StartsWith("派工单", body["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_technician_is_pushed_changes_of_their_own_orders_only_while_the_office_sees_the_branch()
    {
        var client = app.Factory.CreateClient();
        await using var tech02 = await LiveStream.Open(client, await app.Token(client, "tech02"));
        await using var dispatcher = await LiveStream.Open(client, await app.Token(client, "dispatcher"));

        var others = await _given.OrderIn("accepted", "tech01");
        var own = await _given.OrderIn("dispatched", "tech02");

        Assert.NotNull(dispatcher.Next((k, d) => k == "workOrderChanged" && d["workOrderId"]?.GetValue<long>() == others, TimeSpan.FromSeconds(10)));
        // Events arrive in order: everything tech02 was pushed before their own order's dispatch is all they got of the other.
        var pushed = new List<long?>();
        while (tech02.Next((k, _) => k == "workOrderChanged", TimeSpan.FromSeconds(10)) is { } e)
        {
            pushed.Add(e.Data["workOrderId"]?.GetValue<long>());
            if (pushed[^1] == own) break;
        }
        Assert.Equal(own, pushed.LastOrDefault());
        Assert.DoesNotContain(others, pushed);
    }
}
