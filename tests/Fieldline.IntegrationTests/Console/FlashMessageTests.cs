using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class FlashMessageTestsOnSqlite(SqliteFixture app) : FlashMessageTests(app);
[Collection(PostgresCollection.Name)] public sealed class FlashMessageTestsOnPostgres(PostgresFixture app) : FlashMessageTests(app);

/// <summary>
/// The message a post leaves for the page it redirects to (post/redirect/get) reaches that page, even when the page
/// still open in the browser fetches a fragment in between: the bell's count after a pushed notification, a redraw.
/// </summary>
public abstract class FlashMessageTests(AppFixture app)
{
    [Fact]
    public async Task The_page_after_a_post_shows_its_message_even_when_the_bell_and_a_redraw_were_fetched_before_the_redirect()
    {
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        await clerk.Get("/intake");
        var landed = await clerk.Post("/intake", [
            new("Phone", Given.Phone()), new("NewName", "闪讯客户"), new("NewAddress", "长沙市开福区湘江中路 2 号"), new("Type", "repair"), new("Channel", "hotline"),
            new("ProductLine", "ac"), new("ProductModel", "KFR-26GW"), new("PurchaseDate", "2026-10-01"), new("FaultDescription", "不制冷")],
            meanwhile: async () =>
            {
                await clerk.Fragment("/notifications?handler=Badge");
                await clerk.Fragment("/?handler=Figures");
            });
        Assert.Contains("已创建工单 WO-", landed);
        Assert.Contains("class=\"flash ok\"", landed);

        // Shown once: the next whole page no longer carries it.
        Assert.DoesNotContain("已创建工单", await clerk.Get("/intake"));
    }
}
