using System.Net;
using System.Text.Json.Nodes;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Notifications;

[Collection(SqliteCollection.Name)] public sealed class NotificationInboxTestsOnSqlite(SqliteFixture app) : NotificationInboxTests(app);
[Collection(PostgresCollection.Name)] public sealed class NotificationInboxTestsOnPostgres(PostgresFixture app) : NotificationInboxTests(app);

/// <summary>The inbox the phone app shows: a technician's own notifications only, read marks included (one, or 全部已读).</summary>
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

    /// <summary>Gives the user <paramref name="count"/> unread notifications directly (as the outbox would have), oldest first; their ids.</summary>
    internal static Task<List<long>> Notices(AppFixture app, int userId, int count) => app.Db(async db =>
    {
        var now = app.Clock.GetUtcNow();
        var rows = new List<Web.Features.Notifications.Notification>();
        for (var i = 0; i < count; i++)
        {
            var message = new Web.Features.Notifications.OutboxMessage { Kind = "urgentOrder", CreatedAt = now, Title = "{}", Body = "{}", FannedOutAt = now, RecipientUserIds = [userId] };
            db.Outbox.Add(message);
            await db.SaveChangesAsync();
            var title = Web.Infrastructure.Localization.Msg.Of("{0}: urgent order", $"WX{i:D4}").ToJson().ToJsonString();
            var n = new Web.Features.Notifications.Notification { OutboxId = message.Id, UserId = userId, CreatedAt = now, Kind = "urgentOrder", Title = title, Body = "" };
            db.Notifications.Add(n);
            rows.Add(n);
        }
        await db.SaveChangesAsync();
        return rows.Select(n => n.Id).ToList();
    });

    private async Task<int> UnreadOf(Api who) =>
        (await who.Get("/api/notifications?unread=true&pageSize=1")).Expect(HttpStatusCode.OK).Body["total"]!.GetValue<int>();

    [Fact]
    public async Task Read_all_marks_only_the_callers_own_unread_notifications_up_to_the_newest_the_reader_had_seen_and_a_repeat_changes_nothing()
    {
        var (owner, _, ownerId) = await _given.NewTechnician();
        var (colleague, _, colleagueId) = await _given.NewTechnician();
        var seen = await Notices(app, ownerId, 3);
        var arrivedLater = await Notices(app, ownerId, 2);
        await Notices(app, colleagueId, 2);

        // The phone's 全部已读 was made offline when the newest message it showed was seen[2]: the two that came later stay unread.
        var first = (await app.Api(owner).Post("/api/notifications/read-all", new { upToId = seen[^1] })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(3, first["marked"]!.GetValue<int>());
        var unread = (await Inbox(app.Api(owner), "&unread=true")).Select(n => n!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(arrivedLater.OrderDescending(), unread);
        Assert.Equal(2, await UnreadOf(app.Api(colleague)));

        // Sent again (the answer was lost on the way back): nothing more is marked and the first read times stay.
        var readAt = (await Inbox(app.Api(owner))).Single(n => n!["id"]!.GetValue<long>() == seen[0])!["readAt"]!.GetValue<string>();
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, (await app.Api(owner).Post("/api/notifications/read-all", new { upToId = seen[^1] })).Expect(HttpStatusCode.OK).Body["marked"]!.GetValue<int>());
        Assert.Equal(readAt, (await Inbox(app.Api(owner))).Single(n => n!["id"]!.GetValue<long>() == seen[0])!["readAt"]!.GetValue<string>());

        // Without a bound (the console's button on a later page): everything of the caller's, still nobody else's.
        Assert.Equal(2, (await app.Api(owner).Post("/api/notifications/read-all")).Expect(HttpStatusCode.OK).Body["marked"]!.GetValue<int>());
        Assert.Equal(0, await UnreadOf(app.Api(owner)));
        Assert.Equal(2, await UnreadOf(app.Api(colleague)));
    }

    [Fact]
    public async Task A_read_all_with_an_Idempotency_Key_replays_its_first_answer_and_keeps_its_marks()
    {
        var (owner, _, ownerId) = await _given.NewTechnician();
        var ids = await Notices(app, ownerId, 4);
        var key = Guid.NewGuid().ToString();
        var first = (await app.Api(owner).Post("/api/notifications/read-all", new { upToId = ids[^1] }, key)).Expect(HttpStatusCode.OK).Body;
        var again = (await app.Api(owner).Post("/api/notifications/read-all", new { upToId = ids[^1] }, key)).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(4, first["marked"]!.GetValue<int>());
        Assert.Equal(4, again["marked"]!.GetValue<int>());
        Assert.Equal(0, await UnreadOf(app.Api(owner)));
    }
}
