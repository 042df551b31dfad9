using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.IntegrationTests.Localization;

namespace Fieldline.IntegrationTests.WorkOrders;

[Collection(SqliteCollection.Name)] public sealed class IntakeWindowTestsOnSqlite(SqliteFixture app) : IntakeWindowTests(app);
[Collection(PostgresCollection.Name)] public sealed class IntakeWindowTestsOnPostgres(PostgresFixture app) : IntakeWindowTests(app);

/// <summary>
/// The customer's requested visit, typed on the intake page: one that cannot be read is refused next to the field, in
/// Chinese, and no order (nor customer) is created without it.
/// </summary>
public abstract class IntakeWindowTests(AppFixture app)
{
    public static TheoryData<string, string, string, string> UnreadableWindows => new()
    {
        { "not-a-date", "25:61", "zz", "" },
        { "2026-13-45", "10:00", "12:00", "" },
        { "9999-12-31", "10:00", "12:00", "" },
        { "2026-12-10", "25:61", "12:00", "" },
        { "2026-12-10", "10:00", "zz", "" },
        { "", "10:00", "12:00", "" },
        { "2026-12-10", "10:00", "12:00", "maybe" },
    };

    [Theory]
    [MemberData(nameof(UnreadableWindows))]
    public async Task An_unreadable_requested_window_is_refused_on_the_intake_page_and_creates_nothing(string date, string start, string end, string urgent)
    {
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        await clerk.Get("/intake");
        var phone = Given.Phone();
        List<KeyValuePair<string, string>> form = [
            new("Phone", phone), new("NewName", "窗口客户"), new("NewAddress", "长沙市岳麓区测试路 1 号"), new("Type", "repair"), new("Channel", "hotline"),
            new("ProductLine", "ac"), new("ProductModel", "KFR-26GW"), new("PurchaseDate", "2025-01-01"), new("FaultDescription", "不制冷"),
            new("WindowDate", date), new("WindowStart", start), new("WindowEnd", end), new("ContactPerson", "窗口客户")];
        if (urgent.Length > 0) form.Add(new("Urgent", urgent));
        var page = await clerk.Post("/intake", form);

        Assert.DoesNotContain("已创建工单", page);
        Assert.Contains("class=\"field-error\"", page);
        Assert.Contains(urgent.Length > 0 ? "紧急" : "预约", page);
        Assert.Empty(LanguageCrawl.EnglishIn(page));
        var customers = (await app.Api("clerk").Get($"/api/customers?phone={phone}")).Expect(HttpStatusCode.OK).Body["items"]!.AsArray();
        Assert.Empty(customers);
    }

    [Fact]
    public async Task A_readable_requested_window_is_kept_on_the_order()
    {
        var clerk = await ConsoleSession.SignIn(app, "clerk");
        await clerk.Get("/intake");
        var page = await clerk.Post("/intake", [
            new("Phone", Given.Phone()), new("NewName", "窗口客户"), new("NewAddress", "长沙市岳麓区测试路 1 号"), new("Type", "repair"), new("Channel", "hotline"),
            new("ProductLine", "ac"), new("ProductModel", "KFR-26GW"), new("PurchaseDate", "2025-01-01"), new("FaultDescription", "不制冷"),
            new("WindowDate", "2026-12-10"), new("WindowStart", "10:00"), new("WindowEnd", "12:00")]);
        Assert.Contains("已创建工单", page);
    }
}
