using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Notifications;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class NotificationsPageTestsOnSqlite(SqliteFixture app) : NotificationsPageTests(app);
[Collection(PostgresCollection.Name)] public sealed class NotificationsPageTestsOnPostgres(PostgresFixture app) : NotificationsPageTests(app);

/// <summary>The console's 通知 page: every notification reachable a hundred at a time, and 全部标为已读 bounded by what the page showed.</summary>
public abstract class NotificationsPageTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_user_with_more_than_a_hundred_notifications_pages_back_to_the_oldest_and_marks_all_read_in_Chinese()
    {
        var (user, _, userId) = await _given.NewTechnician();
        var ids = await NotificationInboxTests.Notices(app, userId, 130);
        var console = await ConsoleSession.SignIn(app, user);

        var first = await console.Get("/notifications");
        Assert.Contains("WX0129", first, StringComparison.Ordinal); // the newest
        Assert.DoesNotContain("WX0029", first, StringComparison.Ordinal);
        Assert.Contains("1 / 2", first, StringComparison.Ordinal);
        Assert.Contains("全部标为已读 (130)", first, StringComparison.Ordinal);
        Assert.Contains($"name=\"upToId\" value=\"{ids[^1]}\"", first, StringComparison.Ordinal);

        var second = await console.Get("/notifications?p=2");
        Assert.Contains("WX0000", second, StringComparison.Ordinal); // the oldest
        Assert.Contains("WX0029", second, StringComparison.Ordinal);
        Assert.DoesNotContain("WX0030", second, StringComparison.Ordinal);
        Assert.Contains("2 / 2", second, StringComparison.Ordinal);
        Assert.Empty(Localization.LanguageCrawl.EnglishIn(second));

        // A message that arrives after the page was drawn is not covered by its button.
        await console.Get("/notifications");
        var later = await NotificationInboxTests.Notices(app, userId, 1);
        var after = await console.Post("/notifications?handler=ReadAll", [new("upToId", ids[^1].ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        Assert.Contains("全部标为已读 (1)", after, StringComparison.Ordinal);
        Assert.Equal(1, await app.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Notifications, n => n.UserId == userId && n.ReadAt == null)));
        Assert.Equal(later[0], await app.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null).Select(n => n.Id))));
    }
}
