using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Mobile;

[Collection(SqliteCollection.Name)] public sealed class MyMonthTestsOnSqlite(SqliteFixture app) : MyMonthTests(app);
[Collection(PostgresCollection.Name)] public sealed class MyMonthTestsOnPostgres(PostgresFixture app) : MyMonthTests(app);

public abstract class MyMonthTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task My_month_lists_the_orders_the_technician_completed_and_only_theirs()
    {
        var mine = await _given.OrderIn("completed", "tech03");
        var theirs = await _given.OrderIn("completed", "tech04");
        var month = (await app.Api("tech03").Get("/api/mobile/my-month")).Expect(HttpStatusCode.OK).Body;

        // The current month by the server's clock: other tests on this shared fixture move the fake clock forward.
        Assert.Equal(app.LocalNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), month["month"]!.GetValue<string>());
        var ids = month["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToList();
        Assert.Contains(mine, ids);
        Assert.DoesNotContain(theirs, ids);
        Assert.Equal(ids.Count, month["completed"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, (await _given.Manager.Get("/api/mobile/my-month")).Status);
    }
}
