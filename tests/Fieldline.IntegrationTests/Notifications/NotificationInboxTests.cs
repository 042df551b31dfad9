using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Notifications;

[Collection(SqliteCollection.Name)] public sealed class NotificationInboxTestsOnSqlite(SqliteFixture app) : NotificationInboxTests(app);
[Collection(PostgresCollection.Name)] public sealed class NotificationInboxTestsOnPostgres(PostgresFixture app) : NotificationInboxTests(app);

/// <summary>The inbox the phone app shows: a technician's own notifications only, read marks included.</summary>
public abstract class NotificationInboxTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static async Task<JsonArray> Inbox(Api who, string query = "") =>
        (await who.Get($"/api/notifications?pageSize=200{query}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();

    [Fact]
    public async Task A_technician_neither_lists_nor_marks_read_another_technicians_notification()
    {
        var (owner, _, _) = await _given.NewTechnician();
        var (other, _, _) = await _given.NewTechnician(["purifier.install"]); // not offered an AC repair: nothing of this order's
        var id = (await _given.NewRepairOrder())["id"]!.GetValue<long>();
        (await _given.Dispatcher.Post($"/api/work-orders/{id}/release-to-pool")).Expect(HttpStatusCode.OK);
        await app.Tick();
        var notice = (await Inbox(app.Api(owner), "&unread=true")).Single(n => n!["workOrderId"]?.GetValue<long>() == id)!;
        var noticeId = notice["id"]!.GetValue<long>();

        Assert.DoesNotContain(await Inbox(app.Api(other)), n => n!["id"]!.GetValue<long>() == noticeId);
        (await app.Api(other).Post($"/api/notifications/{noticeId}/read")).Expect(HttpStatusCode.NotFound);
        Assert.Contains(await Inbox(app.Api(owner), "&unread=true"), n => n!["id"]!.GetValue<long>() == noticeId);

        // The owner's read mark is kept, and sending it again (the phone's retry) changes nothing.
        (await app.Api(owner).Post($"/api/notifications/{noticeId}/read")).Expect(HttpStatusCode.NoContent);
        var read = (await Inbox(app.Api(owner))).Single(n => n!["id"]!.GetValue<long>() == noticeId)!["readAt"]!.GetValue<string>();
        (await app.Api(owner).Post($"/api/notifications/{noticeId}/read")).Expect(HttpStatusCode.NoContent);
        Assert.Equal(read, (await Inbox(app.Api(owner))).Single(n => n!["id"]!.GetValue<long>() == noticeId)!["readAt"]!.GetValue<string>());
        Assert.DoesNotContain(await Inbox(app.Api(owner), "&unread=true"), n => n!["id"]!.GetValue<long>() == noticeId);
    }
}
